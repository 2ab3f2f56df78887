"""The raw-shape rules, as SQL expressions DuckDB evaluates over a whole batch at once.

Each rule has a short code (stored in raw.rejected_rows.rule), the field it is about, the
condition that breaks it and a message for a person. The first rule a row breaks decides
its reject; a row that breaks none is loaded. Meaning (is this a known colour? is this
category active?) is not checked here: that is dbt's job.

The SQL sees one relation per batch, `parsed`, with columns
`line_number`, `payload_bytes` (BLOB), `text` (VARCHAR or null when not UTF-8) and
`doc` (JSON or null when not valid JSON).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGE_TAG = (
    r"^(auto|[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*)$"
)
NUMBER_TYPES = "('DOUBLE', 'BIGINT', 'UBIGINT')"
INTEGER_TYPES = "('BIGINT', 'UBIGINT')"


@dataclass(frozen=True)
class Rule:
    code: str
    field: str | None
    broken: str  # SQL condition, true when the row breaks the rule
    message: str  # SQL expression for the message


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json_type(field: str, doc: str = "doc") -> str:
    return f"json_type({doc}, '$.{field}')"


def _shown(expr: str) -> str:
    """A value for a message: quoted and cut to 60 characters."""
    return f"coalesce('\"' || left({expr}, 60) || '\"', 'null')"


def document_rules() -> list[Rule]:
    return [
        Rule("encoding", None, "text is null", "'the line is not valid UTF-8'"),
        Rule("json_syntax", None, "doc is null", "'the line is not valid JSON'"),
        Rule(
            "not_an_object",
            None,
            "json_type(doc) <> 'OBJECT'",
            "'expected a JSON object, got ' || json_type(doc)",
        ),
    ]


def string_rules(field: str, *, required: bool, max_length: int, path: str = "") -> list[Rule]:
    """`field` present (when required), a string, not blank, at most max_length characters."""
    full = f"{path}{field}"
    kind = _json_type(full)
    value = f"doc->>'$.{full}'"
    rules = []
    if required:
        rules.append(
            Rule(
                "required",
                full,
                f"coalesce({kind}, 'NULL') = 'NULL'",
                _quote(f"{full} is required"),
            )
        )
    rules.append(
        Rule(
            "type",
            full,
            f"{kind} not in ('VARCHAR', 'NULL')",
            f"{_quote(full + ' must be a string, got ')} || {kind}",
        )
    )
    if required:
        rules.append(Rule("blank", full, f"trim({value}) = ''", _quote(f"{full} is blank")))
    rules.append(
        Rule(
            "length",
            full,
            f"length({value}) > {max_length}",
            f"{_quote(full + ' has ')} || length({value}) || "
            f"{_quote(f' characters, at most {max_length} allowed')}",
        )
    )
    return rules


def object_rule(field: str, path: str = "") -> Rule:
    full = f"{path}{field}"
    kind = _json_type(full)
    return Rule(
        "type",
        full,
        f"{kind} not in ('OBJECT', 'NULL')",
        f"{_quote(full + ' must be an object, got ')} || {kind}",
    )


def timestamp_rule(field: str, path: str = "") -> Rule:
    full = f"{path}{field}"
    value = f"doc->>'$.{full}'"
    return Rule(
        "timestamp",
        full,
        f"{value} is not null and try_cast({value} as timestamptz) is null",
        f"{_quote(full + ' is not a timestamp: ')} || {_shown(value)}",
    )


def element_rule(
    array: str, field: str | None, code: str, broken_on_x: str, requirement: str
) -> Rule:
    """A rule over every element `x` of the JSON array `array` (or over one field of each
    element); the message points at the first bad element, e.g. `attributes[2].confidence`."""
    elements = f"json_extract(doc, '$.{array}[*]')"
    position = (
        f"list_position(list_transform({elements}, lambda x: coalesce({broken_on_x}, true)), true)"
    )
    element = f"{elements}[{position}]"
    offender = f"json_extract({element}, '$.{field}')::varchar" if field else f"{element}::varchar"
    suffix = f".{field}" if field else ""
    return Rule(
        code,
        f"{array}{suffix}",
        f"{position} is not null",
        f"{_quote(array + '[')} || ({position} - 1) || "
        f"{_quote(']' + suffix + ' ' + requirement + ', got ')} || "
        f"coalesce(left({offender}, 60), 'nothing')",
    )


def array_rules(array: str, fields: list[tuple[str, str, str, str]]) -> list[Rule]:
    """`array` is an array (or absent) of objects; each of `fields` is
    (field, code, broken, requirement)."""
    kind = _json_type(array)
    rules = [
        Rule(
            "type",
            array,
            f"{kind} not in ('ARRAY', 'NULL')",
            f"{_quote(array + ' must be an array, got ')} || {kind}",
        ),
        element_rule(array, None, "type", "json_type(x) <> 'OBJECT'", "must be an object"),
    ]
    for field, code, broken, requirement in fields:
        rules.append(element_rule(array, field, code, broken, requirement))
    return rules


def _text_between(field: str, low: int, high: int) -> str:
    value = f"(x->>'$.{field}')"
    return (
        f"json_type(x, '$.{field}') is distinct from 'VARCHAR' "
        f"or length(trim({value})) < {low} or length({value}) > {high}"
    )


def _number_between(field: str, low: float, high: float) -> str:
    return (
        f"json_type(x, '$.{field}') not in {NUMBER_TYPES} "
        f"or (x->>'$.{field}')::double not between {low} and {high}"
    )


ITEM_RULES: list[Rule] = [
    *document_rules(),
    *string_rules("item_id", required=True, max_length=255),
    *string_rules("title", required=True, max_length=1000),
    *string_rules("description", required=False, max_length=5000),
    *string_rules("raw_category", required=False, max_length=500),
    *string_rules("source", required=True, max_length=100),
    Rule(
        "required",
        "language",
        "coalesce(json_type(doc, '$.language'), 'NULL') = 'NULL'",
        "'language is required'",
    ),
    Rule(
        "language_tag",
        "language",
        f"not regexp_full_match(coalesce(doc->>'$.language', ''), {_quote(LANGUAGE_TAG)})",
        "'language must be auto or a BCP-47 tag such as en, zh-TW or zh-Hant-TW, got ' || "
        + _shown("doc->>'$.language'"),
    ),
    object_rule("raw_attributes"),
    object_rule("metadata"),
    timestamp_rule("ingested_at"),
]


def _duplicate_attribute_names() -> Rule:
    names = (
        "list_transform(json_extract(doc, '$.attributes[*]'), lambda x: lower(trim(x->>'$.name')))"
    )
    duplicated = (
        f"list_filter(list_distinct({names}), "
        f"lambda v: len(list_filter({names}, lambda w: w = v)) > 1)"
    )
    return Rule(
        "duplicate_name",
        "attributes.name",
        f"len(list_distinct({names})) < len({names})",
        "'attribute names must be unique within a result; repeated: ' || "
        f"array_to_string({duplicated}, ', ')",
    )


EXTRACTION_RULES: list[Rule] = [
    *document_rules(),
    *string_rules("item_id", required=True, max_length=255),
    *array_rules(
        "attributes",
        [
            (
                "name",
                "length",
                _text_between("name", 1, 100),
                "must be a string of 1-100 characters",
            ),
            (
                "value",
                "length",
                _text_between("value", 1, 500),
                "must be a string of 1-500 characters",
            ),
            (
                "evidence",
                "length",
                _text_between("evidence", 1, 1000),
                "must be a string of 1-1000 characters",
            ),
            (
                "confidence",
                "range",
                _number_between("confidence", 0, 1),
                "must be a number within 0-1",
            ),
        ],
    ),
    _duplicate_attribute_names(),
    *array_rules(
        "terms",
        [
            (
                "term",
                "length",
                _text_between("term", 1, 200),
                "must be a string of 1-200 characters",
            ),
            (
                "context",
                "length",
                _text_between("context", 1, 1000),
                "must be a string of 1-1000 characters",
            ),
            (
                "confidence",
                "range",
                _number_between("confidence", 0, 1),
                "must be a number within 0-1",
            ),
            (
                "frequency",
                "range",
                f"json_type(x, '$.frequency') not in {INTEGER_TYPES} "
                "or (x->>'$.frequency')::bigint < 1",
                "must be an integer of at least 1",
            ),
        ],
    ),
    Rule(
        "required",
        "metadata",
        "json_type(doc, '$.metadata') is distinct from 'OBJECT'",
        "'metadata is required and must be an object with model and run_id'",
    ),
    *string_rules("model", required=True, max_length=200, path="metadata."),
    *string_rules("run_id", required=True, max_length=200, path="metadata."),
    timestamp_rule("extracted_at", path="metadata."),
    Rule(
        "range",
        "metadata.processing_time_ms",
        f"json_type(doc, '$.metadata.processing_time_ms') not in {NUMBER_TYPES[:-1]}, 'NULL')"
        " or (doc->>'$.metadata.processing_time_ms')::double < 0",
        "'metadata.processing_time_ms must be a number of at least 0'",
    ),
]

RULES = {"items": ITEM_RULES, "extractions": EXTRACTION_RULES}


def violation_sql(rules: list[Rule]) -> str:
    """One CASE that names the first broken rule as a struct(rule, field, message), else null."""
    branches = "\n".join(
        f"        when {r.broken} then {{'rule': {_quote(r.code)}, "
        f"'field': {_quote(r.field) if r.field else 'null::varchar'}, 'message': {r.message}}}"
        for r in rules
    )
    return f"case\n{branches}\n    end"
