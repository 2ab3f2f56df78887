"""Shopify's open product taxonomy, read from its source folder (github.com/Shopify/
product-taxonomy): `data/categories/*.yml`, `data/attributes.yml` (base and extended
attributes), `data/values.yml`, `data/localizations/{categories,attributes,values}/<locale>.yml`
and `integrations/*_to_google_*.txt`.

Shopify's ids are kept so that a later release can be diffed: category ids as they are
(`aa-1-1`); attribute ids are Shopify's `friendly_id` made safe for the warehouse
(shopify_ids.safe_id), the original kept as the attribute's `handle`; a value's id is its
attribute's id and the value's name part (`color.black`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from loader.curation.category_tree import Category, depth
from loader.curation.shopify_ids import safe_ids, value_suffix
from loader.warehouse import LoaderError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster on 16 MB


@dataclass
class Taxonomy:
    """Everything an import writes: categories, and rows for the other seeds."""

    categories: list[Category]
    attributes: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    category_attributes: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)  # entity_type, entity_id, locale, label
    category_mappings: list[dict] = field(default_factory=list)  # raw_category, category_id
    locales: list[str] = field(default_factory=list)
    renamed_attributes: dict[str, str] = field(default_factory=dict)  # handle -> safe id
    skipped_mappings: list[str] = field(default_factory=list)  # file:line: unknown path


def is_shopify_folder(path: Path) -> bool:
    return path.is_dir() and (path / "data" / "categories").is_dir()


def _read_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)
    except FileNotFoundError as exc:
        raise LoaderError(f"{path}: no such file (is this Shopify's taxonomy folder?)") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise LoaderError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def _entries(path: Path, data, key: str | None = None) -> list[dict]:
    """The list of mappings under `key` (or the document), each with an `id`-like field."""
    entries = data.get(key) if key and isinstance(data, dict) else data
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise LoaderError(f"{path}: expected a list of entries{f' under {key}' if key else ''}")
    return entries


def _field(path: Path, entry: dict, name: str) -> str:
    value = entry.get(name)
    if value is None or str(value).strip() == "":
        shown = entry.get("id") or entry.get("friendly_id") or entry.get("name")
        raise LoaderError(f"{path}: entry {shown!r} has no {name}")
    return str(value)


def read_categories(folder: Path) -> tuple[list[Category], list[tuple[str, str]]]:
    """The category tree (parents from the `children` lists) and the category -> attribute
    handle links, in file order."""
    entries: list[tuple[Path, dict]] = []
    for path in sorted((folder / "data" / "categories").glob("*.yml")):
        entries += [(path, e) for e in _entries(path, _read_yaml(path) or [])]
    if not entries:
        raise LoaderError(f"{folder}/data/categories: no category files")
    parent_of: dict[str, str] = {}
    for path, entry in entries:
        for child in entry.get("children") or []:
            parent_of[str(child)] = _field(path, entry, "id")
    by_id: dict[str, Category] = {}
    for path, entry in entries:  # parents come before their children in Shopify's files
        category_id = _field(path, entry, "id")
        parent_id = parent_of.get(category_id)
        if parent_id is not None and parent_id not in by_id:
            raise LoaderError(f"{path}: parent {parent_id!r} of {category_id!r} comes later")
        if category_id in by_id:
            raise LoaderError(f"{path}: category {category_id!r} is defined twice")
        parent = by_id.get(parent_id) if parent_id else None
        by_id[category_id] = Category(category_id, parent, _field(path, entry, "name"), str(path))
    links = [
        (_field(path, entry, "id"), str(handle))
        for path, entry in entries
        for handle in entry.get("attributes") or []
    ]
    return list(by_id.values()), links


def read_shopify(folder: Path, locales: list[str] | None = None) -> Taxonomy:
    categories, links = read_categories(folder)
    taxonomy = Taxonomy(categories)
    ids, value_ids = _read_attributes(folder, taxonomy)
    known = {c.category_id for c in categories}
    for category_id, handle in links:
        if handle not in ids or category_id not in known:
            raise LoaderError(f"{folder}/data/categories: {category_id!r} lists unknown {handle!r}")
        taxonomy.category_attributes.append(
            {"category_id": category_id, "attribute_id": ids[handle]}
        )
    _read_labels(folder, taxonomy, ids, value_ids, locales)
    taxonomy.category_mappings = read_google_mapping(folder, categories, taxonomy.skipped_mappings)
    return taxonomy


def _read_attributes(folder: Path, taxonomy: Taxonomy):
    """Attributes (base and extended) and their values into `taxonomy`; returns the safe id of
    each handle and the value id of each (attribute handle, value handle)."""
    attributes_path = folder / "data" / "attributes.yml"
    attributes_doc = _read_yaml(attributes_path) or {}
    base = _entries(attributes_path, attributes_doc, "base_attributes")
    extended = _entries(attributes_path, attributes_doc.get("extended_attributes") or [])
    try:
        ids = safe_ids([_field(attributes_path, a, "friendly_id") for a in base + extended])
    except ValueError as exc:
        raise LoaderError(f"{attributes_path}: {exc}") from exc
    taxonomy.renamed_attributes = {h: i for h, i in ids.items() if h != i}
    values_path = folder / "data" / "values.yml"
    value_names = {
        _field(values_path, v, "friendly_id"): _field(values_path, v, "name")
        for v in _entries(values_path, _read_yaml(values_path) or [])
    }
    base_values = {a["friendly_id"]: [str(v) for v in a.get("values") or []] for a in base}
    value_ids: dict[tuple[str, str], str] = {}
    for attribute in base + extended:
        handle = attribute["friendly_id"]
        source = attribute.get("values_from", handle)  # an extended attribute: its base's
        if source not in base_values:
            raise LoaderError(f"{attributes_path}: {handle!r} takes values from unknown {source!r}")
        taxonomy.attributes.append(
            {
                "attribute_id": ids[handle],
                "name": ids[handle],
                "display_name": _field(attributes_path, attribute, "name"),
                "data_type": "categorical",
                "description": attribute.get("description") or "",
                "handle": handle,
            }
        )
        for order, value_handle in enumerate(base_values[source], start=1):
            if value_handle not in value_names:
                raise LoaderError(f"{attributes_path}: {handle!r} lists unknown {value_handle!r}")
            value_id = f"{ids[handle]}.{value_suffix(value_handle)}"
            value_ids[(handle, value_handle)] = value_id
            taxonomy.values.append(
                {
                    "value_id": value_id,
                    "attribute_id": ids[handle],
                    "value": value_names[value_handle],
                    "sort_order": order,
                }
            )
    if len(set(value_ids.values())) < len(value_ids):
        raise LoaderError(f"{attributes_path}: value ids are not unique per attribute")
    return ids, value_ids


def _locales_present(folder: Path) -> list[str]:
    return sorted(p.stem for p in (folder / "data" / "localizations" / "categories").glob("*.yml"))


def _read_labels(folder, taxonomy: Taxonomy, ids, value_ids, locales) -> None:
    """Labels of categories, attributes and values in each locale (all present by default)."""
    present = _locales_present(folder)
    chosen = locales or present
    missing = [locale for locale in chosen if locale not in present]
    if missing:
        raise LoaderError(
            f"{folder}: no localizations for {', '.join(missing)}; present: {', '.join(present)}"
        )
    taxonomy.locales = chosen
    values_by_handle: dict[str, list[str]] = {}
    for (_, value_handle), value_id in value_ids.items():
        values_by_handle.setdefault(value_handle, []).append(value_id)
    known_categories = {c.category_id for c in taxonomy.categories}
    for locale in chosen:
        for entity_type, key, targets in (
            ("category", "categories", lambda k: [k] if k in known_categories else []),
            ("attribute", "attributes", lambda k: [ids[k]] if k in ids else []),
            ("value", "values", lambda k: values_by_handle.get(k, [])),
        ):
            path = folder / "data" / "localizations" / key / f"{locale}.yml"
            document = _read_yaml(path) or {}
            entries = (document.get(locale) or {}).get(key) or {}
            for source_id, entry in entries.items():
                label = (entry or {}).get("name")
                if not label:
                    continue
                for entity_id in targets(str(source_id)):
                    taxonomy.labels.append(
                        {
                            "entity_type": entity_type,
                            "entity_id": entity_id,
                            "locale": locale,
                            "label": str(label),
                        }
                    )


def read_google_mapping(folder: Path, categories: list[Category], skipped: list[str]) -> list[dict]:
    """Google paths -> Shopify categories, from Shopify's `→ shopify path` / `⇒ google path`
    pairs. Several Shopify categories often map to one Google path; the Google path resolves
    to the shallowest of them (the most general), then the one named like the Google leaf,
    then the smallest id. Lines whose Shopify path is no category of this release are
    appended to `skipped`."""
    files = sorted((folder / "integrations").glob("*_to_google_*.txt"))
    if not files:
        return []
    by_path = {_path(c): c for c in categories}
    candidates: dict[str, list[Category]] = {}
    for path in files:
        shopify_path = None
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                line = line.strip()
                if line.startswith("→"):
                    shopify_path = line[1:].strip()
                elif line.startswith("⇒") and shopify_path is not None:
                    category = by_path.get(shopify_path)
                    if category is None:  # a mapping file of another release: skipped, named
                        skipped.append(f"{path.name}:{number}: {shopify_path}")
                        continue
                    candidates.setdefault(line[1:].strip(), []).append(category)
    rows = []
    for google_path, found in candidates.items():
        leaf = google_path.rsplit(" > ", 1)[-1].casefold()
        best = min(found, key=lambda c: (depth(c), c.name.casefold() != leaf, c.category_id))
        rows.append({"raw_category": google_path, "category_id": best.category_id})
    return rows


def _path(category: Category) -> str:
    names = []
    while category:
        names.append(category.name)
        category = category.parent
    return " > ".join(reversed(names))
