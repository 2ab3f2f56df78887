"""Deterministic synthetic ingestion items and extraction results at any size, for benchmarks.

Each item is one of the embedded sample's items (four shops, English, Traditional Chinese,
Japanese, unknown terms included) under a new id, with a varied title, price and delivery day,
so files of any size have realistic, multilingual content without repeating lines verbatim.
Its extraction result is the sample's result for that item under the same new id (the sample
covers most items, so most synthetic items have one). About one item in twenty also carries
a term from a pool of made-up terms the vocabulary does not know (a few frequent, most rare),
as a shop attribute value and as a free term, so the candidate layer has a long tail to score
and cluster at every size.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "loader" / "ingestion" / "sample"

_STEMS = [
    "aero",
    "bio",
    "cloud",
    "dura",
    "eco",
    "flex",
    "gel",
    "hydro",
    "iso",
    "kevlar",
    "lumi",
    "micro",
    "nano",
    "opti",
    "poly",
    "quartz",
    "ripstop",
    "silk",
    "thermo",
    "ultra",
    "vapor",
    "wool",
    "xeno",
    "zephyr",
]
_HEADS = [
    "mesh",
    "weave",
    "shell",
    "knit",
    "fleece",
    "foam",
    "grip",
    "lining",
    "coating",
    "fiber",
    "canvas",
    "twill",
    "leather",
    "suede",
    "blend",
    "plate",
    "frame",
    "glass",
]
_ZH = ["透氣網布", "抗菌纖維", "再生尼龍", "石墨烯塗層", "竹纖維", "記憶海綿", "防潑水布", "冰絲"]


def _unknown_terms() -> list[str]:
    """~4,300 made-up terms: stem + head (+ a grade), and Traditional Chinese ones."""
    terms = [
        f"{s}{h}" if i % 3 == 0 else f"{s} {h}"
        for i, (s, h) in enumerate((s, h) for s in _STEMS for h in _HEADS)
    ]
    terms = [
        f"{t} {grade}"
        for t in terms
        for grade in ("", "pro", "x", "2", "lite", "plus", "max", "3", "air", "one")
    ]
    return [t.strip() for t in terms] + [f"{zh}{n}" for zh in _ZH for n in range(1, 20)]


def _valid_lines(name: str) -> list[dict]:
    rows = []
    for line in (SAMPLE / name).read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


def sample_items() -> list[dict]:
    items = []
    for item in _valid_lines("items.jsonl"):
        if isinstance(item.get("raw_attributes"), dict) and item.get("item_id", "").strip():
            if len(item.get("title", "")) <= 1000 and item.get("language") != "english":
                if item.get("ingested_at", "").endswith("Z"):
                    items.append(item)
    return items


def sample_extractions() -> dict[str, dict]:
    """The sample's well-formed extraction results by item id (the last one per item)."""
    results = {}
    for row in _valid_lines("extractions.jsonl"):
        metadata = row.get("metadata")
        if isinstance(row.get("attributes"), list) and isinstance(metadata, dict):
            if metadata.get("model") and str(metadata.get("extracted_at", "")).endswith("Z"):
                results[row["item_id"]] = row
    return results


def _shift(timestamp: str, days: int) -> str:
    moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ") + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_items(path: Path, count: int, seed: int = 7, start: int = 0) -> Path:
    """Write `count` items as JSON Lines to `path`, numbered from `start` (skipped when the
    file already has them); `write_extractions` writes their extraction results."""
    marker = path.with_suffix(".count")
    wanted = f"{start}+{count}"
    if path.exists() and marker.exists() and marker.read_text() == wanted:
        return path
    base = sample_items()
    with path.open("w", encoding="utf-8") as out:
        for _, item, _ in _synthetic(base, count, seed, start):
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
    marker.write_text(wanted)
    return path


def write_extractions(path: Path, count: int, seed: int = 7, start: int = 0) -> Path:
    """The extraction results of the items `write_items` writes with the same arguments."""
    marker = path.with_suffix(".count")
    wanted = f"{start}+{count}"
    if path.exists() and marker.exists() and marker.read_text() == wanted:
        return path
    base, results = sample_items(), sample_extractions()
    with path.open("w", encoding="utf-8") as out:
        for n, item, unknown in _synthetic(base, count, seed, start):
            result = results.get(base[n % len(base)]["item_id"])
            if result is None:
                continue
            result = {
                **result,
                "item_id": item["item_id"],
                "metadata": {
                    **result["metadata"],
                    "extracted_at": _shift(result["metadata"]["extracted_at"], n % 84),
                },
            }
            if unknown:
                result["terms"] = [
                    *result.get("terms", []),
                    {"term": unknown, "context": item["title"], "confidence": 0.8, "frequency": 1},
                ]
            out.write(json.dumps(result, ensure_ascii=False))
            out.write("\n")
    marker.write_text(wanted)
    return path


def _synthetic(base: list[dict], count: int, seed: int, start: int):
    """(n, item, unknown term or None) for n in start..start+count; the same n gives the same
    item every time."""
    terms = _unknown_terms()
    for n in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + n)
        item = dict(base[n % len(base)])
        item["item_id"] = f"{item['item_id']}-{n:08d}"
        item["title"] = f"{item['title']} #{rng.randrange(10_000)}"
        item["metadata"] = {**item["metadata"], "price": str(rng.randrange(100, 99_999))}
        item["ingested_at"] = _shift(item["ingested_at"], n % 84)
        if rng.random() < 0.05:
            # Zipf-like: a few terms are frequent, most are rare
            unknown = terms[min(int(rng.paretovariate(0.6)) - 1, len(terms) - 1)]
            item["raw_attributes"] = {**item["raw_attributes"], "Material": unknown}
            yield n, item, unknown
        else:
            yield n, item, None


_BRANDS = ["Acme", "Nordik", "Sora", "Kaveri", "Lumen", "Orbit", "Pico", "Tessera", "Vela"]
_COLOURS = ["black", "white", "navy", "red", "forest green", "beige", "silver", "rose gold"]
_PRODUCTS = [
    ("Electronics > Audio > Headphones", "Wireless Headphones"),
    ("Electronics > Mobiles > Cases", "Phone Case"),
    ("Home > Kitchen > Cookware", "Non-Stick Pan"),
    ("Home > Furnishing > Bedsheets", "Cotton Bedsheet"),
    ("Clothing > Men > T-Shirts", "Round Neck T-Shirt"),
    ("Clothing > Women > Kurtas", "Printed Kurta"),
    ("Sports > Fitness > Yoga Mats", "Yoga Mat"),
    ("Toys > Puzzles", "Jigsaw Puzzle"),
]


def write_listings(path: Path, count: int, seed: int = 11) -> Path:
    """`count` short marketplace listings as JSON Lines, a shape unlike `write_items`: no
    description, four raw attributes (one a JSON number), a one-key metadata object, and a
    third of the rows with language `auto`; about 300 bytes a row."""
    marker = path.with_suffix(".count")
    wanted = f"listings+{count}"
    if path.exists() and marker.exists() and marker.read_text() == wanted:
        return path
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            rng = random.Random(seed * 1_000_003 + n)
            category, product = _PRODUCTS[n % len(_PRODUCTS)]
            brand, colour = rng.choice(_BRANDS), rng.choice(_COLOURS)
            listing = {
                "item_id": f"mk-{n:09d}",
                "title": f"{brand} {product} {colour.title()} ({rng.randrange(1, 9)} pcs)",
                "raw_category": category,
                "raw_attributes": {
                    "Brand": brand,
                    "Color": colour,
                    "Pack of": rng.randrange(1, 13),
                    "Weight": f"{rng.randrange(50, 2000)} g",
                },
                "source": "marketplace",
                "language": "auto" if n % 3 == 0 else "en",
                "metadata": {"price": rng.randrange(99, 99_999)},
                "ingested_at": _shift("2026-01-01T00:00:00Z", n % 300),
            }
            out.write(json.dumps(listing, ensure_ascii=False))
            out.write("\n")
    marker.write_text(wanted)
    return path
