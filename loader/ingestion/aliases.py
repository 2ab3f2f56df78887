"""Field aliases and defaults: a source that says `product_name` or `lang` loads without a
conversion script (the original domain pack's `input_mapping`), and a field a source never
sends gets a default (`source=flipkart`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from loader.ingestion.rule_sql import quote
from loader.ingestion.rules import SHAPES
from loader.warehouse import LoaderError, quote_identifier


@dataclass
class InputMapping:
    """aliases: field -> names a source may use instead (first present wins);
    defaults: field -> value used when a record has none of them."""

    aliases: dict[str, list[str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.aliases or self.defaults)

    def names(self, field_name: str) -> list[str]:
        extra = [a for a in self.aliases.get(field_name, []) if a != field_name]
        return [field_name, *extra]

    def check(self, kind: str) -> None:
        shape = SHAPES[kind]
        known = shape.fields
        for name in [*self.aliases, *self.defaults]:
            if name not in known:
                raise LoaderError(
                    f"alias or default for unknown {kind} field {name!r}; "
                    f"fields are {', '.join(known)}"
                )
        for name in self.defaults:
            if name not in shape.strings:
                raise LoaderError(f"defaults are for text fields; {name!r} is not one")

    @classmethod
    def from_options(
        cls, aliases: list[str] = (), defaults: list[str] = (), aliases_file: str | None = None
    ) -> InputMapping:
        """From CLI options `--alias title=product_name`, `--set source=flipkart` and
        `--aliases domain.yaml` (its `input_mapping:`, or a plain mapping)."""
        mapping = cls()
        if aliases_file:
            try:
                document = yaml.safe_load(Path(aliases_file).read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise LoaderError(f"{aliases_file}: cannot read aliases: {exc}") from exc
            section = (
                document.get("input_mapping", document) if isinstance(document, dict) else None
            )
            if not isinstance(section, dict):
                raise LoaderError(f"{aliases_file}: expected a mapping of field -> [names]")
            for name, names in section.items():
                names = [names] if isinstance(names, str) else list(names or [])
                mapping.aliases.setdefault(str(name), []).extend(str(n) for n in names)
        for option, target in ((aliases, mapping.aliases), (defaults, mapping.defaults)):
            for text in option:
                name, sep, value = text.partition("=")
                if not sep or not name or not value:
                    raise LoaderError(f"expected FIELD=VALUE, got {text!r}")
                if target is mapping.aliases:
                    target.setdefault(name, []).extend(v for v in value.split(","))
                else:
                    target[name] = value
        return mapping

    def usable(self, kind: str) -> InputMapping:
        """Only the aliases of fields this kind has (a domain pack maps more fields)."""
        known = SHAPES[kind].fields
        return InputMapping(
            {k: v for k, v in self.aliases.items() if k in known},
            {k: v for k, v in self.defaults.items() if k in known},
        )


def repack_sql(kind: str, mapping: InputMapping) -> str:
    """SQL that replaces `j` by a struct of the canonical fields, each taken from the first
    of its names present, else its default (JSON formats)."""
    shape = SHAPES[kind]
    parts = []
    for name in shape.fields:
        options = [f"j.{quote_identifier(n)}" for n in mapping.names(name)]
        if name in mapping.defaults:
            options.append(f"{quote(json.dumps(mapping.defaults[name]))}::json")
        parts.append(f"{quote_identifier(name)} := coalesce({', '.join(options)})")
    return f"struct_pack({', '.join(parts)})"


def json_struct(kind: str, mapping: InputMapping) -> str:
    """The json_transform structure: every field and every alias, as a SQL string literal
    of JSON text (an alias is data: it may hold quotes of either kind)."""
    shape = SHAPES[kind]
    return quote(json.dumps({n: "JSON" for f in shape.fields for n in mapping.names(f)}))
