"""Writing rows into the domain pack's seed CSV files: the rows of one domain replaced, the
other domains' rows kept. The column lists are the seeds' headers (a test checks them
against seeds/domain_pack/ and its YAML); a column a row does not give is left empty."""

from __future__ import annotations

import csv
from pathlib import Path

SEED_COLUMNS = {
    "domain_categories": [
        "domain",
        "category_id",
        "parent_id",
        "name",
        "status",
        "merged_into",
        "description",
    ],
    "domain_labels": ["domain", "entity_type", "entity_id", "locale", "label"],
    "domain_attributes": [
        "domain",
        "attribute_id",
        "name",
        "display_name",
        "data_type",
        "unit",
        "status",
        "description",
        "dimension",
        "assumed_unit",
        "decimals",
        "value_format",
        "dimension_part",
        "check_digit",
        "handle",
    ],
    "domain_attribute_values": [
        "domain",
        "value_id",
        "attribute_id",
        "value",
        "aliases",
        "status",
        "sort_order",
    ],
    "domain_category_attributes": ["domain", "category_id", "attribute_id", "required"],
    "domain_category_mappings": ["domain", "source", "raw_category", "category_id"],
}


def merge_rows(path: Path, columns: list[str], domain: str, rows: list[dict]) -> None:
    kept = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row["domain"] != domain]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept + rows)
