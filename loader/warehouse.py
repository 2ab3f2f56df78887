"""The warehouse file: where it is, opening it under DuckDB's one-writer rule, and the error
every part of echo-roots reports to its users.

DuckDB lets one process write a database file, or many read it, never both. `connect` fails
at once (or waits up to `wait` seconds) when another process holds the file, and says which
program that is: dbt, the echo-roots loader, a DuckDB CLI.
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

DEFAULT_DATABASE = "warehouse/echo_roots.duckdb"


class LoaderError(Exception):
    """A usage, I/O or warehouse-state problem, with a message meant for a person (the CLI
    prints it and exits 2)."""


def default_database() -> str:
    """ECHO_ROOTS_DB when set (the same variable profiles.yml reads), else the dev file."""
    return os.environ.get("ECHO_ROOTS_DB") or DEFAULT_DATABASE


def memory_limit() -> str:
    """ECHO_ROOTS_MEMORY_LIMIT (the same variable profiles.yml reads), else 512MB."""
    return os.environ.get("ECHO_ROOTS_MEMORY_LIMIT") or "512MB"


def connect(
    database: str | os.PathLike | None = None, *, read_only: bool = False, wait: float = 0
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Another process holding the file fails fast with a message that
    names it, or is waited for up to `wait` seconds."""
    path = Path(database or default_database())
    if read_only and not path.exists():
        raise LoaderError(f"{path}: no such warehouse file (run `make build` first)")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _LOCKED.search(str(exc)):
                raise LoaderError(_unopenable_message(path, str(exc))) from exc
            if time.monotonic() >= deadline:
                raise LoaderError(_locked_message(path, str(exc), wait)) from exc
            time.sleep(0.25)
    # Timestamps without an offset are read as UTC, and stored as timestamptz.
    con.execute("set TimeZone = 'UTC'")
    # DuckDB draws a progress bar on standard output for queries over 2 s, which would land
    # in the middle of a `--json` report (the loader has its own, on standard error)
    con.execute("set enable_progress_bar = false")
    return con


_LOCKED = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)


def _unopenable_message(path: Path, duckdb_says: str, doing: str = "open") -> str:
    if "corrupt" in duckdb_says.lower():
        return (
            f"{path}: the warehouse file is damaged (a block fails its checksum): rebuild it "
            "(`make rebuild`, after reloading the raw files) or restore a copy. "
            f"DuckDB says: {duckdb_says}"
        )
    return f"{path}: cannot {doing} the warehouse: {duckdb_says}"


@contextmanager
def reading(path: str | os.PathLike):
    """A DuckDB error while reading the warehouse at `path` becomes a LoaderError naming
    the file (a damaged block says so), not a traceback."""
    try:
        yield
    except duckdb.Error as exc:
        raise LoaderError(_unopenable_message(Path(path), str(exc), "read")) from exc


def _locked_message(path: Path, duckdb_says: str, wait: float) -> str:
    holder = lock_holder(duckdb_says)
    waited = f" (waited {wait:g} s)" if wait else ""
    return (
        f"{path}: another process holds this warehouse file{waited}"
        + (f": {holder}" if holder else "")
        + ". DuckDB allows one writing process or many readers, never both: wait for it to "
        "finish, close analyst sessions that opened the file for writing, or pass --wait "
        f"SECONDS. DuckDB says: {duckdb_says}"
    )


# programs that open the warehouse, by the name of the script or module they run
_PROGRAMS = {
    "dbt": "dbt",
    "echo-roots": "the echo-roots loader",
    "echo-roots-load": "the echo-roots loader",
    "loader": "the echo-roots loader",
    "duckdb": "a DuckDB CLI",
}


def lock_holder(duckdb_says: str) -> str | None:
    """What holds the file, from the PID in DuckDB's lock error and that process's command
    line: `dbt (PID 42: dbt build --target dev)`. None when DuckDB names no PID; the bare PID
    with its command line when it is no program we know, or the PID alone when its command
    line cannot be read (the process is gone, or this is not Linux)."""
    match = re.search(r"\(PID (\d+)\)", duckdb_says)
    if not match:
        return None
    pid = match[1]
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return f"process {pid}"
    argv = [arg for arg in argv if arg]
    # `python .venv/bin/dbt build`, `python -m loader items`, `.venv/bin/duckdb file`
    for position, arg in enumerate(argv[:3]):
        after_m = position > 0 and argv[position - 1] == "-m"
        name = arg.split(".")[0] if after_m else Path(arg).name
        if name in _PROGRAMS:
            return f"{_PROGRAMS[name]} (PID {pid}: {_shorten(argv[position:])})"
    return f"process {pid} ({_shorten(argv)})"


def _shorten(argv: list[str]) -> str:
    """`dbt build --target dev` rather than `/long/path/.venv/bin/dbt build ...`."""
    words = [Path(argv[0]).name, *argv[1:]]
    text = " ".join(" ".join(words).split())  # a `python -c` script on one line
    return text if len(text) <= 120 else text[:117] + "..."


# The warehouse's schemas in data-flow order: raw (the loader's), then dbt's (dbt_project.yml
# and the snapshots' config name them; tests/python/warehouse/test_project_rules.py checks).
LAYERS = ("raw", "seeds", "staging", "intermediate", "taxonomy", "analytics", "snapshots")


def table_counts(con, schemas: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Rows per base table of each schema in `schemas` that has tables."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (select unnest($schemas)) and table_type = 'BASE TABLE' "
        "order by table_schema, table_name",
        {"schemas": list(schemas)},
    ).fetchall()
    counts: dict[str, dict[str, int]] = {schema: {} for schema in schemas}
    for schema, table in tables:
        counts[schema][table] = con.execute(
            f"select count(*) from {quote_identifier(schema)}.{quote_identifier(table)}"
        ).fetchone()[0]
    return {schema: tables for schema, tables in counts.items() if tables}


def quote_identifier(name: str) -> str:
    """A name as a SQL identifier: in double quotes, its own double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A string as a SQL literal: in single quotes, its own single quotes doubled (for the
    places DuckDB takes no parameter, such as a COPY's target or an ATTACH path)."""
    return "'" + text.replace("'", "''") + "'"
