"""Shared fixtures. Every test writes to its own temporary DuckDB file, never the dev file."""

from __future__ import annotations

import fcntl
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


def run_dbt(args: list[str], database: Path, tmp: Path, **env_extra) -> subprocess.CompletedProcess:
    """dbt in a subprocess (so its DuckDB connection is closed when it returns), against the
    `ci` target, with target/ and logs/ in a temporary folder."""
    env = {
        **os.environ,
        "ECHO_ROOTS_DB": str(database),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "DO_NOT_TRACK": "1",
        **env_extra,
    }
    return subprocess.run(
        [str(BIN / "dbt"), *args, "--target", "ci"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def build_sample(folder: Path) -> Path:
    """Load the embedded sample into `folder`/echo_roots.duckdb and `dbt build` it there
    (target/ beside it); return the file."""
    database = folder / "echo_roots.duckdb"
    load_sample(database)
    build = run_dbt(["build"], database, folder)
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-2000:]
    return database


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """The embedded sample loaded and `dbt build` run, once per test run. Under pytest-xdist
    the first worker that needs it builds it in the run's shared temporary folder while the
    others wait on a lock, and each worker reads a copy of its own (same file name: views
    name their catalog), with target/ beside it: `dbt docs generate` opens it for writing,
    and DuckDB lets no other process read a file one process writes."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_sample(tmp_path_factory.mktemp("warehouse"))
    shared = tmp_path_factory.getbasetemp().parent / "built_warehouse"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists():
            build_sample(shared)
            (shared / "built").touch()
    own = tmp_path_factory.mktemp("warehouse")
    for name in ["echo_roots.duckdb", "echo_roots.duckdb.wal"]:  # a WAL, were dbt to leave one
        if (shared / name).exists():
            shutil.copyfile(shared / name, own / name)
    shutil.copytree(shared / "target", own / "target")
    return own / "echo_roots.duckdb"


@pytest.fixture
def warehouse(built_warehouse):
    """A read-only connection to the built sample warehouse."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def dbt():
    """`run_dbt(args, database, tmp)`: dbt in a subprocess against the `ci` target."""
    return run_dbt
