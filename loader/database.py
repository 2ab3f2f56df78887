"""Opening the warehouse file under DuckDB's one-writer rule."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from loader.errors import LoaderError

DEFAULT_DATABASE = "warehouse/echo_roots.duckdb"


def default_database() -> str:
    """ECHO_ROOTS_DB when set (the same variable profiles.yml reads), else the dev file."""
    return os.environ.get("ECHO_ROOTS_DB") or DEFAULT_DATABASE


def memory_limit() -> str:
    """ECHO_ROOTS_MEMORY_LIMIT (the same variable profiles.yml reads), else 512MB."""
    return os.environ.get("ECHO_ROOTS_MEMORY_LIMIT") or "512MB"


def connect(
    database: str | os.PathLike | None = None, *, read_only: bool = False, wait: float = 0
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Another process holding the file fails fast with a clear message,
    or is waited for up to `wait` seconds."""
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
            if "lock" not in str(exc).lower():
                raise LoaderError(f"{path}: cannot open the warehouse: {exc}") from exc
            if time.monotonic() >= deadline:
                raise LoaderError(
                    f"{path}: another process holds this warehouse file. DuckDB allows one "
                    "writing process or many readers, never both: wait for the loader or "
                    "`dbt build` to finish, close analyst sessions that opened it for writing, "
                    f"or pass --wait SECONDS. DuckDB says: {exc}"
                ) from exc
            time.sleep(0.25)
    # Timestamps without an offset are read as UTC, and stored as timestamptz.
    con.execute("set TimeZone = 'UTC'")
    return con
