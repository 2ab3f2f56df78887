"""Incremental builds give the same warehouse as a full rebuild of the same raw data.

The item-level models are incremental (macros/incremental.sql): a build after a load processes
only the items it touched, and every item again when the vocabulary changed. Each step here
builds incrementally, then rebuilds a copy of the same file with `--full-refresh`, and the
two must hold the same rows in every table analysts read."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from tests.python.project_copy import build_copy, copy_project, edit_seed, run_loader
from tests.python.query_helpers import query

# build stamps and lineage columns that differ by when a row was written, not what it says
STAMPS = ("raw_loaded_through", "vocabulary_hash", "retired_through")
# the sighting log keeps the rows it retired for one build: its current rows are compared
CURRENT = {"intermediate.int_candidate_terms_sighted": "retired_through is null"}
COMPARED = [
    "staging.stg_raw__ingestion_items",
    "staging.stg_raw__extraction_results",
    "intermediate.int_items_categorized",
    "intermediate.int_attribute_observations_resolved",
    "intermediate.int_extracted_terms_unnested",
    "intermediate.int_candidate_terms_sighted",
    "intermediate.int_candidate_sightings_aggregated",
    "intermediate.int_candidates_scored",
    "taxonomy.items",
    "taxonomy.item_attributes",
    "taxonomy.categories",
    "taxonomy.attributes",
    "taxonomy.semantic_candidates",
    "taxonomy.elevation_proposals",
    "taxonomy.unmapped_categories",
    "analytics.taxonomy_health",
    "analytics.extraction_quality",
    "analytics.normalization_rates",
]

NEW_ITEMS = [
    # a new item, with a colour the vocabulary lacks and a brand it knows
    {
        "item_id": "zz-000001",
        "title": "Acer Aspire 5 Laptop (Mint, 16GB)",
        "raw_category": "Electronics > Computers > Laptops",
        "raw_attributes": {"Brand": "Acer", "Color": "Mint Green", "RAM": "16 GB"},
        "source": "north_mall",
        "language": "en",
        "ingested_at": "2026-11-20T10:00:00Z",
    },
    # a later delivery of a sample item: its colour changed, its storage is gone
    {
        "item_id": "nm-000001",
        "title": "Acer Swift Go 14 Laptop (Silver, 32GB)",
        "raw_category": "Electronics > Computers > Laptops",
        "raw_attributes": {"Brand": "Acer", "Color": "Silver", "RAM": "32 GB"},
        "source": "north_mall",
        "language": "en",
        "ingested_at": "2026-11-20T11:00:00Z",
    },
    # a later delivery of a sample item (no extraction results) without any attributes: its
    # observations must go
    {
        "item_id": "bz-000008",
        "title": "Uniqlo Linen Blend Midi Dress",
        "raw_category": "Apparel >> Dresses",
        "raw_attributes": {},
        "source": "bazaar_in",
        "language": "en",
        "ingested_at": "2026-11-20T11:30:00Z",
    },
    # an older delivery of a sample item arriving late: it must not replace the newer record
    {
        "item_id": "tp-000002",
        "title": "舊資料",
        "raw_category": "電子產品/手機/智慧型手機",
        "raw_attributes": {"品牌": "索尼", "顏色": "白色"},
        "source": "tw_plaza",
        "language": "zh-TW",
        "ingested_at": "2020-01-01T00:00:00Z",
    },
]
NEW_EXTRACTIONS = [
    {
        "item_id": "zz-000001",
        "attributes": [
            {"name": "color", "value": "mint green", "evidence": "Mint", "confidence": 0.9}
        ],
        "terms": [
            {"term": "backlit keyboard", "context": "Aspire", "confidence": 0.8, "frequency": 1}
        ],
        "metadata": {
            "model": "gpt-4o-mini-2024-07-18",
            "run_id": "run-2026-11-20-a",
            "extracted_at": "2026-11-20T12:00:00Z",
        },
    },
    # a new extraction run for a sample item whose listing did not change
    {
        "item_id": "nm-000002",
        "attributes": [{"name": "color", "value": "navy", "evidence": "navy", "confidence": 0.7}],
        "terms": [],
        "metadata": {
            "model": "qwen2.5-7b-instruct",
            "run_id": "run-2026-11-20-b",
            "extracted_at": "2026-11-20T12:30:00Z",
        },
    },
]


def load_lines(database, kind: str, rows: list[dict], folder) -> None:
    path = folder / f"{kind}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    loaded = run_loader("load", kind, str(path), "--database", str(database))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr


def differences(incremental, full) -> dict[str, int]:
    """Rows in one warehouse's table and not in the other's (both ways), per table."""
    found = {}
    for table in COMPARED:
        columns = [
            # sums of doubles may differ in the last bit with the order rows arrive in
            f'round("{name}", 9)' if kind == "DOUBLE" else f'"{name}"'
            for name, kind in query(
                incremental,
                "select column_name, data_type from information_schema.columns "
                f"where table_schema || '.' || table_name = '{table}' order by ordinal_position",
            )
            if name not in STAMPS
        ]
        select = ", ".join(columns)
        where = f"where {CURRENT[table]}" if table in CURRENT else ""
        sql = f"""
            attach '{full}' as full_build (read_only);
            select count(*) from (
                (select {select} from {table} {where} except all
                 select {select} from full_build.{table} {where})
                union all
                (select {select} from full_build.{table} {where} except all
                 select {select} from {table} {where})
            )"""
        [(count,)] = query(incremental, sql)
        if count:
            found[table] = count
    return found


def rebuilt_in_full(dbt, root, database, tmp, step: str):
    """A copy of `database` rebuilt with `--full-refresh`, in its own folder under the same
    file name (views name their catalog: the file's stem)."""
    copy = tmp / step / "echo_roots.duckdb"
    copy.parent.mkdir()
    shutil.copy(database, copy)
    build_copy(dbt, root, copy, tmp, "--full-refresh")
    return copy


def teach_mint_green(root) -> None:
    """The vocabulary learns "Mint Green" as an alias of green (a seed edit)."""
    edit_seed(
        root / "seeds" / "domain_pack",
        "domain_attribute_values",
        lambda rows: [
            {**r, "aliases": (r["aliases"] + "|mint green").strip("|")}
            if r["value_id"] == "color.green"
            else r
            for r in rows
        ],
    )


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory, dbt, built_warehouse):
    """Build the sample; load more; build incrementally; edit the vocabulary; build again.
    After each incremental build, a copy rebuilt with --full-refresh is kept beside it.
    The sample built is the session's build of the same project, copied."""
    tmp = tmp_path_factory.mktemp("incremental")
    root = copy_project(tmp / "project")
    database = tmp / "echo_roots.duckdb"
    shutil.copy(built_warehouse, database)

    def build(db, *extra):
        build_copy(dbt, root, db, tmp, *extra)

    def full_copy(step):
        return rebuilt_in_full(dbt, root, database, tmp, step)

    first_stamp = query(database, "select max(raw_loaded_through) from taxonomy.items")[0][0]
    load_lines(database, "items", NEW_ITEMS, tmp)
    load_lines(database, "extractions", NEW_EXTRACTIONS, tmp)
    build(database)
    after_load = {
        "processed": query(
            database,
            "select item_id from taxonomy.items "
            f"where raw_loaded_through > '{first_stamp.isoformat()}'::timestamptz order by 1",
        ),
        "nm-000001 colour": query(
            database,
            "select raw_value, value_id from taxonomy.item_attributes "
            "where item_id = 'nm-000001' and attribute_id = 'color' order by all",
        ),
        "bz-000008 observations": query(
            database, "select count(*) from taxonomy.item_attributes where item_id = 'bz-000008'"
        ),
        "tp-000002 title": query(
            database, "select title from taxonomy.items where item_id = 'tp-000002'"
        ),
        "differences": differences(database, full_copy("after_load")),
    }
    # the vocabulary learns "Mint Green" as an alias of green: every item is processed again
    teach_mint_green(root)
    build(database)
    after_edit = {
        "mint": query(
            database,
            "select value_id, match_type from taxonomy.item_attributes "
            "where item_id = 'zz-000001' and attribute_id = 'color' order by all",
        ),
        "stamped items": query(
            database,
            "select count(*) from taxonomy.items where raw_loaded_through = "
            "(select max(raw_loaded_through) from taxonomy.items)",
        )[0][0],
        "items": query(database, "select count(*) from taxonomy.items")[0][0],
        "differences": differences(database, full_copy("after_edit")),
    }
    return after_load, after_edit


def test_a_load_is_processed_for_the_items_it_touched_only(warehouses):
    after_load, _ = warehouses
    # the new item, the two re-delivered ones and the one with a new extraction run; the stale
    # delivery of tp-000002 loses in staging, so nothing downstream is redone for it; the
    # other 396 items keep the rows of the first build
    assert after_load["processed"] == [
        ("bz-000008",),
        ("nm-000001",),
        ("nm-000002",),
        ("zz-000001",),
    ]


def test_a_later_delivery_replaces_the_item_and_its_attributes(warehouses):
    after_load, _ = warehouses
    # the shop's own value, replaced (the sample's one extraction line for this item is a
    # deliberately bad line the loader rejects)
    assert after_load["nm-000001 colour"] == [("Silver", "color.silver")]


def test_a_later_delivery_without_attributes_leaves_no_observations(warehouses):
    after_load, _ = warehouses
    assert after_load["bz-000008 observations"] == [(0,)]  # 5 before (the shop's own)


def test_an_older_delivery_arriving_late_does_not_win(warehouses):
    after_load, _ = warehouses
    assert after_load["tp-000002 title"] == [("【索尼】Xperia 10 V 智慧型手機 黑色 128GB 8GB",)]


def test_incremental_build_equals_full_rebuild_after_a_load(warehouses):
    after_load, _ = warehouses
    assert after_load["differences"] == {}


def test_vocabulary_change_reprocesses_every_item(warehouses):
    _, after_edit = warehouses
    assert after_edit["mint"] == [("color.green", "alias"), ("color.green", "alias")]
    assert after_edit["stamped items"] == after_edit["items"] == 401


def test_incremental_build_equals_full_rebuild_after_a_vocabulary_change(warehouses):
    _, after_edit = warehouses
    assert after_edit["differences"] == {}


def test_a_table_built_before_the_stamps_asks_for_a_full_refresh(built_warehouse, dbt, tmp_path):
    # an incremental table as an older version of its model left it: no build stamps
    database = tmp_path / "echo_roots.duckdb"
    shutil.copy(built_warehouse, database)
    sightings = "intermediate.int_candidate_terms_sighted"
    before = query(database, f"select count(*) from {sightings}")
    with duckdb.connect(str(database)) as con:
        con.execute(f"alter table {sightings} drop column raw_loaded_through")
        con.execute(f"alter table {sightings} drop column vocabulary_hash")

    stale = dbt(["build", "--select", "int_candidate_terms_sighted"], database, tmp_path)
    assert stale.returncode != 0
    # dbt's own schema check names the way out; the table is left as it was
    assert "out of sync" in stale.stdout
    assert "full_refresh" in stale.stdout
    assert query(database, f"select count(*) from {sightings}") == before

    rebuilt = dbt(
        ["build", "--select", "int_candidate_terms_sighted", "--full-refresh"], database, tmp_path
    )
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert query(database, f"select count(*), count(raw_loaded_through) from {sightings}") == [
        (before[0][0], before[0][0])
    ]
