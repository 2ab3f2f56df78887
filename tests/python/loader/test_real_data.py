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
