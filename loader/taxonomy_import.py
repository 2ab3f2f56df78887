"""Importing an existing category tree into the domain pack's seed format.

Two formats are read:
- `google`: the Google Product Taxonomy text file, one category per line,
  `<id> - Top > Sub > Leaf`, `#` lines are comments. Ids are kept (`gpt-<id>`).
- `echo-roots-yaml`: the original echo-roots tree, nested `{id, name, level, children}`
  with roots at `level: 1`.

The result goes to `domain_categories.csv` and `domain_labels.csv` in a seeds folder. Rows of
other domains already in those files are kept; rows of the imported domain are replaced.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from loader.errors import LoaderError

CATEGORY_COLUMNS = [
    "domain",
    "category_id",
    "parent_id",
    "name",
    "status",
    "merged_into",
    "description",
]
LABEL_COLUMNS = ["domain", "entity_type", "entity_id", "locale", "label"]
FORMATS = ("google", "echo-roots-yaml")


@dataclass(eq=False)
class Category:
    category_id: str
    parent: Category | None  # a reference, so renaming a parent's id renames it everywhere
    name: str
    where: str  # file:line, for messages

    @property
    def parent_id(self) -> str | None:
        return self.parent.category_id if self.parent else None


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


def read_google(path: Path) -> list[Category]:
    by_path: dict[str, Category] = {}
    categories = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = re.fullmatch(r"(\d+)\s+-\s+(.+)", line)
            if not match:
                raise LoaderError(
                    f"{path}:{number}: expected `<id> - Top > Sub > Leaf`, got {line[:80]!r}"
                )
            levels = [level.strip() for level in match[2].split(" > ")]
            full_path = " > ".join(levels)
            parent_path = " > ".join(levels[:-1])
            if len(levels) > 1 and parent_path not in by_path:
                raise LoaderError(
                    f"{path}:{number}: parent {parent_path!r} of {levels[-1]!r} is not defined "
                    "on an earlier line"
                )
            parent = by_path[parent_path] if len(levels) > 1 else None
            category = Category(f"gpt-{match[1]}", parent, levels[-1], f"{path}:{number}")
            by_path[full_path] = category
            categories.append(category)
    return categories


def read_echo_roots_yaml(path: Path) -> list[Category]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LoaderError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("categories"), list):
        raise LoaderError(f"{path}: expected a top-level `categories:` list")
    categories: list[Category] = []

    def walk(nodes: list, parent: Category | None, level: int, trail: str) -> None:
        for index, node in enumerate(nodes):
            where = f"{path}: {trail}[{index}]"
            if not isinstance(node, dict) or not node.get("id") or not node.get("name"):
                raise LoaderError(f"{where}: each category needs an `id` and a `name`")
            if node.get("level") is not None and node["level"] != level:
                raise LoaderError(
                    f"{where} ({node['id']}): level {node['level']}, but it is at depth {level}"
                )
            category = Category(str(node["id"]), parent, str(node["name"]), where)
            categories.append(category)
            walk(node.get("children") or [], category, level + 1, f"{trail}[{index}].children")

    walk(document["categories"], None, 1, "categories")
    return categories


def _unique_ids(categories: list[Category]) -> dict[str, str]:
    """Ids used more than once (the echo-roots tree has `keyboards` under music and under
    computers) are qualified with their parent: `computers.keyboards`. Returns the renames."""
    counts = Counter(c.category_id for c in categories)
    renames: dict[str, str] = {}
    for category in categories:
        if counts[category.category_id] > 1:
            new_id = f"{category.parent_id or 'root'}.{category.category_id}"
            renames[category.where] = new_id
            category.category_id = new_id
    if len(set(c.category_id for c in categories)) < len(categories):
        raise LoaderError("category ids are not unique even when qualified by their parent")
    return renames


def _merge_rows(path: Path, columns: list[str], domain: str, rows: list[dict]) -> None:
    kept = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row["domain"] != domain]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept + rows)


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
    categories = read_google(path) if format == "google" else read_echo_roots_yaml(path)
    if not categories:
        raise LoaderError(f"{path}: no categories found")
    report = ImportReport(str(path), format, domain, locale, renamed_ids=_unique_ids(categories))

    def depth(category: Category) -> int:
        steps = 0
        while category.parent:
            category, steps = category.parent, steps + 1
        return steps

    report.categories = len(categories)
    report.roots = sum(1 for c in categories if c.parent is None)
    report.max_depth = max(depth(c) for c in categories)
    output.mkdir(parents=True, exist_ok=True)
    _merge_rows(
        output / "domain_categories.csv",
        CATEGORY_COLUMNS,
        domain,
        [
            {
                "domain": domain,
                "category_id": c.category_id,
                "parent_id": c.parent_id or "",
                "name": c.name,
                "status": "active",
                "merged_into": "",
                "description": f"Imported from {path.name}",
            }
            for c in categories
        ],
    )
    _merge_rows(
        output / "domain_labels.csv",
        LABEL_COLUMNS,
        domain,
        [
            {
                "domain": domain,
                "entity_type": "category",
                "entity_id": c.category_id,
                "locale": locale,
                "label": c.name,
            }
            for c in categories
        ],
    )
    report.written = [str(output / "domain_categories.csv"), str(output / "domain_labels.csv")]
    return report
