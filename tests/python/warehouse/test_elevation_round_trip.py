"""The reviewers' workflow end to end, on a copy of the project: build -> the proposal
exists -> a decision row is added to the seed -> build -> the vocabulary changed.
And the seed's guards: a decision about no known candidate, or a verdict without a time,
fails the build."""

from __future__ import annotations

import csv
import re
import shutil

import pytest

from tests.python.project_copy import copy_project, load_sample
from tests.python.query_helpers import query

HEADER = ["domain", "proposal_id", "attribute_id", "term", "decision", "reviewer",
          "decided_at", "notes"]  # fmt: skip


def write_decisions(project, rows):
    path = project / "seeds" / "reviews" / "elevation_decisions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({"domain": "ecommerce", **row})


@pytest.fixture(scope="module")
def loaded_sample(tmp_path_factory):
    """A warehouse file with the sample in raw.* and nothing built."""
    folder = tmp_path_factory.mktemp("loaded")
    database = folder / "echo_roots.duckdb"
    load_sample(database)
    return database


@pytest.fixture
def project(tmp_path, loaded_sample):
    """A project copy with no decisions, and its own copy of the loaded sample."""
    root = copy_project(tmp_path / "project")
    write_decisions(root, [])
    database = tmp_path / loaded_sample.name  # same file name: views refer to their catalog
    shutil.copy(loaded_sample, database)
    return root, database


def build(dbt, root, database, tmp_path):
    # unit tests check SQL against fixed inputs, whatever the data: the session build runs them
    return dbt(
        ["build", "--project-dir", str(root), "--exclude-resource-type", "unit_test"],
        database,
        tmp_path,
        DBT_PROFILES_DIR=str(root),
    )


def test_approve_and_reject_round_trip(project, dbt, tmp_path):
    root, database = project
    first = build(dbt, root, database, tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    proposals = dict(
        query(
            database,
            "select normalized_term, proposal_id from taxonomy.elevation_proposals "
            "where status = 'proposed'",
        )
    )
    assert {"watchos", "tizen", "recycled polyester"} <= proposals.keys()
    assert query(
        database,
        "select count(*) from taxonomy.item_attributes "
        "where attribute_id = 'operating_system' and normalized_value = 'watchos' "
        "and match_type = 'unmatched'",
    ) == [(20,)]

    # a reviewer approves watchOS by attribute + term (any spelling), rejects Tizen by id
    write_decisions(
        root,
        [
            {"attribute_id": "operating_system", "term": "watchOS", "decision": "approved",
             "reviewer": "ana", "decided_at": "2026-11-20 10:00:00+00", "notes": "ok"},
            {"proposal_id": proposals["tizen"], "decision": "rejected", "reviewer": "ana",
             "decided_at": "2026-11-20 10:05:00+00", "notes": "brand-specific"},
        ],
    )  # fmt: skip
    second = build(dbt, root, database, tmp_path)
    assert second.returncode == 0, second.stdout[-3000:]

    assert query(
        database,
        "select value_id, origin, proposal_id from taxonomy.attribute_values "
        "where origin = 'elevated'",
    ) == [("operating_system.watchos", "elevated", proposals["watchos"])]
    # every observation that said watchOS now resolves to the new value
    assert query(
        database,
        "select value_id, match_type, value_origin, count(*) from taxonomy.item_attributes "
        "where attribute_id = 'operating_system' and normalized_value = 'watchos' group by all",
    ) == [("operating_system.watchos", "exact", "elevated", 20)]
    assert dict(
        query(
            database,
            "select normalized_term, status from taxonomy.semantic_candidates "
            "where normalized_term in ('watchos', 'tizen')",
        )
    ) == {"watchos": "elevated", "tizen": "deprecated"}
    assert dict(
        query(
            database,
            "select normalized_term, status from taxonomy.elevation_proposals "
            "where normalized_term in ('watchos', 'tizen')",
        )
    ) == {"watchos": "approved", "tizen": "rejected"}
    # the rejected term is no longer awaiting review and did not enter the vocabulary
    assert query(
        database,
        "select count(*) from taxonomy.elevation_proposals "
        "where status = 'proposed' and normalized_term = 'tizen'",
    ) == [(0,)]
    assert query(
        database,
        "select count(*) from taxonomy.attribute_values where normalized_value = 'tizen'",
    ) == [(0,)]
    # the attribute's value count includes the elevated value
    with (root / "seeds" / "domain_pack" / "domain_attribute_values.csv").open() as handle:
        curated = sum(r["attribute_id"] == "operating_system" for r in csv.DictReader(handle))
    assert query(
        database,
        "select value_count from taxonomy.attributes where attribute_id = 'operating_system'",
    ) == [(curated + 1,)]


@pytest.mark.parametrize(
    ("row", "failing_test"),
    [
        (
            {"attribute_id": "operating_sytem", "term": "BeOS", "decision": "approved",
             "reviewer": "ana", "decided_at": "2026-11-20 10:00:00+00"},
            "relationships_stg_reviews__elevation_decisions_attribute_id",
        ),
        (
            {"proposal_id": "prop_113f89205", "decision": "approved",
             "reviewer": "ana", "decided_at": "2026-11-20 10:00:00+00"},
            "expression_is_true_stg_reviews__elevation_decisions_proposal_id",
        ),
        (
            {"attribute_id": "operating_system", "term": "watchOS", "decision": "approved",
             "reviewer": "ana", "decided_at": ""},
            "expression_is_true_stg_reviews__elevation_decisions_decision",
        ),
    ],
    ids=["attribute not in the pack", "malformed proposal id", "approval without a time"],
)  # fmt: skip
def test_bad_decisions_fail_the_build(project, dbt, tmp_path, row, failing_test):
    root, database = project
    write_decisions(root, [row])
    built = build_decisions(root, database, dbt, tmp_path)
    assert built.returncode == 1
    failed = re.findall(r"FAIL \d+ (\S+)", built.stdout)
    assert any(name.startswith(failing_test) for name in failed), built.stdout[-3000:]


def build_decisions(root, database, dbt, tmp_path):
    return dbt(
        [
            "build",
            "--project-dir",
            str(root),
            "--select",
            "+decision_outcomes",
            "--exclude-resource-type",
            "unit_test",
        ],
        database,
        tmp_path,
        DBT_PROFILES_DIR=str(root),
    )


def test_a_decision_on_a_term_not_sighted_waits(project, dbt, tmp_path):
    # another warehouse's decision: valid, but this data never sighted the term
    root, database = project
    write_decisions(
        root,
        [{"attribute_id": "operating_system", "term": "BeOS", "decision": "approved",
          "reviewer": "ana", "decided_at": "2026-11-20 10:00:00+00"}],
    )  # fmt: skip
    built = build_decisions(root, database, dbt, tmp_path)
    assert built.returncode == 0, built.stdout[-3000:]
    assert [
        name for name in re.findall(r"WARN \d+ (\S+)", built.stdout) if "decision" in name
    ] == []
    assert query(
        database,
        "select normalized_term, outcome, candidate_status from analytics.decision_outcomes",
    ) == [("beos", "no_candidate", None)]


def test_a_decision_on_a_near_duplicate_warns_to_decide_on_its_head(project, dbt, tmp_path):
    root, database = project
    write_decisions(
        root,
        [{"attribute_id": "material", "term": "recycled polyster", "decision": "approved",
          "reviewer": "ana", "decided_at": "2026-11-20 10:00:00+00"}],
    )  # fmt: skip
    built = build_decisions(root, database, dbt, tmp_path)
    assert built.returncode == 0, built.stdout[-3000:]
    warned = re.findall(r"WARN \d+ (\S+)", built.stdout)
    assert any(name.startswith("expression_is_true_decision_outcomes") for name in warned), (
        built.stdout[-3000:]
    )
    assert query(database, "select normalized_term, outcome from analytics.decision_outcomes") == [
        ("recycled polyster", "clustered_term")
    ]
