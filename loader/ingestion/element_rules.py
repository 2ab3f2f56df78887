"""The rules over the elements of array fields (extraction results' attributes and terms):
each element's fields checked in one pass per row, the first bad element named in the
message. The other building blocks are in loader/ingestion/rule_sql.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from loader.ingestion.rule_sql import Rule, not_json_kind, quote


class ElementCheck(NamedTuple):
    """A rule over one field of each element of an array (array_rules). `implied` as for
    Rule: every element that breaks it breaks a later check of the same field too, in the
    clean check's reading, where a null condition counts as broken (clean_sql). Skipping
    such checks there saves 5% of the checking of extraction results (median of five runs over
    881,480 synthetic results: 2.86 s -> 2.72 s)."""

    field: str
    code: str
    broken: str  # SQL condition on the element `x`
    requirement: str
    implied: bool = False


def element_rule(
    array: str, field: str | None, code: str, broken_on_x: str, requirement: str
) -> Rule:
    """A rule over every element of the JSON array `j.<array>`: over one field of each element,
    `x` is the element, parsed once per row (Shape.elements), and `x.<field>` that field's
    JSON text; without a field, `x` is the element's JSON type. The message points at the
    first bad element, e.g. `attributes[2].confidence`."""
    elements = f"e.{array}" if field else f"json_type(j.{array}, '$[*]')"
    position = (
        f"list_position(list_transform({elements}, lambda x: coalesce({broken_on_x}, true)), true)"
    )
    if field:
        offender = f"struct_extract({elements}[{position}], {quote(field)})::varchar"
    else:
        offender = f"json_extract(j.{array}, '$[' || ({position} - 1) || ']')::varchar"
    suffix = f".{field}" if field else ""
    return Rule(
        code,
        f"{array}{suffix}",
        f"{position} is not null",
        f"{quote(array + '[')} || ({position} - 1) || "
        f"{quote(']' + suffix + ' ' + requirement + ', got ')} || "
        f"coalesce(left({offender}, 60), 'nothing')",
        each=(elements, broken_on_x) if field else None,
    )


def array_rules(array: str, fields: list[ElementCheck]) -> list[Rule]:
    """`array` is an array (or absent) of objects, its elements' fields checked by `fields`."""
    raw = f"j.{array}"
    rules = [
        Rule(
            "type",
            array,
            not_json_kind(raw, "'['"),
            f"{quote(array + ' must be an array, got ')} || json_type({raw})",
        ),
        # an element that is not an object lacks every field: each field's checks break too
        replace(
            element_rule(array, None, "type", "x <> 'OBJECT'", "must be an object"),
            implied=any(check.code == "required" for check in fields),
        ),
    ]
    for check in fields:
        rule = element_rule(array, check.field, check.code, check.broken, check.requirement)
        rules.append(replace(rule, implied=check.implied))
    return rules


def not_a_number(field: str) -> str:
    """True when the element `x`'s `field` is present and not a JSON number: only a number's
    JSON text starts with a minus or a digit."""
    return f"not (x.{field}::varchar >= '-' and x.{field}::varchar < ':')"


def number_between(field: str, low: float, high: float) -> str:
    """True when the element `x`'s `field` is a number outside low-high (its type is
    not_a_number's rule; try_cast, since SQL does not promise to evaluate `or` in order)."""
    return f"try_cast(x.{field}::varchar as double) not between {low} and {high}"
