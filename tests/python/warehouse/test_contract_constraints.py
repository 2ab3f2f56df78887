"""The marts' contracts carry constraints DuckDB enforces while it writes the table: `not_null`
and `check` (value lists, 0-1 ranges). A model whose SQL breaks one fails its build with the
constraint and the table named, and the table keeps the rows of the last good build."""

from __future__ import annotations

import shutil

import pytest

from tests.python.project_copy import copy_project
from tests.python.query_helpers import query

CASES = {
    "a share above 1": (
        "models/marts/analytics/taxonomy_health.sql",
        "round(item_metrics.items_with_category / nullif(item_metrics.items, 0), 4)",
        "1 + round(item_metrics.items_with_category / nullif(item_metrics.items, 0), 4)",
        "taxonomy_health",
        "CHECK constraint failed",
        "select max(category_coverage) <= 1 from analytics.taxonomy_health",
    ),
    "a null where the contract says not null": (
        "models/marts/analytics/extraction_quality.sql",
        "else '(unparseable)' end as model,",
        "else null end as model,",
        "extraction_quality",
        "NOT NULL constraint failed",
        "select count(*) = count(model) from analytics.extraction_quality",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_constraint_fails_the_build_and_keeps_the_last_good_table(
    case, built_warehouse, dbt, tmp_path
):
    path, old, new, model, message, still_good = CASES[case]
    root = copy_project(tmp_path / "project")
    sql = (root / path).read_text()
    assert old in sql
    (root / path).write_text(sql.replace(old, new))
    database = tmp_path / "echo_roots.duckdb"
    shutil.copy(built_warehouse, database)
    rows_before = query(database, f"select count(*) from analytics.{model}")

    built = dbt(
        # the unit tests would catch the edit first; this is about the table
        ["build", "--select", model, "--exclude-resource-type", "unit_test"]
        + ["--project-dir", str(root)],
        database,
        tmp_path,
        DBT_PROFILES_DIR=str(root),
    )

    assert built.returncode != 0
    assert f"Failure in model {model}" in built.stdout
    assert message in built.stdout
    assert query(database, f"select count(*) from analytics.{model}") == rows_before
    assert query(database, still_good) == [(True,)]
