"""The SQL of a load, built from the rules (loader/ingestion/rules.py): what a row of each
kind lands as in raw.*, how it is checked, and the inserts of rows and rejects.

Every statement reads a registered Arrow table `lines` (line_number, text, payload,
reader_error) or, on the fast path, the file itself through DuckDB's read_json; its
parameters ($load_id, $loaded_at, $path, ...) are bound, never formatted in.
"""

from __future__ import annotations

from loader.ingestion.aliases import InputMapping, json_struct, repack_sql
from loader.ingestion.rule_sql import clean_sql, parse_timestamp, violation_sql
from loader.ingestion.rules import RULES, SHAPES

KINDS = ("items", "extractions")
TARGET_TABLE = {"items": "raw.ingestion_items", "extractions": "raw.extraction_results"}

# The columns each kind lands with, as SQL over the structs `j` (JSON text per field), `v`
# (unescaped string fields) and `e` (array elements, object members) that
# loader/ingestion/rule_sql.py describes.
PROJECTION = {
    "items": f"""
        v.item_id as item_id,
        v.title as title,
        v.description as description,
        v.raw_category as raw_category,
        coalesce(j.raw_attributes, '{{}}'::json) as raw_attributes,
        v.source as source,
        v.language as language,
        coalesce(j.metadata, '{{}}'::json) as metadata,
        coalesce({parse_timestamp("v.ingested_at")}, $loaded_at) as ingested_at
    """,
    "extractions": f"""
        v.item_id as item_id,
        coalesce(j.attributes, '[]'::json) as attributes,
        coalesce(j.terms, '[]'::json) as terms,
        j.metadata as metadata,
        e.metadata.model->>'$' as model,
        e.metadata.run_id->>'$' as run_id,
        {parse_timestamp("e.metadata.extracted_at->>'$'")} as extracted_at,
        try_cast(try_cast(e.metadata.processing_time_ms::varchar as double) as bigint)
            as processing_time_ms
    """,
}
# What makes two records the same record (ingested_at is when, not what): the JSON text of
# these fields, in this order. _record_hash is DuckDB's 64-bit hash() of them, as 16 hex
# digits: it only tells changed records from unchanged ones, and md5 over the whole record
# cost a fifth of a load. hash() is stable for a DuckDB version (pinned in constraints.txt);
# tests/python/loader/test_load.py pins a value, so an upgrade that changes it is noticed.
HASHED = {
    "items": (
        "item_id",
        "title",
        "description",
        "raw_category",
        "raw_attributes",
        "source",
        "language",
        "metadata",
    ),
    "extractions": ("item_id", "attributes", "terms", "metadata"),
}


# Blank lines (nothing but JSON whitespace: spaces, tabs, CRs) are not rows. (The first test
# is there for speed: lines start with `{`.)
LINES_SQL = """
    select * from lines
    where text is null or starts_with(text, '{') or trim(text, chr(32) || chr(9) || chr(13)) <> ''
"""


def checked_sql(
    kind: str, parsed: str, mapping: InputMapping, *, clean: bool, rules: bool = True
) -> str:
    """The rows of `parsed` (a query giving `j`, the JSON text of each field, beside the
    line's columns) with their text fields and the hash of their canonical record: with
    `clean`, only the rows that break no rule; else only the others, each with the first
    rule it breaks (`violation`). The two are complements by construction. `rules=False`
    keeps every row, unchecked: only bench/bench_loader.py asks for that, to measure what
    the raw shape costs without the rules."""
    shape = SHAPES[kind]
    hashed = ", ".join(f"coalesce(j.{f}, 'null')" for f in HASHED[kind])
    # with aliases or defaults, each field is taken from the first of its names present
    renamed = f"select * replace ({repack_sql(kind, mapping)} as j)" if mapping else "select *"
    keep = clean_sql(RULES[kind]) if rules else "true"
    return f"""
        with parsed as (
            {parsed}
        ),
        renamed as (
            {renamed} from parsed
        ),
        typed as (
            select *, {shape.text_values()} as v, {shape.elements(arrays=rules)} as e
            from renamed
        )
        select
            *,
            {"null" if clean else violation_sql(RULES[kind])} as violation,
            format('{{:016x}}', hash({hashed})) as record_hash
        from typed
        where {keep if clean else f"not ({keep})"}
    """


def validated_sql(kind: str, mapping: InputMapping, *, clean: bool) -> str:
    """_checked_sql over the registered Arrow table `lines`, each line parsed once."""
    parsed = (
        f"select *, try(json_transform(text, {json_struct(kind, mapping)})) as j from ({LINES_SQL})"
    )
    return checked_sql(kind, parsed, mapping, clean=clean)


def fast_insert_sql(kind: str, *, rules: bool = True) -> str:
    """The fast path for JSON Lines: DuckDB's own parallel reader parses the file straight
    into the target (line numbers are set afterwards: ledger.number_fast_rows). Exact only
    when every line lands; file_load checks that. (`rules=False`: see checked_sql.)"""
    columns = ", ".join(f"'{f}': 'JSON'" for f in SHAPES[kind].fields)
    parsed = f"""
        select
            0::bigint as line_number,
            j,
            null::varchar as reader_error,
            '{{}}' as text
        from (
            select struct_pack(*columns(*)) as j
            -- lines over the reader's 16 MB object size fail here and take the careful path
            from read_json($path, format = 'newline_delimited', columns = {{{columns}}})
        )
    """
    return insert_rows_sql(
        kind,
        TARGET_TABLE[kind],
        checked_sql(kind, parsed, InputMapping(), clean=True, rules=rules),
    )


def insert_rows_sql(kind: str, into: str, clean_rows: str) -> str:
    """Insert the rows of the query `clean_rows` into `into`, as raw.* stores them."""
    return f"""
        insert into {into} by name
        select
            {PROJECTION[kind]},
            $load_id as _load_id,
            line_number as _line_number,
            $loaded_at as _loaded_at,
            record_hash as _record_hash
        from ({clean_rows})
    """


def insert_rejects_sql(kind: str, mapping: InputMapping, into: str) -> str:
    return f"""
        insert into {into}
        select $load_id, $kind, $file_path, line_number,
            violation.rule, violation.field, violation.message,
            text, case when text is null then payload end, $loaded_at
        from ({validated_sql(kind, mapping, clean=False)})
    """
