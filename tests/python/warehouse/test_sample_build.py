"""The embedded sample, loaded and built with `dbt build` into a temporary DuckDB file:
every layer is there, with the values the sample was written to produce."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.python.project_copy import run_loader

MARTS = [
    "taxonomy.items",
    "taxonomy.item_attributes",
    "taxonomy.categories",
    "taxonomy.attributes",
    "taxonomy.attribute_values",
    "taxonomy.semantic_candidates",
    "taxonomy.mappings",
    "taxonomy.releases",
    "taxonomy.changes",
    "analytics.taxonomy_health",
]


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


@pytest.mark.parametrize("table", MARTS)
def test_every_layer_is_built_and_filled(warehouse, table):
    assert one(warehouse, f"select count(*) from {table}")[0] > 0


def test_counts_come_from_the_sample(warehouse):
    counts = {
        table: one(warehouse, f"select count(*) from {table}")[0]
        for table in [
            "raw.ingestion_items",
            "raw.extraction_results",
            "raw.rejected_rows",
            "taxonomy.items",
            "taxonomy.categories",
            "taxonomy.attributes",
            "taxonomy.attribute_values",
            "taxonomy.mappings",
        ]
    }
    assert counts == {
        "raw.ingestion_items": 405,  # 400 items + 5 re-deliveries
        "raw.extraction_results": 352,
        "raw.rejected_rows": 11,  # 7 bad item lines + 4 bad extraction lines
        "taxonomy.items": 400,  # latest record per item
        "taxonomy.categories": 82,
        "taxonomy.attributes": 18,
        "taxonomy.attribute_values": 91,  # 90 curated + recycled polyester, elevated
        "taxonomy.mappings": 21,  # 22 in the seed, one expired on 2025-06-30
    }


def test_bad_sample_lines_are_rejected_with_reasons(warehouse):
    rejects = warehouse.execute(
        "select kind, line_number, rule, field from raw.rejected_rows order by kind, line_number"
    ).fetchall()
    assert rejects == [
        ("extractions", 353, "range", "attributes.confidence"),
        ("extractions", 354, "required", "metadata.model"),
        ("extractions", 355, "type", "attributes.confidence"),
        ("extractions", 356, "json_syntax", None),
        ("items", 406, "json_syntax", None),
        ("items", 407, "blank", "item_id"),
        ("items", 408, "required", "title"),
        ("items", 409, "language_tag", "language"),
        ("items", 410, "type", "raw_attributes"),
        ("items", 411, "timestamp", "ingested_at"),
        ("items", 412, "length", "title"),
    ]


def test_zh_tw_black_is_the_canonical_black(warehouse):
    row = one(
        warehouse,
        "select attribute_id, value_id, canonical_value, match_type from taxonomy.item_attributes "
        "where item_id = 'tp-000002' and provenance = 'source' and raw_name = '顏色'",
    )
    assert row == ("color", "color.black", "black", "alias")


def test_spellings_of_gray_resolve_to_one_value(warehouse):
    rows = warehouse.execute(
        "select raw_value, value_id, match_type from taxonomy.item_attributes "
        "where raw_value in ('Grey', 'gray', '灰色', 'Space Gray') "
        "group by all order by raw_value"
    ).fetchall()
    assert rows == [
        ("Grey", "color.gray", "alias"),
        ("Space Gray", "color.gray", "mapping"),
        ("gray", "color.gray", "exact"),
        ("灰色", "color.gray", "alias"),
    ]


def test_deprecated_colour_is_not_an_active_value(warehouse):
    statuses = warehouse.execute(
        "select distinct v.value_id, v.status from taxonomy.item_attributes a "
        "join taxonomy.attribute_values v using (value_id) where a.raw_value = 'Champagne'"
    ).fetchall()
    assert statuses == [("color.champagne", "deprecated")]


def test_raw_category_conventions_land_in_canonical_categories(warehouse):
    rows = dict(
        warehouse.execute(
            "select raw_category, any_value(category_id) from taxonomy.items "
            "where raw_category in ('電子產品 > 筆記型電腦', 'Electronics > Computers > Laptops',"
            " '3C/筆電', '家電 > ノートパソコン', '電子產品/電腦/筆記型電腦') group by raw_category"
        ).fetchall()
    )
    assert rows == {
        "電子產品 > 筆記型電腦": "laptops",  # zh-TW labels, a level skipped
        "Electronics > Computers > Laptops": "laptops",  # English names, ' > '
        "電子產品/電腦/筆記型電腦": "laptops",  # zh-TW labels, '/'
        "3C/筆電": "laptops",  # local name, from category_mappings
        "家電 > ノートパソコン": "laptops",  # Japanese local name, from category_mappings
    }
    flipkart_style = one(
        warehouse,
        "select count(*), count(*) filter (where category_id = 'sneakers') from taxonomy.items "
        "where raw_category like 'Footwear >> Men''s Footwear >> Sports Shoes >> %'",
    )
    assert flipkart_style[0] > 0 and flipkart_style[0] == flipkart_style[1]
    unmatched = warehouse.execute(
        "select distinct raw_category from taxonomy.items where category_id is null"
    ).fetchall()
    assert unmatched == [("美妝/唇彩",)]


def test_latest_delivery_of_an_item_wins(warehouse):
    assert one(warehouse, "select title from taxonomy.items where item_id = 'nm-000006'") == (
        'Sony Bravia X80L Smart TV (65", 8K) [price drop]',
    )


def test_mapping_chains_resolve_to_the_newest_term(warehouse):
    rows = warehouse.execute(
        "select from_term, resolved_to_term, chain_length, is_deprecated from taxonomy.mappings "
        "where scope = 'category' order by from_term"
    ).fetchall()
    assert rows == [
        ("cell_phones", "smartphones", 2, False),
        ("mobile_phones", "smartphones", 1, False),
        ("mp3_players", None, 1, True),
        ("netbooks", "laptops", 1, False),
    ]


def test_unknown_terms_become_candidates(warehouse):
    android = one(
        warehouse,
        "select candidate_type, attribute_id, frequency > 0, source_count "
        "from taxonomy.semantic_candidates where normalized_term = 'android 14'",
    )
    assert android == ("value", "operating_system", True, 4)
    kinds = dict(
        warehouse.execute(
            "select candidate_type, list(normalized_term) from taxonomy.semantic_candidates "
            "where normalized_term in ('noise cancelling', 'warranty', '保固', 'vegan leather',"
            " 'black', 'gray') group by candidate_type"
        ).fetchall()
    )
    assert sorted(kinds["term"]) == ["noise cancelling"]
    assert sorted(kinds["attribute"]) == ["warranty", "保固"]
    # the vegan leather -> faux leather mapping expired, so the term is unknown again
    assert sorted(kinds["value"]) == ["vegan leather"]


def test_health_adds_up(warehouse):
    overall = one(
        warehouse,
        "select items, items_with_category, observations, observations_resolved "
        "from analytics.taxonomy_health where dimension = 'overall'",
    )
    expected = one(
        warehouse,
        "select (select count(*) from taxonomy.items),"
        " (select count(category_id) from taxonomy.items),"
        " (select count(*) from taxonomy.item_attributes),"
        " (select count(*) filter (where match_type <> 'unmatched') from taxonomy.item_attributes)",
    )
    assert overall == expected
    assert overall[:2] == (400, 398)
    per_source = dict(
        warehouse.execute(
            "select dimension_value, items from analytics.taxonomy_health "
            "where dimension = 'source'"
        ).fetchall()
    )
    assert per_source == {
        "north_mall": 140,
        "bazaar_in": 110,
        "taipei_market": 130,
        "tokyo_select": 20,
    }


def test_building_twice_does_not_duplicate(built_warehouse, tmp_path, dbt):
    database = tmp_path / "again" / built_warehouse.name
    database.parent.mkdir()
    shutil.copy(built_warehouse, database)
    load = run_loader("sample", "--database", str(database))
    assert load.returncode == 0, load.stderr
    assert load.stdout.count("skipped, already loaded") == 2
    build = dbt(["build"], database, tmp_path)
    assert build.returncode == 0, build.stdout[-3000:]
    con = duckdb.connect(str(database), read_only=True)
    try:
        again = [one(con, f"select count(*) from {t}")[0] for t in ["raw.ingestion_items", *MARTS]]
    finally:
        con.close()
    original = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        first = [
            one(original, f"select count(*) from {t}")[0] for t in ["raw.ingestion_items", *MARTS]
        ]
    finally:
        original.close()
    assert again == first


def test_summary_names_every_layer(built_warehouse):
    result = run_loader("summary", "--database", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    for line in ["  raw ", "  taxonomy ", "  analytics ", "Rejected rows: 11", "-readonly"]:
        assert line in result.stdout


def test_analysts_open_it_read_only_with_the_duckdb_cli(built_warehouse):
    cli = shutil.which("duckdb", path=str(sys.executable).rsplit("/", 1)[0])
    assert cli, "duckdb-cli is a dependency: make install puts it in .venv/bin"
    result = subprocess.run(
        [
            cli,
            "-readonly",
            "-csv",
            str(built_warehouse),
            "-c",
            "select count(*) from taxonomy.items",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["count_star()", "400"]


def test_categories_inherit_attributes_with_the_nearest_required(warehouse):
    rows = warehouse.execute(
        "select attribute_id, is_required, defined_at_category_id "
        "from taxonomy.category_attributes "
        "where category_id = 'laptops' and attribute_id in ('brand', 'screen_size', 'memory_ram') "
        "order by attribute_id"
    ).fetchall()
    assert rows == [
        ("brand", True, "electronics"),  # from the root
        ("memory_ram", False, "computers"),  # from the parent
        ("screen_size", True, "laptops"),  # its own
    ]


def test_completeness_counts_required_attributes(warehouse):
    # a laptop whose shop called the screen size "Display Size", a name the vocabulary lacks
    row = one(
        warehouse,
        "select category_id, required_attribute_count, required_attributes_present, completeness "
        "from taxonomy.items where item_id = 'bz-000001'",
    )
    assert row == ("laptops", 2, 1, 0.5)


def test_unmapped_categories_are_the_curators_backlog(warehouse):
    rows = warehouse.execute(
        "select source, raw_category, item_count, example_item_id from taxonomy.unmapped_categories"
    ).fetchall()
    assert rows == [("taipei_market", "美妝/唇彩", 2, "tp-000080")]
