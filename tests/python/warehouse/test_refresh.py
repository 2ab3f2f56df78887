"""`echo-roots refresh` (`make refresh`) builds what a load or a project change reached, and the
warehouse it leaves equals a full rebuild of the same data.

One project copy and one warehouse go through: a first refresh (no state: everything), a
refresh with nothing new, a load of new items, re-deliveries and a new extraction run, then a
seed edit; after each, a copy rebuilt whole (`dbt build --full-refresh`) must hold the same
rows in every table analysts read (test_incremental's comparison)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest

from loader.release import refresh as refreshing
from tests.python.project_copy import REPO, copy_project
from tests.python.warehouse.test_incremental import (
    NEW_EXTRACTIONS,
    NEW_ITEMS,
    differences,
    load_lines,
    rebuilt_in_full,
    teach_mint_green,
)

RUN = """
import json, sys
from loader.release.refresh import refresh
report = refresh(sys.argv[1], project=sys.argv[2], target="ci")
open(sys.argv[3], "w").write(json.dumps(report.to_dict()))
"""


def run_refresh(database, root, tmp, step: str) -> dict:
    """The refresh in a subprocess (dbt's connection closes with it); its report and the
    nodes dbt ran."""
    report = tmp / f"{step}.json"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(root),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "DO_NOT_TRACK": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(database), str(root), str(report)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and report.exists(), done.stdout[-4000:] + done.stderr[-4000:]
    result = json.loads(report.read_text())
    assert result["failures"] == [], result["failures"]
    run = json.loads((tmp / "target" / "run_results.json").read_text())["results"]
    result["ran"] = {entry["unique_id"] for entry in run} if result["nodes"] else set()
    return result


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory, dbt, built_warehouse):
    tmp = tmp_path_factory.mktemp("refresh")
    root = copy_project(tmp / "project")
    database = tmp / "warehouse" / "echo_roots.duckdb"
    database.parent.mkdir()
    shutil.copy(built_warehouse, database)

    def full_copy(step):
        return rebuilt_in_full(dbt, root, database, tmp, step)

    steps = {"first": run_refresh(database, root, tmp, "first")}
    steps["state"] = sorted(p.name for p in refreshing.state_folder(database).iterdir())
    steps["nothing new"] = run_refresh(database, root, tmp, "nothing_new")
    load_lines(database, "items", NEW_ITEMS, tmp)
    load_lines(database, "extractions", NEW_EXTRACTIONS, tmp)
    steps["load"] = run_refresh(database, root, tmp, "load")
    steps["load differences"] = differences(database, full_copy("after_load"))
    teach_mint_green(root)
    steps["seed edit"] = run_refresh(database, root, tmp, "seed_edit")
    steps["seed differences"] = differences(database, full_copy("after_seed_edit"))
    return steps


def test_the_first_refresh_builds_everything_and_keeps_the_state(refreshed):
    first = refreshed["first"]
    assert first["mode"] == "full" and first["selection"] == []
    assert any(uid.startswith("seed.") for uid in first["ran"])
    assert refreshed["state"] == ["inputs.json", "manifest.json", "sources.json"]
    assert first["published"]["published"].endswith("published/echo_roots.duckdb")


def test_a_refresh_with_nothing_new_builds_nothing(refreshed):
    nothing = refreshed["nothing new"]
    assert nothing["mode"] == "changes" and nothing["nodes"] == 0
    assert nothing["published"] is not None


def test_a_load_builds_what_the_raw_tables_reach_and_no_vocabulary(refreshed):
    ran = refreshed["load"]["ran"]
    assert "model.echo_roots.stg_raw__ingestion_items" in ran
    assert "model.echo_roots.int_candidate_sightings_aggregated" in ran
    assert "test.echo_roots.raw_rows_reach_staging" in ran
    # the domain pack did not change: no seed, pack-level model or pack staging view ran
    assert not {uid for uid in ran if uid.startswith("seed.")}
    assert "model.echo_roots.int_category_paths_resolved" not in ran
    assert "model.echo_roots.stg_domain_pack__labels" not in ran
    assert len(ran) < len(refreshed["first"]["ran"])


def test_a_refresh_after_a_load_equals_a_full_rebuild(refreshed):
    assert refreshed["load differences"] == {}


def test_a_seed_edit_is_built_with_what_it_reaches(refreshed):
    ran = refreshed["seed edit"]["ran"]
    assert "seed.echo_roots.domain_attribute_values" in ran
    assert "model.echo_roots.item_attributes" in ran
    assert "seed.echo_roots.domain_labels" not in ran  # unchanged seeds are not reloaded


def test_a_refresh_after_a_seed_edit_equals_a_full_rebuild(refreshed):
    assert refreshed["seed differences"] == {}


def manifest_with(*models):
    """A stand-in for dbt's manifest: the nodes `_selection` looks at."""
    nodes = {
        f"model.echo_roots.{name}": SimpleNamespace(
            name=name,
            resource_type="model",
            depends_on=SimpleNamespace(macros=macros),
        )
        for name, macros in models
    }
    return SimpleNamespace(nodes=nodes)


STATE = {
    "vars": "v1",
    "large_seeds": {"domain_labels": "a"},
    "as_of_date": "2026-12-01",
    "raw_through": None,
}


def test_the_selection_adds_what_dbt_state_cannot_see():
    manifest = manifest_with(("int_term_mappings_chained", [refreshing.DATE_MACRO]), ("items", []))
    same = dict(STATE)
    assert refreshing._selection(STATE, same, manifest)[0] == [
        "source_status:fresher+",
        "state:modified+",
    ]
    # a seed over 1 MiB whose content changed (dbt compares its path only)
    relabelled = {**STATE, "large_seeds": {"domain_labels": "b"}}
    assert "domain_labels+" in refreshing._selection(STATE, relabelled, manifest)[0]
    # the date moved on: the models that judge mappings by date, and what they reach
    next_day = {**STATE, "as_of_date": "2026-12-02"}
    selection = refreshing._selection(STATE, next_day, manifest)[0]
    assert "int_term_mappings_chained+" in selection and "items+" not in selection
    # the vars changed (dbt does not compare vars): everything
    assert refreshing._selection(STATE, {**STATE, "vars": "v2"}, manifest)[0] == []
    # no state yet: everything
    assert refreshing._selection(None, STATE, manifest)[0] == []


def test_the_inputs_follow_the_project(tmp_path):
    root = copy_project(tmp_path / "project")
    manifest = SimpleNamespace(nodes={})
    inputs = refreshing._inputs(root, manifest)
    assert inputs["as_of_date"] == date.today().isoformat()
    text = (root / "dbt_project.yml").read_text()
    (root / "dbt_project.yml").write_text(
        text.replace("elevation_min_sources: 2", "elevation_min_sources: 3")
    )
    assert refreshing._inputs(root, manifest)["vars"] != inputs["vars"]


def test_a_state_that_does_not_read_back_is_no_state(tmp_path):
    state = tmp_path / "echo_roots.refresh"
    state.mkdir()
    for name in ("manifest.json", "sources.json"):
        (state / name).write_text("{}")
    good = {
        **STATE,
        "raw_through": {
            "ingestion_items": "2026-12-01T10:00:00+00:00",
            "extraction_results": "2026-12-01T10:05:00.500000+00:00",
        },
    }
    (state / "inputs.json").write_text(json.dumps(good))
    assert refreshing._read_state(state)["raw_through"] == good["raw_through"]
    # a timestamp is all that reaches the SQL from the state: anything else is no state
    bad = {**good, "raw_through": {**good["raw_through"], "ingestion_items": "x'; drop table y"}}
    (state / "inputs.json").write_text(json.dumps(bad))
    assert refreshing._read_state(state) is None
    # one raw table only: the reconciliation checks every item
    one = {**good, "raw_through": {"ingestion_items": "2026-12-01T10:00:00+00:00"}}
    (state / "inputs.json").write_text(json.dumps(one))
    assert refreshing._read_state(state)["raw_through"] is None
