"""The candidate layer (D) and elevation (D -> C) on the built sample: near-duplicates are
clustered, metrics are what the observations say, the sample's reviewers' decisions took
effect, and the versioned candidate mart serves both versions."""

from __future__ import annotations

import hashlib
import json
import math

import pytest

MATERIAL = "material"


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def proposal_id(attribute_id: str, term: str) -> str:
    return "prop_" + hashlib.md5(f"{attribute_id}|{term}".encode()).hexdigest()[:10]


def test_spellings_normalize_and_near_duplicates_cluster(warehouse):
    head = one(
        warehouse,
        "select candidate_id, raw_forms, cluster_id = candidate_id "
        "from taxonomy.semantic_candidates where normalized_term = 'recycled polyester'",
    )
    # `Recycled-Polyester` and `Recycled Polyester` are one candidate after normalization
    assert head[1] == ["Recycled Polyester", "Recycled-Polyester"]
    assert head[2] is True
    typo = one(
        warehouse,
        "select cluster_id, canonical_term from taxonomy.semantic_candidates "
        "where normalized_term = 'recycled polyster'",
    )
    assert typo == (head[0], "recycled polyester")


def test_terms_with_different_numbers_are_not_near_duplicates(warehouse):
    # 0.96 Jaro-Winkler would call `android 14` a spelling of `android 13`; digits must match
    sim = one(warehouse, "select jaro_winkler_similarity('android 14', 'android 13')")[0]
    assert sim >= 0.96
    clustered = warehouse.execute(
        "select normalized_term from taxonomy.semantic_candidates "
        "where cluster_id <> candidate_id order by 1"
    ).fetchall()
    assert clustered == [("recycled polyster",)]


def test_metrics_agree_with_the_observations(warehouse):
    """frequency, items, sources, coverage, stability and score of `watchos`, recomputed
    from item_attributes, items and category_attributes."""
    observed = warehouse.execute(
        "select item_id, source, observed_at, coalesce(confidence, 1.0) "
        "from taxonomy.item_attributes "
        "where attribute_id = 'operating_system' and normalized_value = 'watchos'"
    ).fetchall()
    scope = one(
        warehouse,
        "select count(distinct items.item_id) from taxonomy.items "
        "join taxonomy.category_attributes using (category_id) "
        "where category_attributes.attribute_id = 'operating_system'",
    )[0]
    data_weeks = one(
        warehouse,
        "select count(distinct date_trunc('week', observed_at)) from taxonomy.item_attributes",
    )[0]
    row = one(
        warehouse,
        "select frequency, item_count, source_count, coverage, stability, avg_confidence, score "
        "from taxonomy.semantic_candidates "
        "where attribute_id = 'operating_system' and normalized_term = 'watchos'",
    )
    frequency, items, sources, coverage, stability, confidence, score = row
    assert frequency == len(observed) == 20
    assert items == len({r[0] for r in observed}) == 12
    assert sources == len({r[1] for r in observed}) == 3
    assert coverage == pytest.approx(items / scope)
    assert confidence == pytest.approx(sum(r[3] for r in observed) / len(observed))
    # the sample spans four calendar weeks (2026-09-28 .. 2026-10-19) and watchOS is in all
    assert data_weeks == len({r[2].isocalendar()[:2] for r in observed}) == 4
    assert stability == 1.0
    expected = (
        0.4 * min(1.0, math.log(1 + frequency) / math.log(1 + 50))
        + 0.2 * min(1.0, sources / 3)
        + 0.2 * confidence
        + 0.2 * stability
    )
    assert score == pytest.approx(round(expected, 4))


def test_proposals_meet_the_thresholds_and_explain_themselves(warehouse):
    rows = warehouse.execute(
        "select proposal_id, attribute_id, normalized_term, frequency, source_count, "
        "avg_confidence, coverage, meets_thresholds, status, justification "
        "from taxonomy.elevation_proposals order by normalized_term"
    ).fetchall()
    terms = [r[2] for r in rows]
    assert terms == [
        "android 14", "bluetooth 5.3", "google tv", "recycled polyester", "tizen", "watchos",
    ]  # fmt: skip
    for pid, attribute, term, frequency, sources, confidence, coverage, meets, _, text in rows:
        assert pid == proposal_id(attribute, term)  # stable: derived from what it proposes
        assert meets and frequency >= 5 and sources >= 2 and confidence >= 0.7
        assert coverage >= 0.05
        assert text.startswith(f"Seen {frequency} times in ")
    # a misspelling of a curated value meets every threshold but is not proposed: its
    # suggested canonical form is the curated value (a term mapping, not a new value)
    steel = one(
        warehouse,
        "select canonical_term, similar_value_id, frequency >= 5 and source_count >= 2, status "
        "from taxonomy.semantic_candidates where normalized_term = 'stainles steel'",
    )
    assert steel == ("stainless steel", "material.stainless_steel", True, "active")
    # below a threshold, no proposal: `再生聚酯纖維` comes from one shop only
    assert one(
        warehouse,
        "select source_count from taxonomy.semantic_candidates where normalized_term = ?",
        "再生聚酯纖維",
    ) == (1,)


def test_the_sample_decisions_took_effect(warehouse):
    statuses = dict(
        warehouse.execute(
            "select normalized_term, status from taxonomy.semantic_candidates "
            "where normalized_term in ('recycled polyester', 'recycled polyster', 'android 14',"
            " 'watchos')"
        ).fetchall()
    )
    assert statuses == {
        "recycled polyester": "elevated",  # approved by proposal id
        "recycled polyster": "merged",  # its near-duplicate, now an alias
        "android 14": "deprecated",  # rejected by attribute + term
        "watchos": "active",
    }
    value = one(
        warehouse,
        "select value_id, origin, proposal_id, aliases from taxonomy.attribute_values "
        "where origin = 'elevated'",
    )
    assert value == (
        "material.recycled_polyester",
        "elevated",
        proposal_id(MATERIAL, "recycled polyester"),
        ["recycled polyster"],
    )
    resolved = warehouse.execute(
        "select raw_value, match_type, count(*) from taxonomy.item_attributes "
        "where value_id = 'material.recycled_polyester' group by all order by 1"
    ).fetchall()
    assert resolved == [
        ("Recycled Polyester", "exact", 6),
        ("Recycled-Polyester", "exact", 4),
        ("recycled polyster", "alias", 9),
    ]
    assert one(
        warehouse,
        "select count(*) from taxonomy.attribute_values where normalized_value = 'android 14'",
    ) == (0,)


def test_both_versions_of_the_candidate_mart_build(warehouse, built_warehouse):
    def columns(table):
        return [
            r[0]
            for r in warehouse.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'taxonomy' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
        ]

    v1, v2, latest = (columns(t) for t in ["semantic_candidates_v1", "semantic_candidates_v2",
                                           "semantic_candidates"])  # fmt: skip
    assert "example_raw_term" in v1 and "raw_forms" not in v1 and "score" not in v1
    assert "raw_forms" in v2 and "score" in v2 and "example_raw_term" not in v2
    assert latest == v2  # the unversioned name is a view of the latest version
    assert one(
        warehouse,
        "select table_type from information_schema.tables where table_name = ?",
        "semantic_candidates",
    ) == ("VIEW",)
    v1_row = one(
        warehouse,
        "select example_raw_term, len(example_contexts) <= 5 from taxonomy.semantic_candidates_v1 "
        "where normalized_term = 'recycled polyester'",
    )
    assert v1_row[0] in ("Recycled Polyester", "Recycled-Polyester") and v1_row[1]
    assert one(
        warehouse,
        "select count(*) = (select count(*) from taxonomy.semantic_candidates_v2) "
        "from taxonomy.semantic_candidates_v1",
    ) == (True,)


def test_v1_carries_a_deprecation_date_in_the_manifest(built_warehouse):
    manifest = json.loads((built_warehouse.parent / "target" / "manifest.json").read_text())
    versions = {
        node["version"]: node.get("deprecation_date")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] == "semantic_candidates"
    }
    assert versions[2] is None
    assert str(versions[1]).startswith("2027-06-30")
