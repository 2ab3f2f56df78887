"""Importing an existing category tree into the domain pack's seed format.

Two formats are read:
- `google`: the Google Product Taxonomy text file (loader/curation/google_taxonomy.py);
- `echo-roots-yaml`: the original echo-roots YAML tree (loader/curation/echo_roots_yaml.py).

The result goes to `domain_categories.csv` and `domain_labels.csv` in a seeds folder. Rows of
other domains already in those files are kept; rows of the imported domain are replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from loader.curation.category_tree import Category, depth, unique_ids
from loader.curation.echo_roots_yaml import read_echo_roots_yaml
from loader.curation.google_taxonomy import read_google
from loader.curation.seed_files import CATEGORY_COLUMNS, LABEL_COLUMNS, merge_rows
from loader.warehouse import LoaderError

READERS = {"google": read_google, "echo-roots-yaml": read_echo_roots_yaml}
FORMATS = tuple(READERS)


@dataclass
class ImportReport:
    source: str
    format: str
    domain: str
    locale: str
    categories: int = 0
    roots: int = 0
    max_depth: int = 0
    renamed_ids: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)


def guess_format(path: Path) -> str:
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
    """Turn an external tree into domain_categories.csv and domain_labels.csv under `output`."""
    path, output = Path(source), Path(output)
    if not path.is_file():
        raise LoaderError(f"{path}: no such file")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", domain):
        raise LoaderError(f"domain {domain!r} must match ^[a-z][a-z0-9_]*$")
    format = format or guess_format(path)
    if format not in FORMATS:
        raise LoaderError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    locale = locale or guess_locale(path)
    categories = READERS[format](path)
    if not categories:
        raise LoaderError(f"{path}: no categories found")
    report = ImportReport(str(path), format, domain, locale, renamed_ids=unique_ids(categories))
    report.categories = len(categories)
    report.roots = sum(1 for c in categories if c.parent is None)
    report.max_depth = max(depth(c) for c in categories)
    report.written = _write_seeds(categories, output, domain, locale, f"Imported from {path.name}")
    return report


def _write_seeds(
    categories: list[Category], output: Path, domain: str, locale: str, description: str
) -> list[str]:
    """The categories and their labels into the seed files under `output`; their paths."""
    output.mkdir(parents=True, exist_ok=True)
    category_rows = [
        {
            "domain": domain,
            "category_id": c.category_id,
            "parent_id": c.parent_id or "",
            "name": c.name,
            "status": "active",
            "merged_into": "",
            "description": description,
        }
        for c in categories
    ]
    label_rows = [
        {
            "domain": domain,
            "entity_type": "category",
            "entity_id": c.category_id,
            "locale": locale,
            "label": c.name,
        }
        for c in categories
    ]
    written = []
    for name, columns, rows in (
        ("domain_categories.csv", CATEGORY_COLUMNS, category_rows),
        ("domain_labels.csv", LABEL_COLUMNS, label_rows),
    ):
        merge_rows(output / name, columns, domain, rows)
        written.append(str(output / name))
    return written
