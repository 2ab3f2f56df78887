"""Real files no one here wrote (../shared/datasets/, beside the checkout): they load whole at
the default settings. Skipped, with the reason, where the folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from loader import load_extractions, load_items

DATASETS = Path(__file__).resolve().parents[3].parent / "shared" / "datasets"
WDC = {kind: DATASETS / f"wdc_pave_dev.{kind}.jsonl" for kind in ("items", "extractions")}


@pytest.mark.skipif(
    not all(path.exists() for path in WDC.values()), reason=f"{DATASETS}: WDC-PAVE files absent"
)
def test_wdc_pave_multi_valued_extractions_load_with_no_reject(tmp_path, monkeypatch):
    monkeypatch.delenv("ECHO_ROOTS_MEMORY_LIMIT", raising=False)  # the default limit
    database = tmp_path / "w.duckdb"
    items = load_items([WDC["items"]], database=database)
    extractions = load_extractions([WDC["extractions"]], database=database)
    for report in (items, extractions):
        assert report.rows_read > 0
        assert (report.rows_rejected, report.rows_loaded) == (0, report.rows_read)


@pytest.mark.skipif(not WDC["extractions"].exists(), reason=f"{DATASETS}: WDC-PAVE files absent")
def test_rejecting_every_real_result_stays_within_the_default_memory(tmp_path, monkeypatch):
    # twice the WDC-PAVE results (3.6 MB), each with one confidence "high": explaining 1418
    # rejects ran out of memory at the default 512MB (an OutOfMemory traceback)
    import json

    monkeypatch.delenv("ECHO_ROOTS_MEMORY_LIMIT", raising=False)
    source = tmp_path / "rejected.jsonl"
    results = [json.loads(line) for line in WDC["extractions"].read_text().splitlines()]
    with source.open("w", encoding="utf-8") as out:
        for copy in range(2):
            for result in results:
                attributes = [*result["attributes"], {"name": "n", "value": "v", "evidence": "e"}]
                attributes[-1]["confidence"] = "high"
                row = {**result, "item_id": f"{result['item_id']}-{copy}", "attributes": attributes}
                out.write(json.dumps(row) + "\n")
    report = load_extractions([source], database=tmp_path / "w.duckdb")
    assert (report.rows_loaded, report.rows_rejected) == (0, 2 * len(results))
    assert report.files[0].rejects_by_rule == {"type": 2 * len(results)}
