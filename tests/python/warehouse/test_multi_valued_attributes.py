"""Several values for one attribute in one extraction result, end to end.

Real extraction output is multi-valued: WDC-PAVE gives `Interface: SAS` from an offer's title
and `Interface: Serial Attached SCSI (SAS)` from its description, in one result. Each value is
an observation of its own in item_attributes (the observation key tells them apart), an
attribute present counts once towards completeness, and each unknown value is a sighting.

The loader takes them as delivered (an exact repeat too); these tests load them through it,
as a user would, and check what dbt makes of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.python.project_copy import REPO, load_sample, run_loader
from tests.python.query_helpers import query

DATASETS = REPO.parent / "shared" / "datasets"
WDC_ITEMS = DATASETS / "wdc_pave_dev.items.jsonl"
WDC_EXTRACTIONS = DATASETS / "wdc_pave_dev.extractions.jsonl"


def load_results(database: Path, folder: Path, results: list[dict]) -> None:
    """Load results (the extraction-result shape) through the loader, as a user would."""
    source = folder / "multi_valued.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
    loaded = run_loader("load", "extractions", str(source), "--database", str(database))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "rejected 0" in loaded.stdout


# every value of every attribute of the latest load of each result in raw, as delivered
EXTRACTED_VALUES = """
    select distinct item_id, model, run_id, attribute.name, attribute.value
    from (
        select
            item_id, model, run_id,
            unnest(from_json(attributes, '[{"name": "VARCHAR", "value": "VARCHAR"}]'))
                as attribute
        from (
            select * from raw.extraction_results
            qualify row_number() over (
                partition by item_id, model, run_id order by _loaded_at desc, _line_number desc
            ) = 1
        )
    )
"""
OBSERVED_VALUES = """
    select item_id, model, run_id, raw_name, raw_value
    from taxonomy.item_attributes
    where provenance = 'extraction'
"""
# items' required attributes present, counted from item_attributes independently of items
REQUIRED_PRESENT = """
    select items.item_id, items.required_attributes_present, count(distinct present.attribute_id)
    from taxonomy.items as items
    left join intermediate.int_category_attributes_inherited as required
        on required.category_id = items.category_id and required.is_required
    left join taxonomy.item_attributes as present
        on present.item_id = items.item_id
        and present.attribute_id = required.attribute_id
        and present.match_type <> 'unmatched'
    group by all
"""

MULTI_RUN = "run-multi-values"
MULTI_VALUED = {
    # a tablet of the sample: colour given four ways, one of them twice; two connectivities
    "item_id": "nm-000003",
    "attributes": [
        {"name": "Color", "value": "Silver", "evidence": "title: Silver", "confidence": 0.9},
        {"name": "Color", "value": "Space Gray", "evidence": "description", "confidence": 0.8},
        {"name": "Color", "value": "Silver", "evidence": "description", "confidence": 0.5},
        {"name": "Color", "value": "Moonlit Teal", "evidence": "bullet", "confidence": 0.7},
        {"name": "colour", "value": "Glacier Frost", "evidence": "bullet", "confidence": 0.7},
        {"name": "Connectivity", "value": "Wi-Fi", "evidence": "specs", "confidence": 0.9},
        {"name": "Connectivity", "value": "5G", "evidence": "specs", "confidence": 0.9},
    ],
    "terms": [],
    "metadata": {
        "model": "test-model",
        "run_id": MULTI_RUN,
        "extracted_at": "2026-11-01T00:00:00Z",
    },
}


@pytest.fixture(scope="module")
def sample_with_multi_values(tmp_path_factory, dbt) -> Path:
    tmp = tmp_path_factory.mktemp("multi_values")
    database = tmp / "echo_roots.duckdb"
    load_sample(database)
    load_results(database, tmp, [MULTI_VALUED])
    built = dbt(["build"], database, tmp)
    assert built.returncode == 0, built.stdout[-5000:]
    return database


def test_each_value_of_an_attribute_is_a_row(sample_with_multi_values):
    rows = query(
        sample_with_multi_values,
        "select raw_name, raw_value, attribute_id, confidence, evidence "
        f"from taxonomy.item_attributes where run_id = '{MULTI_RUN}' order by all",
    )
    assert rows == [
        ("Color", "Moonlit Teal", "color", 0.7, "bullet"),
        # an exact repeat is one row, with its most confident mention's evidence
        ("Color", "Silver", "color", 0.9, "title: Silver"),
        ("Color", "Space Gray", "color", 0.8, "description"),
        ("Connectivity", "5G", "connectivity", 0.9, "specs"),
        ("Connectivity", "Wi-Fi", "connectivity", 0.9, "specs"),
        ("colour", "Glacier Frost", "color", 0.7, "bullet"),
    ]
    [(ids,)] = query(
        sample_with_multi_values,
        "select count(distinct observation_id) from taxonomy.item_attributes "
        f"where run_id = '{MULTI_RUN}'",
    )
    assert ids == len(rows)


def test_every_extracted_value_of_the_sample_is_in_item_attributes(sample_with_multi_values):
    missing = query(
        sample_with_multi_values,
        f"select * from ({EXTRACTED_VALUES} except {OBSERVED_VALUES}) order by all",
    )
    assert missing == []


def test_an_attribute_with_several_values_counts_once_towards_completeness(
    sample_with_multi_values,
):
    counts = query(sample_with_multi_values, REQUIRED_PRESENT)
    assert counts  # items were built
    assert [row for row in counts if row[1] != row[2]] == []
    assert query(
        sample_with_multi_values, "select count(*) from taxonomy.items where completeness > 1"
    ) == [(0,)]


def test_each_unknown_value_is_a_sighting(sample_with_multi_values):
    sightings = query(
        sample_with_multi_values,
        "select normalized_term, context from intermediate.int_candidate_terms_sighted "
        "where item_id = 'nm-000003' and candidate_type = 'value' and attribute_id = 'color' "
        "and normalized_term in ('moonlit teal', 'glacier frost') order by all",
    )
    assert sightings == [("glacier frost", "bullet"), ("moonlit teal", "bullet")]


@pytest.fixture(scope="module")
def wdc_warehouse(tmp_path_factory, dbt) -> Path:
    if not (WDC_ITEMS.exists() and WDC_EXTRACTIONS.exists()):
        pytest.skip(f"the WDC-PAVE dev files are not in {DATASETS}")
    tmp = tmp_path_factory.mktemp("wdc_pave")
    database = tmp / "echo_roots.duckdb"
    for kind, path in (("items", WDC_ITEMS), ("extractions", WDC_EXTRACTIONS)):
        # at the default settings: no row may be rejected (exit 0)
        loaded = run_loader("load", kind, str(path), "--database", str(database))
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    built = dbt(["build"], database, tmp)
    assert built.returncode == 0, built.stdout[-5000:]
    return database


def test_wdc_pave_results_all_reach_raw(wdc_warehouse):
    lines = sum(1 for line in WDC_EXTRACTIONS.open(encoding="utf-8") if line.strip())
    assert query(wdc_warehouse, "select count(*) from raw.extraction_results") == [(lines,)]


def test_every_extracted_wdc_pave_value_is_in_item_attributes(wdc_warehouse):
    [(extracted,)] = query(wdc_warehouse, f"select count(*) from ({EXTRACTED_VALUES})")
    assert extracted > 1000
    assert (
        query(wdc_warehouse, f"select * from ({EXTRACTED_VALUES} except {OBSERVED_VALUES}) limit 5")
        == []
    )
    # one row per distinct value: nothing else was added
    assert query(
        wdc_warehouse,
        f"select count(*) from ({OBSERVED_VALUES})",
    ) == [(extracted,)]


def test_wdc_pave_keeps_both_interfaces_of_one_offer(wdc_warehouse):
    assert query(
        wdc_warehouse,
        "select raw_value from taxonomy.item_attributes "
        "where item_id = 'wdc-14262891' and raw_name = 'Interface' order by 1",
    ) == [("SAS",), ("Serial Attached SCSI (SAS)",)]


def test_wdc_pave_multi_valued_names_are_kept_as_delivered(wdc_warehouse):
    # results with a name given several values, counted in raw and in the mart alike
    per_name = """
        select count(*) from (
            select item_id, model, run_id, name from ({values})
            group by all having count(*) > 1
        )"""
    [(in_raw,)] = query(wdc_warehouse, per_name.format(values=EXTRACTED_VALUES))
    observed = OBSERVED_VALUES.replace("raw_name,", "raw_name as name,")
    [(in_mart,)] = query(wdc_warehouse, per_name.format(values=observed))
    assert in_raw > 500
    assert in_mart == in_raw


def test_wdc_pave_completeness_counts_attributes_not_values(wdc_warehouse):
    counts = query(wdc_warehouse, REQUIRED_PRESENT)
    assert len(counts) == sum(1 for line in WDC_ITEMS.open(encoding="utf-8") if line.strip())
    assert [row for row in counts if row[1] != row[2]] == []
