"""The analytics marts on the embedded sample: each figure computed again from raw.* (or the
sample file) with plain SQL or Python, and pinned to the value the sample was written to give."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

SAMPLE_EXTRACTIONS = (
    Path(__file__).resolve().parents[3] / "loader" / "ingestion" / "sample" / "extractions.jsonl"
)

GPT = ("gpt-4o-mini-2024-07-18", "run-2026-10-01-a")
QWEN = ("qwen2.5-7b-instruct", "run-2026-10-15-b")
MISSING_MODEL = ("(missing)", "run-2026-10-01-a")
UNPARSEABLE = ("(unparseable)", "(unparseable)")


def rows_by_key(con, sql: str, key_columns: int = 2) -> dict:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return {
        tuple(row[:key_columns]): dict(zip(names[key_columns:], row[key_columns:], strict=True))
        for row in cursor.fetchall()
    }


@pytest.fixture
def quality(warehouse) -> dict:
    return rows_by_key(warehouse, "select * from analytics.extraction_quality")


def run_of_rejected_line(payload: str | None) -> tuple[str, str]:
    """The run a rejected line belongs to, as the mart attributes it (independently, in Python)."""
    try:
        record = json.loads(payload)
    except (TypeError, ValueError):
        return UNPARSEABLE
    metadata = record.get("metadata") if isinstance(record, dict) else None
    metadata = metadata if isinstance(metadata, dict) else {}
    return (metadata.get("model") or "(missing)", metadata.get("run_id") or "(missing)")


def test_extraction_quality_has_one_row_per_run_and_rejected_group(quality):
    assert sorted(quality) == sorted([GPT, QWEN, MISSING_MODEL, UNPARSEABLE])


def test_bad_sample_lines_are_attributed_to_their_runs(quality):
    lines = SAMPLE_EXTRACTIONS.read_text(encoding="utf-8").splitlines()
    bad = {number: run_of_rejected_line(lines[number - 1]) for number in range(353, 357)}
    assert bad == {
        353: GPT,  # confidence 1.7
        354: MISSING_MODEL,  # metadata.model missing; the run is named
        355: QWEN,  # attribute name repeated
        356: UNPARSEABLE,  # truncated line
    }
    expected = Counter(bad.values())
    assert {run: row["rows_rejected"] for run, row in quality.items()} == {
        run: expected[run] for run in quality
    }


def test_rejected_rows_are_attributed_from_their_payload(warehouse, quality):
    payloads = warehouse.execute(
        "select payload from raw.rejected_rows where kind = 'extractions'"
    ).fetchall()
    expected = Counter(run_of_rejected_line(payload) for (payload,) in payloads)
    assert {run: row["rows_rejected"] for run, row in quality.items() if row["rows_rejected"]} == (
        dict(expected)
    )
    # every rejected line is somewhere, and loaded + rejected = read for the extraction file
    read, loaded, rejected = warehouse.execute(
        "select sum(rows_read), sum(rows_loaded), sum(rows_rejected) from raw.load_batches"
        " where kind = 'extractions'"
    ).fetchone()
    assert sum(row["rows_rejected"] for row in quality.values()) == rejected == 4
    assert sum(row["extraction_results"] for row in quality.values()) == loaded == 352
    assert read == 356


def test_extraction_quality_counts_match_the_raw_results(warehouse, quality):
    # items, results, observations (attributes), free terms and confidence straight from raw
    raw = {}
    for model, run_id, attributes, terms in warehouse.execute(
        "select model, run_id, attributes, terms from raw.extraction_results"
    ).fetchall():
        run = raw.setdefault((model, run_id), {"results": 0, "obs": 0, "terms": 0, "conf": []})
        run["results"] += 1
        attributes, terms = json.loads(attributes), json.loads(terms)
        run["obs"] += len(attributes)
        run["terms"] += len(terms)
        run["conf"] += [a["confidence"] for a in attributes if a.get("confidence") is not None]
    items = dict(
        warehouse.execute(
            "select model || '|' || run_id, count(distinct item_id) from raw.extraction_results"
            " group by all"
        ).fetchall()
    )
    for (model, run_id), expected in raw.items():
        row = quality[(model, run_id)]
        assert row["items"] == items[f"{model}|{run_id}"]
        assert row["extraction_results"] == expected["results"]
        assert row["observations"] == expected["obs"]
        assert row["free_terms"] == expected["terms"]
        assert row["avg_confidence"] == pytest.approx(
            sum(expected["conf"]) / len(expected["conf"]), abs=5e-5
        )


def test_extraction_quality_unmatched_share_matches_item_attributes(warehouse, quality):
    shares = warehouse.execute(
        "select model, run_id, count(*), count(*) filter (where match_type = 'unmatched')"
        " from taxonomy.item_attributes where provenance = 'extraction' group by all"
    ).fetchall()
    assert len(shares) == 2
    for model, run_id, observations, unmatched in shares:
        row = quality[(model, run_id)]
        assert (row["observations"], row["observations_unmatched"]) == (observations, unmatched)
        assert row["share_unmatched"] == pytest.approx(unmatched / observations, abs=5e-5)


def test_extraction_quality_sample_figures(quality):
    figures = {
        run: (
            row["items"],
            row["extraction_results"],
            row["observations"],
            row["observations_unmatched"],
            row["free_terms"],
            row["avg_confidence"],
            row["share_unmatched"],
            row["rows_rejected"],
            row["share_rejected_at_load"],
        )
        for run, row in quality.items()
    }
    assert figures == {
        GPT: (237, 237, 902, 58, 312, 0.7823, 0.0643, 1, 0.0042),  # 1 / (237 + 1)
        QWEN: (115, 115, 426, 23, 151, 0.7837, 0.054, 1, 0.0086),  # 1 / (115 + 1)
        MISSING_MODEL: (0, 0, 0, 0, 0, None, None, 1, 1.0),
        UNPARSEABLE: (0, 0, 0, 0, 0, None, None, 1, 1.0),
    }
    first_last = {
        run: (str(row["first_extracted_at"]), str(row["last_extracted_at"]))
        for run, row in quality.items()
    }
    assert first_last[GPT] == ("2026-10-01 00:06:00+00:00", "2026-10-01 20:00:00+00:00")
    assert first_last[QWEN] == ("2026-10-15 00:09:00+00:00", "2026-10-15 19:57:00+00:00")
    assert first_last[UNPARSEABLE] == ("None", "None")


@pytest.fixture
def health(warehouse) -> dict:
    return rows_by_key(warehouse, "select * from analytics.taxonomy_health")


def test_taxonomy_health_overall_matches_the_taxonomy(warehouse, health):
    items, with_category = warehouse.execute(
        "select count(*), count(category_id) from taxonomy.items"
    ).fetchone()
    observations, resolved, normalized = warehouse.execute(
        "select count(*), count(*) filter (where match_type <> 'unmatched'),"
        " count(*) filter (where match_type in ('alias', 'mapping', 'rule'))"
        " from taxonomy.item_attributes"
    ).fetchone()
    # the backlog is D awaiting a decision: active candidates that are observations (free
    # terms are not), not the elevated, merged, rejected or clustered ones
    candidates = warehouse.execute(
        "select count(*) from taxonomy.semantic_candidates where candidate_type <> 'term'"
        " and status = 'active'"
    ).fetchone()[0]
    overall = health[("overall", "all")]
    assert (overall["items"], overall["items_with_category"]) == (items, with_category)
    assert (overall["observations"], overall["observations_resolved"]) == (observations, resolved)
    assert overall["vocabulary_coverage"] == pytest.approx(resolved / observations, abs=5e-5)
    assert overall["normalization_rate"] == pytest.approx(normalized / resolved, abs=5e-5)
    assert overall["candidate_backlog"] == candidates


@pytest.mark.parametrize("dimension", ["source", "language"])
def test_taxonomy_health_parts_add_up_to_overall(health, dimension):
    parts = [row for (dim, _), row in health.items() if dim == dimension]
    overall = health[("overall", "all")]
    for column in ["items", "items_with_category", "observations", "observations_resolved"]:
        assert sum(row[column] for row in parts) == overall[column], column


def test_taxonomy_health_sample_figures(health):
    columns = [
        "items",
        "items_with_category",
        "category_coverage",
        "observations",
        "observations_resolved",
        "vocabulary_coverage",
        "normalization_rate",
        "candidate_backlog",
    ]
    figures = {key: tuple(row[c] for c in columns) for key, row in health.items()}
    # north_mall's `Sage Green` (4 observations) and `Midnight Blue` (2) resolve through the
    # colour families of seeds/domain_pack/domain_value_families.csv (match_type `rule`)
    assert figures == {
        ("overall", "all"): (400, 398, 0.995, 3126, 2678, 0.8567, 0.3114, 40),
        ("source", "bazaar_in"): (110, 110, 1.0, 887, 701, 0.7903, 0.1213, 14),
        ("source", "north_mall"): (140, 140, 1.0, 1062, 964, 0.9077, 0.1359, 13),
        ("source", "taipei_market"): (130, 128, 0.9846, 1001, 881, 0.8801, 0.6141, 15),
        ("source", "tokyo_select"): (20, 20, 1.0, 176, 132, 0.75, 0.5833, 14),
        ("language", "en"): (250, 250, 1.0, 1949, 1665, 0.8543, 0.1297, 19),
        ("language", "ja"): (20, 20, 1.0, 176, 132, 0.75, 0.5833, 14),
        ("language", "zh-TW"): (130, 128, 0.9846, 1001, 881, 0.8801, 0.6141, 15),
    }


def test_normalization_rates_match_the_item_attributes(warehouse):
    rates = rows_by_key(warehouse, "select * from analytics.normalization_rates")
    known, normalized = warehouse.execute(
        "select count(*), count(canonical_value) from taxonomy.item_attributes"
        " where attribute_id is not null"
    ).fetchone()
    overall = rates[("overall", "all")]
    assert (overall["observations"], overall["observations_normalized"]) == (known, normalized)
    assert overall["normalization_rate"] == pytest.approx(normalized / known, abs=5e-5)
    for dimension in ("attribute", "source", "rule"):
        parts = [row for (dim, _), row in rates.items() if dim == dimension]
        assert sum(row["observations"] for row in parts) == known
        assert sum(row["observations_normalized"] for row in parts) == normalized
    # the sample's numeric values are read with their units; its sage and midnight shades
    # resolve through the colour families
    assert rates[("rule", "quantity")]["observations_normalized"] > 0
    assert rates[("rule", "family")]["observations"] == 6
    assert rates[("rule", "(none)")]["observations_normalized"] == 0
