"""Raw staging is incremental, and a source can be empty at the first build: items are loaded
and built before any extraction result arrives. What arrives later must reach staging (and so
every model after it), and a build-level check (tests/dbt/reconciliation/
raw_rows_reach_staging.sql) recomputes from raw what staging must hold and fails the build
when it does not: reconciliation, not trust."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.python.project_copy import REPO, copy_project, run_loader
from tests.python.query_helpers import query

SAMPLE = REPO / "loader" / "ingestion" / "sample"
CHECK = "raw_rows_reach_staging"

# what raw says staging must hold: the latest load of each item, model and run
RAW_RESULT_KEYS = (
    "select count(*) from (select distinct item_id, model, run_id from raw.extraction_results)"
)


def load(database, kind: str) -> None:
    # the sample files carry deliberately bad lines: they are rejected, the rest loads
    loaded = run_loader(
        "load", kind, str(SAMPLE / f"{kind}.jsonl"), "--database", str(database),
        "--max-reject-rate", "1",
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr


def items_then_extractions(dbt, tmp, root=None):
    """Load items, build, load extraction results, build; return the database and the two
    builds' results."""
    database = tmp / "echo_roots.duckdb"
    project = ["--project-dir", str(root)] if root else []
    env = {"DBT_PROFILES_DIR": str(root)} if root else {}
    load(database, "items")
    first = dbt(["build", *project], database, tmp, **env)
    assert first.returncode == 0, first.stdout[-5000:]
    load(database, "extractions")
    second = dbt(["build", *project], database, tmp, **env)
    return database, first, second


@pytest.fixture(scope="module")
def late_extractions(tmp_path_factory, dbt):
    tmp = tmp_path_factory.mktemp("late_extractions")
    return items_then_extractions(dbt, tmp)


def test_extractions_loaded_after_the_first_build_reach_staging(late_extractions):
    database, first, second = late_extractions
    assert second.returncode == 0, second.stdout[-5000:]
    [(expected,)] = query(database, RAW_RESULT_KEYS)
    assert expected > 300  # the sample's results, not an empty source
    assert query(database, "select count(*) from staging.stg_raw__extraction_results") == [
        (expected,)
    ]


def test_extractions_loaded_after_the_first_build_reach_item_attributes(late_extractions):
    database, _, _ = late_extractions
    # every item with an accepted result has its extracted observations in the mart
    missing = query(
        database,
        """
        select count(*) from (
            select distinct item_id, model, run_id from staging.stg_raw__extraction_results
            where json_array_length(attributes) > 0
            except
            select distinct item_id, model, run_id from taxonomy.item_attributes
            where provenance = 'extraction'
        )""",
    )
    assert missing == [(0,)]
    assert query(
        database,
        "select count(*) > 0 from taxonomy.item_attributes where provenance = 'extraction'",
    ) == [(True,)]


def test_the_reconciliation_check_runs_in_the_build(late_extractions):
    _, first, second = late_extractions
    for build in (first, second):
        assert f"PASS {CHECK}" in build.stdout


def test_the_reconciliation_check_fails_on_a_staging_row_gone_missing(
    late_extractions, dbt, tmp_path
):
    database, _, _ = late_extractions
    broken = tmp_path / "echo_roots.duckdb"
    shutil.copy(database, broken)
    with duckdb.connect(str(broken)) as con:
        [(item_id, model, run_id)] = con.execute(
            "select item_id, model, run_id from staging.stg_raw__extraction_results "
            "order by all limit 1"
        ).fetchall()
        con.execute(
            "delete from staging.stg_raw__extraction_results "
            "where item_id = ? and model = ? and run_id = ?",
            [item_id, model, run_id],
        )
        # and an item whose staged record is not its latest delivery any more
        con.execute(
            "update staging.stg_raw__ingestion_items set load_id = 'items-000000000000' "
            "where item_id = (select min(item_id) from staging.stg_raw__ingestion_items)"
        )

    check = dbt(["test", "--select", CHECK, "--store-failures"], broken, tmp_path)
    assert check.returncode != 0
    assert f"FAIL 3 {CHECK}" in check.stdout, check.stdout[-3000:]
    [(schema,)] = query(
        broken, f"select table_schema from information_schema.tables where table_name = '{CHECK}'"
    )
    failures = query(
        broken,
        "select staging_model, difference, item_id, model, run_id "
        f"from {schema}.{CHECK} order by all",
    )
    [(first_item,)] = query(database, "select min(item_id) from staging.stg_raw__ingestion_items")
    assert failures == sorted(
        [
            ("stg_raw__extraction_results", "missing", item_id, model, run_id),
            ("stg_raw__ingestion_items", "missing", first_item, None, None),
            ("stg_raw__ingestion_items", "unexpected", first_item, None, None),
        ]
    )


def test_the_check_fails_the_build_that_the_empty_source_watermark_broke(dbt, tmp_path):
    # the staging model as it was: a watermark of null (an empty table) drops every row
    root = copy_project(tmp_path / "project")
    model = root / "models" / "staging" / "raw" / "stg_raw__extraction_results.sql"
    text = model.read_text("utf-8")
    guard = (
        "{%- if staged_through is not none %}\n"
        "    where _loaded_at > cast('{{ staged_through }}' as {{ type_timestamp_tz() }})"
    )
    assert guard in text
    unguarded = (
        "{%- if is_incremental() %}\n    where _loaded_at > (select max(loaded_at) from {{ this }})"
    )
    model.write_text(text.replace(guard, unguarded), "utf-8")

    database, _, second = items_then_extractions(dbt, tmp_path, root)
    assert query(database, "select count(*) from staging.stg_raw__extraction_results") == [(0,)]
    assert second.returncode != 0
    [(expected,)] = query(database, RAW_RESULT_KEYS)
    assert f"FAIL {expected} {CHECK}" in second.stdout, second.stdout[-3000:]
