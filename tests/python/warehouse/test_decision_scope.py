"""Reviewer decisions belong to their domain and apply wherever their proposal is sighted.

The shipped decisions seed names proposals of the sample's data. A warehouse of the same domain
built from other data (the README's Flipkart example) must build clean: a decision whose term
is not sighted there waits (`no_candidate` in analytics.decision_outcomes) instead of failing
the build. On the sample the shipped decisions still apply. And a build that failed after its
snapshots but before its release leaves no change without a release behind it."""

from __future__ import annotations

import csv
import re

import pytest

from tests.python.project_copy import REPO, copy_project, edit_seed, load_sample, run_loader
from tests.python.query_helpers import query

FLIPKART = REPO.parent / "shared" / "datasets" / "flipkart_sample.items.jsonl"
SEED = REPO / "seeds" / "reviews" / "elevation_decisions.csv"
STATUS_OF = {"approved": "elevated", "rejected": "deprecated"}


def shipped_decisions(domain: str = "ecommerce") -> list[dict]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["domain"] == domain]


def summary(stdout: str) -> dict[str, int]:
    """dbt's closing `Done. PASS=.. WARN=.. ERROR=.. SKIP=..` line as numbers."""
    [line] = [line for line in stdout.splitlines() if "Done. PASS=" in line]
    return {key: int(value) for key, value in re.findall(r"([A-Z-]+)=(\d+)", line)}


@pytest.fixture(scope="module")
def flipkart_build(tmp_path_factory, dbt):
    if not FLIPKART.exists():
        pytest.skip(f"{FLIPKART} is not there (the shared datasets sit beside the checkout)")
    tmp = tmp_path_factory.mktemp("flipkart")
    database = tmp / "echo_roots.duckdb"
    # two listings have over-long descriptions and are rejected; the README's example as written
    loaded = run_loader(
        "load", "items", str(FLIPKART), "--database", str(database), "--max-reject-rate", "0.01"
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return database, dbt(["build"], database, tmp)


def test_a_warehouse_of_other_data_builds_clean(flipkart_build):
    database, build = flipkart_build
    assert build.returncode == 0, build.stdout[-5000:]
    counts = summary(build.stdout)
    assert (counts["ERROR"], counts["SKIP"]) == (0, 0)
    warned = [line for line in build.stdout.splitlines() if "WARN" in line and "Done." not in line]
    assert [line for line in warned if "decision" in line] == []
    assert query(database, "select count(*) from taxonomy.items") == query(
        database, "select count(distinct item_id) from raw.ingestion_items"
    )


def test_decisions_not_sighted_wait_for_their_term(flipkart_build):
    database, _ = flipkart_build
    outcomes = query(
        database, "select proposal_id, decision, outcome from analytics.decision_outcomes"
    )
    assert len(outcomes) == len(shipped_decisions()) > 0
    assert {outcome for _, _, outcome in outcomes} == {"no_candidate"}
    # and nothing was elevated from them
    assert query(database, "select count(*) from intermediate.int_values_elevated") == [(0,)]


def test_the_sample_build_applies_the_shipped_decisions(warehouse):
    outcomes = warehouse.execute(
        "select outcomes.decision, outcomes.outcome, outcomes.candidate_status "
        "from analytics.decision_outcomes as outcomes order by all"
    ).fetchall()
    expected = sorted(
        (row["decision"], "applied", STATUS_OF[row["decision"]]) for row in shipped_decisions()
    )
    assert outcomes == expected
    approved = [row for row in shipped_decisions() if row["decision"] == "approved"]
    [(elevated,)] = warehouse.execute(
        "select count(*) from taxonomy.attribute_values where origin = 'elevated'"
    ).fetchall()
    assert elevated == len(approved)


def test_a_failed_build_leaves_no_change_without_a_release(tmp_path, dbt):
    root = copy_project(tmp_path / "project")
    database = tmp_path / "echo_roots.duckdb"
    load_sample(database)

    def build():
        return dbt(["build", "--project-dir", str(root)], database, tmp_path,
                   DBT_PROFILES_DIR=str(root))  # fmt: skip

    # a decision about an attribute the domain pack does not have: the build fails there,
    # after the categories were snapshotted and before the release was written
    seed = root / "seeds" / "reviews"
    kept = SEED.read_text("utf-8")
    edit_seed(
        seed,
        "elevation_decisions",
        lambda rows: [
            *rows,
            {**rows[0], "proposal_id": "", "attribute_id": "colour_family", "term": "teal"},
        ],
    )
    failed = build()
    assert failed.returncode != 0
    assert "FAIL 1 relationships_stg_reviews__elevation_decisions_attribute_id" in failed.stdout
    assert query(database, "select count(*) > 0 from snapshots.categories_snapshot") == [(True,)]
    assert query(
        database,
        "select count(*) from information_schema.tables where table_name = 'releases'",
    ) == [(0,)]

    (seed / "elevation_decisions.csv").write_text(kept, "utf-8")
    fixed = build()
    assert fixed.returncode == 0, fixed.stdout[-5000:]
    assert summary(fixed.stdout)["WARN"] == 0, fixed.stdout[-5000:]
    # what the failed build snapshotted landed in the first release, not in none
    [(changes, released)] = query(
        database, "select count(*), count(taxonomy_version) from taxonomy.changes"
    )
    assert changes > 0
    assert released == changes
