"""Writing rows into the domain pack's seed CSV files: the rows of one domain replaced, the
other domains' rows kept. The column lists are the seeds' headers (a test checks them
against seeds/domain_pack/ and its YAML)."""

from __future__ import annotations

import csv
from pathlib import Path

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


def merge_rows(path: Path, columns: list[str], domain: str, rows: list[dict]) -> None:
    kept = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row["domain"] != domain]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept + rows)
