"""The raw-shape rules of items and extraction results, in the order they are checked: the
first rule a row breaks decides its reject (loader/ingestion/rule_sql.py has the building
blocks).

LIMITS is the one place the field lengths are written; the README, the dbt docs blocks and
the raw sources' YAML quote them, and tests/python/loader/test_rules.py fails when one of
them says otherwise.
"""

from __future__ import annotations

from loader.ingestion.element_rules import (
    ElementCheck,
    array_rules,
    not_a_number,
    number_between,
)
from loader.ingestion.rule_sql import (
    INTEGER_TYPES,
    MAX_BIGINT,
    NUMBER_TYPES,
    Rule,
    Shape,
    document_rules,
    object_rule,
    quote,
    shown,
    string_rules,
    text_between,
    timestamp_rule,
)

# (min, max) characters of each text field; min 0 means the field may be absent
LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "items": {
        "item_id": (1, 255),
        "title": (1, 1000),
        "description": (0, 5000),
        "raw_category": (0, 500),
        "source": (1, 100),
        "ingested_at": (0, 100),
    },
    "extractions": {
        "item_id": (1, 255),
        "attributes.name": (1, 100),
        "attributes.value": (1, 500),
        "attributes.evidence": (1, 1000),
        "terms.term": (1, 200),
        "terms.context": (1, 1000),
        "metadata.model": (1, 200),
        "metadata.run_id": (1, 200),
    },
}
LANGUAGE_TAG = (
    r"^(auto|[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*)$"
)

ITEM_SHAPE = Shape(
    strings=(
        "item_id",
        "title",
        "description",
        "raw_category",
        "source",
        "language",
        "ingested_at",
    ),
    objects=("raw_attributes", "metadata"),
)
_ITEM = LIMITS["items"]

ITEM_RULES: list[Rule] = [
    *document_rules(),
    *string_rules("item_id", _ITEM["item_id"]),
    *string_rules("title", _ITEM["title"]),
    *string_rules("description", _ITEM["description"]),
    *string_rules("raw_category", _ITEM["raw_category"]),
    *string_rules("source", _ITEM["source"]),
    Rule("required", "language", "j.language is null", "'language is required'"),
    Rule(
        "language_tag",
        "language",
        f"not regexp_full_match(coalesce(v.language, ''), {quote(LANGUAGE_TAG)})",
        "'language must be auto or a BCP-47 tag such as en, zh-TW or zh-Hant-TW, got ' || "
        + shown("j.language"),
    ),
    object_rule("raw_attributes"),
    object_rule("metadata"),
    *string_rules("ingested_at", _ITEM["ingested_at"]),
    timestamp_rule("ingested_at", "v.ingested_at"),
]


def _required(field: str) -> ElementCheck:
    # implied by each field's last check, which a missing field breaks too (null counts)
    return ElementCheck(field, "required", f"x.{field} is null", "is required", implied=True)


def _text_element(array: str, field: str) -> list[ElementCheck]:
    """An element field of `array` that must be a string within its LIMITS: absent or null
    is `required`, not a string `type`, too short or long `length`."""
    low, high = limits = LIMITS["extractions"][f"{array}.{field}"]
    return [
        _required(field),
        # implied: text_between is true for any text that is not a string
        ElementCheck(
            field, "type", f"not starts_with(x.{field}, '\"')", "must be a string", implied=True
        ),
        ElementCheck(
            field,
            "length",
            text_between(f"x.{field}", limits),
            f"must be a string of {low}-{high} characters",
        ),
    ]


# A confidence that is not a number (true, "high", "0.5", an object) is a `type` reject; a
# number outside 0-1 a `range` one. (The range check casts the JSON text, which fails, so
# counts as broken, for anything but a number: the type check is implied.)
_CONFIDENCE = [
    _required("confidence"),
    ElementCheck(
        "confidence", "type", not_a_number("confidence"), "must be a number", implied=True
    ),
    ElementCheck(
        "confidence", "range", number_between("confidence", 0, 1), "must be a number within 0-1"
    ),
]
# (2.0 casts to an integer: here the type check is not implied by the range one)
_FREQUENCY = [
    _required("frequency"),
    ElementCheck(
        "frequency", "type", f"json_type(x.frequency) not in {INTEGER_TYPES}", "must be an integer"
    ),
    ElementCheck(
        "frequency",
        "range",
        f"try_cast(x.frequency::varchar as hugeint) not between 1 and {MAX_BIGINT}",
        f"must be at least 1 and at most {MAX_BIGINT}",
    ),
]


def metadata_number(field: str, high: int) -> list[Rule]:
    """`metadata.<field>` absent, or a number within 0-`high`."""
    text, full = f"e.metadata.{field}", f"metadata.{field}"
    return [
        Rule(
            "type",
            full,
            f"json_type({text}) not in {NUMBER_TYPES}",
            f"{quote(full + ' must be a number, got ')} || json_type({text})",
        ),
        Rule(
            "range",
            full,
            f"try_cast({text}::varchar as double) not between 0 and {high}",
            quote(f"{full} must be a number within 0-{high}"),
        ),
    ]


def metadata_string(field: str, limits: tuple[int, int]) -> list[Rule]:
    """`metadata.<field>` present, a string of `limits` characters (trimmed)."""
    low, high = limits
    text, full = f"e.metadata.{field}", f"metadata.{field}"
    return [
        Rule("required", full, f"{text} is null", quote(f"{full} is required")),
        Rule(
            "type",
            full,
            f"not starts_with({text}, '\"')",
            f"{quote(full + ' must be a string, got ')} || json_type({text})",
        ),
        Rule(
            "length",
            full,
            text_between(text, limits),
            quote(f"{full} must have {low}-{high} characters"),
        ),
    ]


EXTRACTION_SHAPE = Shape(
    strings=("item_id",),
    objects=("metadata",),
    arrays={
        "attributes": ("name", "value", "evidence", "confidence"),
        "terms": ("term", "context", "confidence", "frequency"),
    },
    members={"metadata": ("model", "run_id", "extracted_at", "processing_time_ms")},
)
_EXTRACTION = LIMITS["extractions"]

EXTRACTION_RULES: list[Rule] = [
    *document_rules(),
    *string_rules("item_id", _EXTRACTION["item_id"]),
    *array_rules(
        "attributes",
        [
            *_text_element("attributes", "name"),
            *_text_element("attributes", "value"),
            *_text_element("attributes", "evidence"),
            *_CONFIDENCE,
        ],
    ),
    *array_rules(
        "terms",
        [
            *_text_element("terms", "term"),
            *_text_element("terms", "context"),
            *_CONFIDENCE,
            *_FREQUENCY,
        ],
    ),
    Rule(
        "required",
        "metadata",
        "j.metadata is null or not starts_with(j.metadata, '{')",
        "'metadata is required and must be an object with model and run_id'",
    ),
    *metadata_string("model", _EXTRACTION["metadata.model"]),
    *metadata_string("run_id", _EXTRACTION["metadata.run_id"]),
    timestamp_rule("metadata.extracted_at", "(e.metadata.extracted_at->>'$')"),
    *metadata_number("processing_time_ms", MAX_BIGINT),
]

SHAPES = {"items": ITEM_SHAPE, "extractions": EXTRACTION_SHAPE}
RULES = {"items": ITEM_RULES, "extractions": EXTRACTION_RULES}
