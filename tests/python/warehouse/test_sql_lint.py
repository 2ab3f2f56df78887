"""The SQL gate of `make lint`: sqlfluff, with the project's .sqlfluff (dbt templater), reports
a style violation in a model with its file, line and rule code, and passes the house style.
One sqlfluff run on two models of a project copy, against a throwaway DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.python.project_copy import REPO, copy_project

SQLFLUFF = Path(sys.executable).parent / "sqlfluff"
BROKEN = "models/staging/domain_pack/stg_domain_pack__labels.sql"
CLEAN = "models/staging/domain_pack/stg_domain_pack__attributes.sql"


def test_sqlfluff_reports_upper_case_keyword_and_passes_house_style(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy(REPO / ".sqlfluff", project / ".sqlfluff")
    model = project / BROKEN
    sql = model.read_text(encoding="utf-8")
    lines = sql.splitlines()
    line_number = next(n for n, line in enumerate(lines, 1) if line.strip() == "select")
    model.write_text(sql.replace("    select\n", "    SELECT\n", 1), encoding="utf-8")

    result = subprocess.run(
        [str(SQLFLUFF), "lint", BROKEN, CLEAN, "--format", "json", "--nocolor"],
        cwd=project,
        env={**os.environ, "ECHO_ROOTS_DB": str(tmp_path / "lint.duckdb"), "DO_NOT_TRACK": "1"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    reports = {Path(report["filepath"]).as_posix(): report for report in json.loads(result.stdout)}
    assert set(reports) == {BROKEN, CLEAN}
    assert reports[CLEAN]["violations"] == []
    found = [(v["code"], v["start_line_no"]) for v in reports[BROKEN]["violations"]]
    assert ("CP01", line_number) in found, found
