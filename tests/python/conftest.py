"""Shared fixtures. Every test writes to its own temporary DuckDB file, never the dev file."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.python.project_copy import load_sample

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run_dbt(
    args: list[str], database: Path, tmp: Path, *, parsed: Path | None = None, **env_extra
) -> subprocess.CompletedProcess:
    """dbt in a subprocess (so its DuckDB connection is closed when it returns), against the
    `ci` target, with target/ and logs/ in a temporary folder.

    dbt runs in the database's folder with ECHO_ROOTS_DB set to the file's bare name, so every
    echo_roots.duckdb gives dbt the same profile; and a target/ without a parse of its own
    starts from `parsed` (a partial_parse.msgpack of the project, see parsed_project). dbt then
    parses only the files that differ from it (a project copy's edits) instead of the whole
    project; different vars or another file name still make it parse everything."""
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    target = tmp / "target"
    if parsed is not None and not (target / "partial_parse.msgpack").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parsed, target / "partial_parse.msgpack")
    env = {
        **os.environ,
        "ECHO_ROOTS_DB": database.name,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "DO_NOT_TRACK": "1",
        **env_extra,
    }
    project = [] if "--project-dir" in args else ["--project-dir", str(REPO)]
    return subprocess.run(
        [str(BIN / "dbt"), *args, *project, "--target", "ci"],
        cwd=database.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` done once per test run, in a folder it returns. Under pytest-xdist the
    first worker that asks does it in the run's shared temporary folder while the others
    wait on a file lock; when it failed, the next one tries again (and fails the same way)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    folder = tmp_path_factory.getbasetemp().parent / name
    folder.mkdir(exist_ok=True)
    with (folder.parent / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder.parent / f"{name}.done").exists():
            make(folder)
            (folder.parent / f"{name}.done").touch()
    return folder


@pytest.fixture(scope="session")
def parsed_project(tmp_path_factory) -> Path:
    """`dbt parse` of the project, once per test run (against an echo_roots.duckdb it never
    opens): the partial_parse.msgpack each dbt run of the tests starts from."""

    def parse(folder: Path) -> None:
        result = run_dbt(["parse"], folder / "echo_roots.duckdb", folder)
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]

    return once_per_run(tmp_path_factory, "parsed_project", parse) / "target/partial_parse.msgpack"


@pytest.fixture(scope="session")
def dbt(parsed_project):
    """`run_dbt(args, database, tmp, **env)`: dbt in a subprocess against the `ci` target."""
    return functools.partial(run_dbt, parsed=parsed_project)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory, dbt) -> Path:
    """The embedded sample loaded and `dbt build` run, once per test run, with target/ beside
    the file. Under pytest-xdist each worker reads a copy of its own (same file name: views
    name their catalog): `dbt docs generate` opens the file for writing, and DuckDB lets no
    other process read a file one process writes."""

    def build(folder: Path) -> None:
        database = folder / "echo_roots.duckdb"
        load_sample(database)
        result = dbt(["build"], database, folder)
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]

    built = once_per_run(tmp_path_factory, "built_warehouse", build)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return built / "echo_roots.duckdb"
    own = tmp_path_factory.mktemp("warehouse")
    for name in ["echo_roots.duckdb", "echo_roots.duckdb.wal"]:  # a WAL, were dbt to leave one
        if (built / name).exists():
            shutil.copyfile(built / name, own / name)
    shutil.copytree(built / "target", own / "target")
    return own / "echo_roots.duckdb"


@pytest.fixture
def warehouse(built_warehouse):
    """A read-only connection to the built sample warehouse."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
