"""A copy of the dbt project in a temporary folder, for tests that edit seeds or vars and
rebuild without touching the checkout."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROJECT_FILES = ["dbt_project.yml", "profiles.yml"]
PROJECT_FOLDERS = ["models", "macros", "seeds", "snapshots", "tests/dbt"]


def copy_project(root: Path) -> Path:
    """Copy what dbt reads (not the Python tests) into `root`; return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, root / name)
    for name in PROJECT_FOLDERS:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.py"))
    return root


def build_copy(dbt, root: Path, database: Path, tmp: Path, *args: str):
    """`dbt build` of the project copy in `root` into `database`, unit tests left out (they
    check SQL against fixed inputs: the session build runs them); fails the test with dbt's
    output when the build fails. Returns dbt's result."""
    result = dbt(
        ["build", "--project-dir", str(root), "--exclude-resource-type", "unit_test", *args],
        database,
        tmp,
        DBT_PROFILES_DIR=str(root),
    )
    assert result.returncode == 0, result.stdout[-5000:]
    return result


def edit_seed(seeds: Path, name: str, change) -> None:
    """Rewrite seed `name`.csv in `seeds` with `change(rows)` (rows as dicts, columns kept)."""
    path = seeds / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run_loader(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m loader <args>` in a subprocess from the checkout (its connection closes
    when it returns); the caller checks the exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "loader", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def load_sample(database: Path) -> subprocess.CompletedProcess:
    """`python -m loader sample` into `database`; fails the test with the loader's output if
    the load fails."""
    load = run_loader("sample", "--database", str(database))
    assert load.returncode == 0, load.stdout + load.stderr
    return load
