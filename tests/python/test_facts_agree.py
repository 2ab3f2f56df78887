"""Facts that the Python side and the dbt side both state must say the same thing: each is
written once (named below) and every other place that quotes it is checked here."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from loader.curation.seed_files import SEED_COLUMNS
from loader.ingestion.rules import LIMITS
from loader.release.export import CHANGE_TYPES
from loader.warehouse import LAYERS

REPO = Path(__file__).resolve().parents[2]
STATED = re.compile(r"\((?:(\d+)-(\d+)|at most (\d+)) characters\)")


def _stated(text: str) -> tuple[int, int] | None:
    """The `(1-255 characters)` or `(at most 500 characters)` a description states."""
    match = STATED.search(text or "")
    if not match:
        return None
    low, high, most = match.groups()
    return (int(low), int(high)) if most is None else (0, int(most))


def _readme_rules() -> dict[str, dict[str, tuple[int, int]]]:
    """The README's rule paragraphs: `field` 1-255, `field` at most 5000, per kind."""
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    items = text[text.index("The item rules:") : text.index("Extraction results:")]
    extractions = text[text.index("Extraction results:") :][:800]
    found = {}
    for kind, paragraph in (("items", items), ("extractions", extractions)):
        found[kind] = {}
        for name, low, high, most in re.findall(
            r"`([\w.]+)` (?:(\d+)-(\d+)|at most (\d+))", paragraph
        ):
            found[kind][name] = (int(low), int(high)) if not most else (0, int(most))
    return found


def _leaf(kind: str, field: str) -> str:
    """How the README names an element field: `name`, not `attributes.name`."""
    prefix = field.split(".")[0]
    return (
        field.split(".", 1)[1]
        if kind == "extractions" and prefix in ("attributes", "terms")
        else field
    )


def test_field_limits_readme():
    stated = _readme_rules()
    for kind, limits in LIMITS.items():
        for field, (low, high) in limits.items():
            if field == "ingested_at":  # a timestamp: its length limit is a guard, not a rule
                continue
            name = _leaf(kind, field)
            expected = (low, high) if low else (0, high)
            assert stated[kind].get(name) == expected, f"README: {kind} {name}"
        # nothing stated that the rules do not have
        assert set(stated[kind]) <= {_leaf(kind, f) for f in limits} | {"confidence"}


def test_field_limits_dbt_docs_and_sources():
    checked = 0
    docs = (REPO / "models" / "_docs.md").read_text(encoding="utf-8")
    for name, body in re.findall(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", docs, re.S):
        field = name if name in LIMITS["items"] else name.removeprefix("item_")
        if _stated(body) is not None:
            assert _stated(body) == LIMITS["items"][field], f"docs block {name}"
            checked += 1
    sources = yaml.safe_load((REPO / "models/staging/raw/_raw__sources.yml").read_text())
    kinds = {"ingestion_items": "items", "extraction_results": "extractions"}
    for table in sources["sources"][0]["tables"]:
        for column in table.get("columns", []):
            if _stated(column.get("description")) is not None:
                limits = LIMITS[kinds[table["name"]]][column["name"]]
                assert _stated(column["description"]) == limits, f"{table['name']}.{column['name']}"
                checked += 1
    assert checked >= 5  # item_id, title, description in the docs; three columns in sources


def test_change_types_match_the_changes_contract():
    models = yaml.safe_load(
        (REPO / "models/marts/taxonomy/_versioning__models.yml").read_text(encoding="utf-8")
    )
    [changes] = [m for m in models["models"] if m["name"] == "changes"]
    [column] = [c for c in changes["columns"] if c["name"] == "change_type"]
    [check] = [c["expression"] for c in column.get("constraints", []) if c.get("type") == "check"]
    allowed = re.findall(r"'(\w+)'", check)
    assert allowed == CHANGE_TYPES  # the same types, in the changelog's order


def test_layers_are_the_schemas_dbt_writes():
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))

    def schemas(node) -> set[str]:
        if not isinstance(node, dict):
            return set()
        found = {node["+schema"]} if "+schema" in node else set()
        for value in node.values():
            found |= schemas(value)
        return found

    written = schemas(project["models"]) | schemas(project["seeds"]) | schemas(project["snapshots"])
    assert set(LAYERS) == written | {"raw"}  # raw is the loader's
    assert LAYERS[0] == "raw"


def test_import_writes_the_seed_headers():
    seeds = REPO / "seeds" / "domain_pack"
    properties = yaml.safe_load((seeds / "_domain_pack__seeds.yml").read_text(encoding="utf-8"))
    declared = {seed["name"]: [c["name"] for c in seed["columns"]] for seed in properties["seeds"]}
    for name, columns in SEED_COLUMNS.items():
        with (seeds / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == columns, f"{name}.csv header"
        assert declared[name] == columns, f"{name} in _domain_pack__seeds.yml"
