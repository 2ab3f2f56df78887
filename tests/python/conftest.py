"""Shared fixtures. Every test writes to its own temporary DuckDB file, never the dev file."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """The embedded sample loaded and `dbt build` run, once per test session."""
    tmp = tmp_path_factory.mktemp("warehouse")
    database = tmp / "echo_roots.duckdb"
    load_sample(database)
    build = run_dbt(["build"], database, tmp)
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-2000:]
    return database


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
