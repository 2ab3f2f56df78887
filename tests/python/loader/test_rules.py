"""Each raw-shape rule, broken by one row: the row is rejected with the rule's code and
kept verbatim; every other row still loads."""

from __future__ import annotations

import json

import duckdb
import pytest

from loader import load_extractions, load_items
from loader.ingestion.migrations import migrate
from loader.ingestion.statements import TARGET_TABLE, fast_insert_sql
from tests.python.query_helpers import query

GOOD_ITEM = {
    "item_id": "ok-1",
    "title": "ASUS Zenbook 14 OLED",
    "description": "14-inch laptop",
    "raw_category": "Electronics > Laptops",
    "raw_attributes": {"Colour": "Grey"},
    "source": "north_mall",
    "language": "en",
    "metadata": {"price": "1299"},
    "ingested_at": "2026-10-01T08:00:00Z",
}
GOOD_EXTRACTION = {
    "item_id": "ok-1",
    "attributes": [
        {"name": "color", "value": "grey", "evidence": "Grey", "confidence": 0.9},
    ],
    "terms": [{"term": "oled", "context": "OLED screen", "confidence": 0.8, "frequency": 1}],
    "metadata": {"model": "gpt-4o-mini", "run_id": "run-1", "processing_time_ms": 120},
}


def item(**changes):
    row = {**GOOD_ITEM, **changes}
    return {k: v for k, v in row.items() if v is not ...}


def extraction(**changes):
    row = {**GOOD_EXTRACTION, **changes}
    return {k: v for k, v in row.items() if v is not ...}


ITEM_CASES = [
    ("item_id missing", item(item_id=...), "required", "item_id"),
    ("item_id null", item(item_id=None), "required", "item_id"),
    ("item_id blank", item(item_id="   "), "blank", "item_id"),
    ("title blank (ideographic spaces)", item(title="\u3000\u00a0 "), "blank", "title"),
    ("source empty", item(source=""), "blank", "source"),
    ("item_id a number", item(item_id=42), "type", "item_id"),
    ("item_id too long", item(item_id="x" * 256), "length", "item_id"),
    ("title missing", item(title=...), "required", "title"),
    ("title too long", item(title="t" * 1001), "length", "title"),
    ("description too long", item(description="d" * 5001), "length", "description"),
    ("raw_category too long", item(raw_category="c" * 501), "length", "raw_category"),
    ("source missing", item(source=...), "required", "source"),
    ("source too long", item(source="s" * 101), "length", "source"),
    ("language english", item(language="english"), "language_tag", "language"),
    ("language missing", item(language=...), "required", "language"),
    ("raw_attributes a string", item(raw_attributes="Colour: Grey"), "type", "raw_attributes"),
    ("metadata a list", item(metadata=[1, 2]), "type", "metadata"),
    ("ingested_at not a time", item(ingested_at="yesterday"), "timestamp", "ingested_at"),
]

EXTRACTION_CASES = [
    ("item_id missing", extraction(item_id=...), "required", "item_id"),
    ("attributes an object", extraction(attributes={"a": 1}), "type", "attributes"),
    ("attribute a string", extraction(attributes=["Colour: grey"]), "type", "attributes"),
    ("term a number", extraction(terms=[{"term": "t", "context": "c"}, 7]), "type", "terms"),
    (
        "attribute name blank",
        extraction(attributes=[{"name": " ", "value": "v", "evidence": "e", "confidence": 0.5}]),
        "length",
        "attributes.name",
    ),
    (
        "attribute value too long",
        extraction(
            attributes=[{"name": "n", "value": "v" * 501, "evidence": "e", "confidence": 0.5}]
        ),
        "length",
        "attributes.value",
    ),
    (
        "evidence missing",
        extraction(attributes=[{"name": "n", "value": "v", "confidence": 0.5}]),
        "required",
        "attributes.evidence",
    ),
    (
        "attribute name a number",
        extraction(attributes=[{"name": 42, "value": "v", "evidence": "e", "confidence": 0.5}]),
        "type",
        "attributes.name",
    ),
    (
        "term null",
        extraction(terms=[{"term": None, "context": "c", "confidence": 0.5, "frequency": 1}]),
        "required",
        "terms.term",
    ),
    (
        "confidence above 1",
        extraction(attributes=[{"name": "n", "value": "v", "evidence": "e", "confidence": 1.7}]),
        "range",
        "attributes.confidence",
    ),
    (
        "confidence true",
        extraction(attributes=[{"name": "n", "value": "v", "evidence": "e", "confidence": True}]),
        "type",
        "attributes.confidence",
    ),
    (
        "confidence high",
        extraction(attributes=[{"name": "n", "value": "v", "evidence": "e", "confidence": "high"}]),
        "type",
        "attributes.confidence",
    ),
    (
        "confidence 0.5",
        extraction(attributes=[{"name": "n", "value": "v", "evidence": "e", "confidence": "0.5"}]),
        "type",
        "attributes.confidence",
    ),
    (
        "confidence an object",
        extraction(
            attributes=[{"name": "n", "value": "v", "evidence": "e", "confidence": {"p": 0.5}}]
        ),
        "type",
        "attributes.confidence",
    ),
    (
        "confidence missing",
        extraction(attributes=[{"name": "n", "value": "v", "evidence": "e"}]),
        "required",
        "attributes.confidence",
    ),
    (
        "frequency true",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": True}]),
        "type",
        "terms.frequency",
    ),
    (
        "frequency two",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": "two"}]),
        "type",
        "terms.frequency",
    ),
    (
        "frequency 1e30",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": 1e30}]),
        "type",
        "terms.frequency",
    ),
    (
        "frequency 1.5",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": 1.5}]),
        "type",
        "terms.frequency",
    ),
    (
        "frequency beyond bigint",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": 2**63}]),
        "range",
        "terms.frequency",
    ),
    (
        "processing_time_ms abc",
        extraction(metadata={"model": "m", "run_id": "r", "processing_time_ms": "abc"}),
        "type",
        "metadata.processing_time_ms",
    ),
    (
        "processing_time_ms true",
        extraction(metadata={"model": "m", "run_id": "r", "processing_time_ms": True}),
        "type",
        "metadata.processing_time_ms",
    ),
    (
        "processing_time_ms an array",
        extraction(metadata={"model": "m", "run_id": "r", "processing_time_ms": [1]}),
        "type",
        "metadata.processing_time_ms",
    ),
    (
        "processing_time_ms 1e30",
        extraction(metadata={"model": "m", "run_id": "r", "processing_time_ms": 1e30}),
        "range",
        "metadata.processing_time_ms",
    ),
    (
        "processing_time_ms negative",
        extraction(metadata={"model": "m", "run_id": "r", "processing_time_ms": -1}),
        "range",
        "metadata.processing_time_ms",
    ),
    (
        "term too long",
        extraction(terms=[{"term": "t" * 201, "context": "c", "confidence": 0.5, "frequency": 1}]),
        "length",
        "terms.term",
    ),
    (
        "frequency zero",
        extraction(terms=[{"term": "t", "context": "c", "confidence": 0.5, "frequency": 0}]),
        "range",
        "terms.frequency",
    ),
    ("metadata missing", extraction(metadata=...), "required", "metadata"),
    ("model missing", extraction(metadata={"run_id": "r"}), "required", "metadata.model"),
    ("run_id missing", extraction(metadata={"model": "m"}), "required", "metadata.run_id"),
]


def _write(path, rows):
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _rejects(database):
    return query(
        database,
        "select line_number, rule, field, message, payload from raw.rejected_rows "
        "order by line_number",
    )


@pytest.mark.parametrize(
    ("case", "row", "rule", "field"), ITEM_CASES, ids=[c[0] for c in ITEM_CASES]
)
def test_item_rule(tmp_path, case, row, rule, field):
    source = tmp_path / "items.jsonl"
    lines = _write(source, [GOOD_ITEM, row])
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    [(line, got_rule, got_field, message, payload)] = _rejects(tmp_path / "w.duckdb")
    assert (line, got_rule, got_field) == (2, rule, field)
    assert payload == lines[1]  # verbatim
    assert field in message


@pytest.mark.parametrize(
    ("case", "row", "rule", "field"), EXTRACTION_CASES, ids=[c[0] for c in EXTRACTION_CASES]
)
def test_extraction_rule(tmp_path, case, row, rule, field):
    source = tmp_path / "extractions.jsonl"
    lines = _write(source, [GOOD_EXTRACTION, row])
    report = load_extractions([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    [(line, got_rule, got_field, _message, payload)] = _rejects(tmp_path / "w.duckdb")
    assert (line, got_rule, got_field) == (2, rule, field)
    assert payload == lines[1]


def test_messages_say_what_and_where(tmp_path):
    source = tmp_path / "extractions.jsonl"
    bad = extraction(
        attributes=[
            {"name": "a", "value": "v", "evidence": "e", "confidence": 0.2},
            {"name": "b", "value": "v", "evidence": "e", "confidence": 1.7},
        ]
    )
    _write(source, [bad])
    load_extractions([source], database=tmp_path / "w.duckdb")
    [(_, _, _, message, _)] = _rejects(tmp_path / "w.duckdb")
    assert message == "attributes[1].confidence must be a number within 0-1, got 1.7"


def test_document_level_rejects_keep_line_numbers(tmp_path):
    source = tmp_path / "items.jsonl"
    good = json.dumps(GOOD_ITEM)
    other = json.dumps({**GOOD_ITEM, "item_id": "ok-2"})
    source.write_bytes(
        b"\n".join(
            [
                good.encode(),
                b'{"item_id": "truncated", "title": ',  # line 2: not JSON
                b"",  # line 3: blank, not a row
                b'["an", "array"]',  # line 4: not an object
                b'{"item_id": "\xff\xfe", "title": "x"}',  # line 5: not UTF-8
                b'{"item_id": "ctl\x1f", "title": "x"}',  # line 6: raw control character
                other.encode(),  # line 7
            ]
        )
        + b"\n"
    )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 2, 4)
    rejects = _rejects(tmp_path / "w.duckdb")
    assert [(r[0], r[1]) for r in rejects] == [
        (2, "json_syntax"),
        (4, "not_an_object"),
        (5, "encoding"),
        (6, "json_syntax"),
    ]
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    raw_bytes = con.execute(
        "select payload_bytes from raw.rejected_rows where rule = 'encoding'"
    ).fetchone()[0]
    lines = con.execute(
        "select item_id, _line_number from raw.ingestion_items order by _line_number"
    ).fetchall()
    con.close()
    assert raw_bytes == b'{"item_id": "\xff\xfe", "title": "x"}'
    assert lines == [("ok-1", 1), ("ok-2", 7)]


def test_text_is_stored_verbatim(tmp_path):
    source = tmp_path / "items.jsonl"
    hostile = "x'); drop table raw.ingestion_items; --"
    _write(source, [item(title=hostile, description='emoji 🎧 and 「引號」 "quotes"')])
    load_items([source], database=tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    row = con.execute("select title, description from raw.ingestion_items").fetchone()
    con.close()
    assert row == (hostile, 'emoji 🎧 and 「引號」 "quotes"')


def test_limits_count_characters_not_escaped_bytes(tmp_path):
    """The length and blank rules answer most rows from the JSON text; escapes must not
    change the answer: 1000 characters written as \\u escapes (6002 bytes) fit the title,
    1001 do not; an escaped space alone is blank, a lone `!` is not."""
    rows = [
        item(item_id="fits", title="\u00e9" * 1000),
        item(item_id="too-long", title="\u00e9" * 1001),
        item(item_id="escaped-space", title="\u3000"),
        item(item_id="bang", title="!"),
    ]
    source = tmp_path / "items.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=True) + "\n" for r in rows))
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_loaded, report.rows_rejected) == (2, 2)
    rejects = [(line, rule, field) for line, rule, field, *_ in _rejects(tmp_path / "w.duckdb")]
    assert rejects == [(2, "length", "title"), (3, "blank", "title")]
    loaded = query(tmp_path / "w.duckdb", "select item_id, length(title) from raw.ingestion_items")
    assert sorted(loaded) == [("bang", 1), ("fits", 1000)]


def test_several_values_for_one_attribute_load(tmp_path):
    # real extraction output is multi-valued (WDC-PAVE: `Interface: SAS` from the title and
    # `Interface: Serial Attached SCSI (SAS)` from the description); an exact repeat of a
    # name and value loads too: raw keeps what was delivered, the dbt models keep one row
    # per distinct value
    source = tmp_path / "extractions.jsonl"
    interface = {"name": "Interface", "evidence": "e", "confidence": 1.0}
    row = extraction(
        attributes=[
            {**interface, "value": "SAS"},
            {**interface, "name": "interface", "value": "Serial Attached SCSI (SAS)"},
            {**interface, "value": "SAS"},
        ]
    )
    _write(source, [row])
    report = load_extractions([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (1, 1, 0)
    [(count,)] = query(
        tmp_path / "w.duckdb", "select json_array_length(attributes) from raw.extraction_results"
    )
    assert count == 3


# Every value an element field may hold, good and bad: JSON types, blanks, escapes, bounds.
ELEMENT_VALUES = [
    ...,  # absent
    None,
    "",
    " ",
    "\u3000",
    "x",
    "!",
    "0.5",
    "high",
    "é" * 100,
    "é" * 101,
    "x" * 1001,
    0,
    -0.0,
    0.5,
    1,
    1.0,
    1.7,
    2.0,
    -1,
    2**63,
    1e30,
    True,
    {"p": 0.5},
    [1],
]


def _grid(base: dict, fields: tuple[str, ...]) -> list[dict]:
    """`base` with each field set to each of ELEMENT_VALUES in turn."""
    rows = []
    for field in fields:
        for value in ELEMENT_VALUES:
            element = {**base, field: value}
            rows.append({k: v for k, v in element.items() if v is not ...})
    return rows


def test_the_clean_check_is_the_complement_of_the_rules(tmp_path):
    """clean_sql skips the checks marked implied (ElementCheck); the clean rows and the rows
    a rule names must still split every row between them, element value by element value."""
    attributes = _grid(
        GOOD_EXTRACTION["attributes"][0], ("name", "value", "evidence", "confidence")
    )
    terms = _grid(GOOD_EXTRACTION["terms"][0], ("term", "context", "confidence", "frequency"))
    rows = [extraction(attributes=[a]) for a in attributes] + [
        extraction(terms=[GOOD_EXTRACTION["terms"][0], t]) for t in terms
    ]
    source = tmp_path / "extractions.jsonl"
    _write(source, rows)
    report = load_extractions([source], database=tmp_path / "w.duckdb")
    assert report.rows_read == len(rows) == report.rows_loaded + report.rows_rejected
    # each kind of value is judged: some of the grid lands, most of it does not
    assert 10 < report.rows_loaded < report.rows_rejected
    # and each implied check's rule still names the rows it is first to break
    named = {(rule, field) for _, rule, field, *_ in _rejects(tmp_path / "w.duckdb")}
    for field in ("attributes.name", "attributes.evidence", "terms.frequency"):
        assert {("required", field), ("type", field)} <= named
    assert ("type", "attributes.confidence") in named


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("items", GOOD_ITEM, item(language="english")),
        ("extractions", GOOD_EXTRACTION, extraction(attributes=[{"name": "color"}])),
    ],
)
def test_the_insert_without_rules_keeps_what_the_rules_reject(tmp_path, kind, good, bad):
    """bench/bench_loader.py measures the raw shape alone with fast_insert_sql(rules=False):
    the same insert, every row kept. The default insert keeps only the clean row."""
    source = tmp_path / f"{kind}.jsonl"
    _write(source, [good, bad])
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    migrate(con, str(database))
    params = {"path": str(source), "load_id": "b", "loaded_at": "2026-01-01 00:00:00+00"}
    try:
        assert con.execute(fast_insert_sql(kind), params).fetchone()[0] == 1
        assert con.execute(fast_insert_sql(kind, rules=False), params).fetchone()[0] == 2
        table = TARGET_TABLE[kind]
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == 3
    finally:
        con.close()
