"""Importing an existing taxonomy into the domain pack's seed format.

Three formats are read:
- `shopify`: Shopify's product taxonomy source folder (loader/curation/shopify_taxonomy.py):
  categories, attributes, values, category -> attribute links, labels in every locale
  present, and its mapping from Google paths;
- `google`: the Google Product Taxonomy text file (loader/curation/google_taxonomy.py);
- `echo-roots-yaml`: the original echo-roots YAML tree (loader/curation/echo_roots_yaml.py).

The result goes to the domain pack's seed files in a seeds folder (the two text formats
have only categories and their names: `domain_categories.csv` and `domain_labels.csv`). Rows
of other domains already in those files are kept; rows of the imported domain are replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from loader.curation.category_tree import depth, unique_ids
from loader.curation.echo_roots_yaml import read_echo_roots_yaml
from loader.curation.google_taxonomy import read_google
from loader.curation.seed_files import SEED_COLUMNS, merge_rows
from loader.curation.shopify_taxonomy import Taxonomy, is_shopify_folder, read_shopify
from loader.warehouse import LoaderError

READERS = {"google": read_google, "echo-roots-yaml": read_echo_roots_yaml}
FORMATS = ("shopify", *READERS)


@dataclass
class ImportReport:
    source: str
    format: str
    domain: str
    locale: str  # the locales of the labels, comma-separated
    categories: int = 0
    roots: int = 0
    max_depth: int = 0
    attributes: int = 0
    values: int = 0
    category_attributes: int = 0
    labels: int = 0
    category_mappings: int = 0
    renamed_ids: dict[str, str] = field(default_factory=dict)  # duplicate category ids
    safe_attribute_ids: dict[str, str] = field(default_factory=dict)  # handle -> attribute id
    skipped_mappings: list[str] = field(default_factory=list)  # mapping lines of no category
    written: list[str] = field(default_factory=list)


def guess_format(path: Path) -> str:
    if path.is_dir():
        return "shopify"
    return "echo-roots-yaml" if path.suffix.lower() in (".yaml", ".yml") else "google"


def guess_locale(path: Path) -> str:
    """`taxonomy.zh-TW.yaml` -> zh-TW, `...en-US.txt` -> en-US; else en."""
    match = re.search(r"\.([a-z]{2,3}(?:-[A-Za-z]{2,4})?)\.[a-z]+$", path.name)
    return match[1] if match else "en"


def import_taxonomy(
    source: str | Path,
    output: str | Path,
    *,
    domain: str,
    format: str | None = None,
    locale: str | None = None,
) -> ImportReport:
    """Turn an external taxonomy into the domain pack's seed files under `output`. `locale`:
    the names' locale for a text format; for Shopify, the locales to import (comma-separated,
    default every locale present)."""
    path, output = Path(source), Path(output)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", domain):
        raise LoaderError(f"domain {domain!r} must match ^[a-z][a-z0-9_]*$")
    if not path.exists():
        raise LoaderError(f"{path}: no such file or folder")
    format = format or guess_format(path)
    if format not in FORMATS:
        raise LoaderError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if format == "shopify":
        if not is_shopify_folder(path):
            raise LoaderError(f"{path}: not Shopify's taxonomy folder (no data/categories/)")
        locales = [part.strip() for part in locale.split(",")] if locale else None
        taxonomy = read_shopify(path, locales)
        renamed = {}  # Shopify's category ids are unique (read_categories checks)
    else:
        if not path.is_file():
            raise LoaderError(f"{path}: a {format} taxonomy is one file, not a folder")
        categories = READERS[format](path)
        renamed = unique_ids(categories)  # before the labels take the ids
        taxonomy = _names_only(categories, locale or guess_locale(path))
    categories = taxonomy.categories
    if not categories:
        raise LoaderError(f"{path}: no categories found")
    report = ImportReport(
        str(path), format, domain, ",".join(taxonomy.locales), renamed_ids=renamed
    )
    report.safe_attribute_ids = taxonomy.renamed_attributes
    report.skipped_mappings = taxonomy.skipped_mappings
    report.categories = len(categories)
    report.roots = sum(1 for c in categories if c.parent is None)
    report.max_depth = max(depth(c) for c in categories)
    report.attributes, report.values = len(taxonomy.attributes), len(taxonomy.values)
    report.category_attributes = len(taxonomy.category_attributes)
    report.labels, report.category_mappings = len(taxonomy.labels), len(taxonomy.category_mappings)
    report.written = _write_seeds(
        taxonomy, output, domain, f"Imported from {path.name}", full=format == "shopify"
    )
    return report


def _names_only(categories, locale: str) -> Taxonomy:
    """A text-format tree: categories, and their names as labels in `locale`."""
    taxonomy = Taxonomy(categories, locales=[locale])
    taxonomy.labels = [
        {"entity_type": "category", "entity_id": c.category_id, "locale": locale, "label": c.name}
        for c in categories
    ]
    return taxonomy


def _write_seeds(taxonomy: Taxonomy, output: Path, domain: str, description: str, *, full: bool):
    """The taxonomy's rows into the seed files under `output`; their paths. Only categories
    and labels unless `full` (the other files keep the domain's rows as they are)."""
    output.mkdir(parents=True, exist_ok=True)
    active = {"domain": domain, "status": "active"}
    rows = {
        "domain_categories": [
            {
                **active,
                "category_id": c.category_id,
                "parent_id": c.parent_id or "",
                "name": c.name,
                "description": description,
            }
            for c in taxonomy.categories
        ],
        "domain_labels": [{"domain": domain, **label} for label in taxonomy.labels],
    }
    if full:
        rows["domain_attributes"] = [{**active, **a} for a in taxonomy.attributes]
        rows["domain_attribute_values"] = [{**active, **v} for v in taxonomy.values]
        rows["domain_category_attributes"] = [
            {"domain": domain, **link, "required": "false"} for link in taxonomy.category_attributes
        ]
        # Google paths resolve to Shopify categories for items of every source (`*`)
        rows["domain_category_mappings"] = [
            {"domain": domain, "source": "*", **m} for m in taxonomy.category_mappings
        ]
    written = []
    for name, seed_rows in rows.items():
        merge_rows(output / f"{name}.csv", SEED_COLUMNS[name], domain, seed_rows)
        written.append(str(output / f"{name}.csv"))
    return written
