"""Formats, globs, standard input, aliases and the real datasets."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loader import LoaderError, load_extractions, load_items
from loader.ingestion.aliases import InputMapping
from tests.python.project_copy import run_loader
from tests.python.query_helpers import query as rows

REPO = Path(__file__).resolve().parents[3]
DATASETS = Path(os.environ.get("ECHO_ROOTS_SHARED", REPO.parent / "shared")) / "datasets"
needs_datasets = pytest.mark.skipif(
    not DATASETS.exists(), reason="../shared/datasets is not beside the checkout"
)
ITEM = {
    "item_id": "a-1",
    "title": "象印 NP-HCC10 電子鍋",
    "raw_attributes": {"顏色": "白色"},
    "source": "taipei_market",
    "language": "zh-TW",
}


def test_json_array_rows_are_numbered_by_position(tmp_path):
    source = tmp_path / "items.json"
    items = [ITEM, {**ITEM, "item_id": "a-2", "language": "english"}, {**ITEM, "item_id": "a-3"}]
    source.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    assert rows(tmp_path / "w.duckdb", "select line_number, rule from raw.rejected_rows") == [
        (2, "language_tag")
    ]


def test_a_broken_json_document_is_one_reject_kept_whole(tmp_path):
    source = tmp_path / "items.json"
    text = '[{"item_id": "a-1", "title": "x"}, {"item_id": '
    source.write_text(text, encoding="utf-8")
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_rejected) == (1, 1)
    assert rows(tmp_path / "w.duckdb", "select rule, payload from raw.rejected_rows") == [
        ("json_syntax", text)
    ]


def test_csv_with_json_columns_and_a_short_row(tmp_path):
    source = tmp_path / "items.csv"
    source.write_text(
        "item_id,title,raw_attributes,source,language,shelf\n"
        'c-1,"Tefal Ingenio, 28cm","{""material"": ""aluminium""}",north_mall,en,B2\n'
        "c-2,only three,fields\n"
        'c-3,"Lodge skillet",,north_mall,en,\n',
        encoding="utf-8",
    )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    landed = rows(
        tmp_path / "w.duckdb",
        "select item_id, title, raw_attributes::varchar, _line_number "
        "from raw.ingestion_items order by item_id",
    )
    assert landed == [
        ("c-1", "Tefal Ingenio, 28cm", '{"shelf":"B2","material":"aluminium"}', 2),
        ("c-3", "Lodge skillet", "{}", 4),
    ]
    [(line, rule, message)] = rows(
        tmp_path / "w.duckdb", "select line_number, rule, message from raw.rejected_rows"
    )
    assert (line, rule) == (3, "format")  # physical lines: the header is line 1
    assert "6 fields" in message


def test_parquet_rows_with_nested_columns(tmp_path):
    source = tmp_path / "extractions.parquet"
    table = pa.table(
        {
            "item_id": ["p-1", "p-2"],
            "attributes": [
                [{"name": "color", "value": "black", "evidence": "Black", "confidence": 0.9}],
                [{"name": "color", "value": "black", "evidence": "Black", "confidence": 1.5}],
            ],
            "terms": [[], []],
            "metadata": [{"model": "m", "run_id": "r"}, {"model": "m", "run_id": "r"}],
        }
    )
    pq.write_table(table, source)
    report = load_extractions([source], database=tmp_path / "w.duckdb")
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert rows(
        tmp_path / "w.duckdb",
        "select r.line_number, r.rule, r.field, e.item_id, e.model "
        "from raw.rejected_rows r, raw.extraction_results e",
    ) == [(2, "range", "attributes.confidence", "p-1", "m")]


def test_globs_and_standard_input(tmp_path):
    for n in range(3):
        (tmp_path / f"part-{n}.jsonl").write_text(
            json.dumps({**ITEM, "item_id": f"g-{n}"}) + "\n", encoding="utf-8"
        )
    report = load_items([str(tmp_path / "part-*.jsonl")], database=tmp_path / "w.duckdb")
    assert [Path(f.path).name for f in report.files] == [
        "part-0.jsonl",
        "part-1.jsonl",
        "part-2.jsonl",
    ]
    piped = run_loader(
        "load",
        "items",
        "-",
        "--database",
        str(tmp_path / "w.duckdb"),
        stdin=json.dumps({**ITEM, "item_id": "s-1"}) + "\n",
    )
    assert piped.returncode == 0, piped.stderr
    assert "items: <stdin>: read 1, loaded 1, rejected 0" in piped.stdout
    assert rows(
        tmp_path / "w.duckdb",
        "select b.file_path, i.item_id from raw.load_batches b "
        "join raw.ingestion_items i on i._load_id = b.load_id where b.file_path = '<stdin>'",
    ) == [("<stdin>", "s-1")]
    with pytest.raises(LoaderError, match="no file matches"):
        load_items([str(tmp_path / "nothing-*.jsonl")], database=tmp_path / "w.duckdb")


def test_aliases_and_defaults(tmp_path):
    source = tmp_path / "shop.jsonl"
    source.write_text(
        json.dumps({"id": "x-1", "product_name": "Acer Swift Go 14", "lang": "en"}) + "\n",
        encoding="utf-8",
    )
    mapping = InputMapping.from_options(
        aliases=["item_id=id", "title=name,product_name", "language=lang"],
        defaults=["source=shop_x"],
    )
    report = load_items([source], database=tmp_path / "w.duckdb", aliases=mapping)
    assert report.rows_loaded == 1
    assert rows(
        tmp_path / "w.duckdb", "select item_id, title, language, source from raw.ingestion_items"
    ) == [("x-1", "Acer Swift Go 14", "en", "shop_x")]
    with pytest.raises(LoaderError, match="unknown items field 'colour'"):
        load_items(
            [source], database=tmp_path / "w.duckdb", aliases=InputMapping({"colour": ["c"]})
        )


@needs_datasets
def test_domain_pack_input_mapping_is_an_alias_file(tmp_path):
    mapping = InputMapping.from_options(aliases_file=DATASETS / "echo_roots_ecommerce_domain.yaml")
    assert mapping.usable("items").aliases == {
        "title": ["title", "name", "product_name"],
        "description": ["description", "desc", "long_description"],
        "language": ["lang", "language"],
    }


@needs_datasets
@pytest.mark.parametrize(
    "name", ["flipkart_sample.items.jsonl", "echo_roots_sample_items.json", "flipkart_sample.csv"]
)
def test_real_datasets(tmp_path, name):
    mapping = InputMapping.from_options(
        aliases=[
            "item_id=uniq_id",
            "title=product_name",
            "raw_category=product_category_tree",
            "ingested_at=crawl_timestamp",
        ],
        defaults=["source=flipkart", "language=en"],
    )
    report = load_items(
        [DATASETS / name],
        database=tmp_path / "w.duckdb",
        aliases=mapping if name.endswith(".csv") else None,
    )
    expected_rows = 3 if name.endswith(".json") else 999
    assert report.rows_read == expected_rows
    # Two Flipkart descriptions are longer than the 5000 characters the item shape allows
    # (5309 and 5300): they are the only rejects, with that reason.
    rejects = rows(
        tmp_path / "w.duckdb", "select line_number, rule, field from raw.rejected_rows order by 1"
    )
    if name.endswith(".jsonl"):
        assert rejects == [(440, "length", "description"), (458, "length", "description")]
    elif name.endswith(".csv"):  # the physical lines where those records start
        assert rejects == [(805, "length", "description"), (897, "length", "description")]
    else:
        assert rejects == []
    if name.endswith(".csv"):
        kept = rows(
            tmp_path / "w.duckdb",
            "select raw_attributes->>'$.pid', raw_attributes->>'$.brand', ingested_at::varchar "
            "from raw.ingestion_items where item_id = 'c2d766ca982eca8304150849735ffef9'",
        )
        assert kept == [("SRTEH2FF9KEDEFGF", "Alisha", "2016-03-25 22:59:23+00")]
