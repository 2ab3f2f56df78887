"""bench/quality.py scores canonical values against a gold file: exact (trimmed) text, the
raw value as the pass-through baseline, and a gold value with no warehouse row as wrong."""

import json
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bench"))
from quality import score  # noqa: E402


def test_score_counts_exact_matches_and_missing_rows(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        ("o1", "Width", '24"', "61.0"),  # converted right
        ("o1", "Brand", "Nabisco", "NABISCO"),  # right only ignoring case
        ("o2", "Part Number", "AP731B", "AP731B"),  # raw already right, no canonical
        ("o3", "Width", "12", "30.5"),  # no row in the warehouse
    ]
    gold.write_text(
        "".join(
            json.dumps(
                {
                    "item_id": i,
                    "category": "C",
                    "attribute": a,
                    "raw_value": r,
                    "normalized_value": n,
                }
            )
            + "\n"
            for i, a, r, n in rows
        )
    )
    con = duckdb.connect()
    con.execute("create schema taxonomy")
    con.execute(
        "create table taxonomy.item_attributes as select * from (values "
        "('o1', 'Width', '24\"', ' 61.0 '), ('o1', 'Brand', 'Nabisco', 'Nabisco'), "
        "('o2', 'Part Number', 'AP731B', null)) t(item_id, raw_name, raw_value, canonical_value)"
    )
    overall, *per_attribute = score(con, gold)
    assert (overall["gold_values"], overall["canonical"], overall["pass_through"]) == (
        4,
        0.25,
        0.25,
    )
    assert (overall["canonical_any_case"], overall["pass_through_any_case"]) == (0.5, 0.5)
    assert overall["with_canonical"] == 0.5
    width = next(r for r in per_attribute if r["attribute"] == "Width")
    assert (width["gold_values"], width["canonical"]) == (2, 0.5)
