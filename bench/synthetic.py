"""Deterministic synthetic ingestion items at any size, for benchmarks.

Each item is one of the embedded sample's items (four shops, English, Traditional Chinese,
Japanese, unknown terms included) under a new id, with a varied title and price, so files of
any size have realistic, multilingual content without repeating lines verbatim.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "loader" / "sample" / "items.jsonl"


def sample_items() -> list[dict]:
    items = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item.get("raw_attributes"), dict) and item.get("item_id", "").strip():
            if len(item.get("title", "")) <= 1000 and item.get("language") != "english":
                if item.get("ingested_at", "").endswith("Z"):
                    items.append(item)
    return items


def write_items(path: Path, count: int, seed: int = 7) -> Path:
    """Write `count` items as JSON Lines to `path` (skipped when it already has them)."""
    marker = path.with_suffix(".count")
    if path.exists() and marker.exists() and marker.read_text() == str(count):
        return path
    rng = random.Random(seed)
    base = sample_items()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            item = dict(base[n % len(base)])
            item["item_id"] = f"{item['item_id']}-{n:08d}"
            item["title"] = f"{item['title']} #{rng.randrange(10_000)}"
            item["metadata"] = {**item["metadata"], "price": str(rng.randrange(100, 99_999))}
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
    marker.write_text(str(count))
    return path
