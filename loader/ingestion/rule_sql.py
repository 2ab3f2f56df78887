"""The building blocks of the raw-shape rules (loader/ingestion/rules.py): SQL expressions
DuckDB evaluates over a whole batch at once.

Each rule has a short code (stored in raw.rejected_rows.rule), the field it is about, the
condition that breaks it and a message for a person. The first rule a row breaks decides
its reject; a row that breaks none is loaded. Meaning (is this a known colour? is this
category active?) is not checked here: that is dbt's job.

Every line is parsed once, whatever its size (no per-field re-parsing), into two structs:
- `j`: each top-level field as its JSON text (`"abc"`, `42`, `{...}`), null when absent
  or JSON null; its first character tells the field's JSON type;
- `v`: the string fields as text, taken from `j` by dropping the quotes (a string with an
  escape sequence in it is unescaped by the JSON parser);
- `e`: the array fields' elements and the object fields' checked members, parsed once:
  structs of their fields' JSON text.
The SQL also sees `line_number`, `text` (null when not UTF-8) and `payload` (the bytes).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

NUMBER_TYPES = "('DOUBLE', 'BIGINT', 'UBIGINT')"
INTEGER_TYPES = "('BIGINT', 'UBIGINT')"
MAX_BIGINT = 2**63 - 1  # raw.* stores counts and durations as bigint


@dataclass(frozen=True)
class Rule:
    code: str
    field: str | None
    broken: str  # SQL condition, true when the row breaks the rule
    message: str  # SQL expression for the message
    # True when every row that breaks it breaks a later rule too: it is there for its
    # message, and clean_sql, which only asks whether a row breaks any rule, skips it
    implied: bool = False
    # a rule over each element of an array field (element_rule): the array (`e.<array>`) and
    # the condition on one element `x`; clean_sql checks all of an array's in one pass
    each: tuple[str, str] | None = None


@dataclass(frozen=True)
class Shape:
    """The top-level fields of a kind of record: JSON type expected for each. `arrays` maps
    each array field to the fields its elements (objects) are checked for, `members` each
    object field to the members checked in it."""

    strings: tuple[str, ...]
    objects: tuple[str, ...] = ()
    arrays: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    members: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.strings, *self.objects, *self.arrays)

    def json_struct(self) -> str:
        return json.dumps({f: "JSON" for f in self.fields})

    def elements(self, *, arrays: bool = True) -> str:
        """struct_pack of the array fields' elements and the object fields' checked members,
        each field parsed once per row for all the rules (once per rule made extraction loads
        5x slower): an array is a list of structs, an object a struct, of their fields' JSON
        text, each null when absent or JSON null. Without `arrays`, the members only (what
        the projection reads; DuckDB parses a struct_pack's fields even when none is read)."""
        parts = {**(self.arrays if arrays else {}), **self.members}
        if not parts:
            return "null"
        fields = []
        for name, names in parts.items():
            struct = {f: "JSON" for f in names}
            struct = json.dumps([struct] if name in self.arrays else struct)
            fields.append(f"{name} := json_transform(j.{name}, {quote(struct)})")
        return f"struct_pack({', '.join(fields)})"

    def text_values(self) -> str:
        """struct_pack of the string fields' text, from their JSON text in `j`."""
        # (`->>` unescapes; it is cheaper than trimming the quotes, which scans characters)
        fields = ", ".join(
            f"{f} := case when starts_with(j.{f}, '\"') then j.{f}->>'$' end" for f in self.strings
        )
        return f"struct_pack({fields})"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def shown(expr: str) -> str:
    """A value for a message: quoted and cut to 60 characters."""
    return f"coalesce('\"' || left({expr}, 60) || '\"', 'null')"


def not_json_kind(expr: str, first_char: str) -> str:
    """True when the JSON text `expr` is present and not of the kind its first char shows
    (starts_with compares bytes: much faster than taking the first character)."""
    return f"{expr} is not null and not starts_with({expr}, {first_char})"


def _longer_than(raw: str, value: str, limit: int) -> str:
    """More than `limit` characters. The JSON text `raw` answers most rows without unescaping
    `value`: unescaping only shortens, so a JSON string of at most limit + 2 bytes (its
    quotes) is never too long; then bytes are counted before characters (cheaper)."""
    # (a CASE evaluates its branch only for the rows that reach it; AND evaluates both sides)
    return (
        f"case when strlen({raw}::varchar) > {limit + 2} "
        f"then strlen({value}) > {limit} and length({value}) > {limit} else false end"
    )


def _blank(raw: str, value: str) -> str:
    """`trim(value) = ''` (trim removes Unicode space separators), answered from the JSON
    text `raw` when it starts with a quote and a printable ASCII character other than space,
    `!`, a quote (the empty string) and backslash: such a string is never blank, and
    comparing bytes is much cheaper than unescaping and trimming."""
    raw = f"{raw}::varchar"
    printable = f"{raw} >= '\"#' and {raw} < ('\"' || chr(127)) and {raw} not like '\"\\%'"
    return f"case when {printable} then false else trim({value}) = '' end"


def document_rules() -> list[Rule]:
    return [
        Rule("format", None, "reader_error is not null", "reader_error"),
        Rule("encoding", None, "text is null", "'the line is not valid UTF-8'"),
        Rule(
            "json_syntax",
            None,
            "j is null and not json_valid(text)",
            "'the line is not valid JSON'",
        ),
        Rule(
            "not_an_object",
            None,
            "not starts_with(ltrim(text), '{')",
            "'expected a JSON object, got ' || json_type(text::json)",
        ),
    ]


def string_rules(field: str, limits: tuple[int, int]) -> list[Rule]:
    """`field` a string of `limits` (min, max) characters: present and not blank when min is
    1, at most max characters."""
    raw, value = f"j.{field}", f"v.{field}"
    required, max_length = limits[0] > 0, limits[1]
    rules = []
    if required:
        rules.append(Rule("required", field, f"{raw} is null", quote(f"{field} is required")))
    rules.append(
        Rule(
            "type",
            field,
            not_json_kind(raw, "'\"'"),
            f"{quote(field + ' must be a string, got ')} || json_type({raw})",
        )
    )
    if required:
        rules.append(Rule("blank", field, _blank(raw, value), quote(f"{field} is blank")))
    rules.append(
        Rule(
            "length",
            field,
            _longer_than(raw, value, max_length),
            f"{quote(field + ' has ')} || length({value}) || "
            f"{quote(f' characters, at most {max_length} allowed')}",
        )
    )
    return rules


def object_rule(field: str) -> Rule:
    raw = f"j.{field}"
    return Rule(
        "type",
        field,
        not_json_kind(raw, "'{'"),
        f"{quote(field + ' must be an object, got ')} || json_type({raw})",
    )


def parse_timestamp(value: str) -> str:
    """ISO 8601 (with or without an offset; none means UTC) and the `2016-03-25 22:59:23
    +0000` form marketplace exports use."""
    return (
        f"coalesce(try_cast({value} as timestamptz), "
        f"try_strptime({value}, ['%Y-%m-%d %H:%M:%S %z', '%Y-%m-%dT%H:%M:%S%z']))"
    )


def timestamp_rule(field: str, value: str) -> Rule:
    return Rule(
        "timestamp",
        field,
        f"{value} is not null and {parse_timestamp(value)} is null",
        f"{quote(field + ' is not a timestamp: ')} || {shown(value)}",
    )


def text_between(text: str, limits: tuple[int, int]) -> str:
    """True when the JSON `text` is not a string of `limits` characters (trimmed). The text
    answers most rows without unescaping: unescaping only shortens, and text that starts
    with printable ASCII (not a quote, not an escape) is not blank."""
    low, high = limits
    text, value = f"{text}::varchar", f"({text}->>'$')"
    short = f"length(trim({value})) < {low}"
    if low == 1:
        printable = f"{text} >= '\"#' and {text} < ('\"' || chr(127)) and {text} not like '\"\\%'"
        short = f"(case when {printable} then false else {short} end)"
    long = f"(case when strlen({text}) > {high + 2} then length({value}) > {high} else false end)"
    return f"not starts_with({text}, '\"') or {short} or {long}"


def violation_sql(rules: list[Rule]) -> str:
    """One CASE that names the first broken rule as a struct(rule, field, message), else null."""
    branches = "\n".join(
        f"        when {r.broken} then {{'rule': {quote(r.code)}, "
        f"'field': {quote(r.field) if r.field else 'null::varchar'}, 'message': {r.message}}}"
        for r in rules
    )
    return f"case\n{branches}\n    end"


def clean_sql(rules: list[Rule]) -> str:
    """True when a row breaks none of the rules (a null condition does not break one, as in
    violation_sql's CASE). The rules over an array's elements are asked together, in one
    lambda over the elements (a lambda per rule, 24 of them, cost 5% of an extraction load)."""
    checks: dict[str, list[str] | None] = {}  # a condition, or an array -> its element ones
    for rule in (r for r in rules if not r.implied):
        if rule.each is None:
            checks[rule.broken] = None
        else:
            checks.setdefault(rule.each[0], []).append(f"coalesce({rule.each[1]}, true)")
    return "\n        and ".join(
        f"({check}) is not true"
        if each is None
        else f"(list_position(list_transform({check}, lambda x: {' or '.join(each)}), true) "
        "is not null) is not true"
        for check, each in checks.items()
    )
