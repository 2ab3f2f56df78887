"""The raw schema's migrations bring a warehouse written by an older loader up to date without
losing or reordering a row (loader/ingestion/migrations/)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loader import load_extractions, load_items
from loader.ingestion.migrations import available_migrations, latest_known_version

DATASETS = Path(__file__).resolve().parents[3].parent / "shared" / "datasets"
WDC = {kind: DATASETS / f"wdc_pave_dev.{kind}.jsonl" for kind in ("items", "extractions")}
RAW_TABLES = ("ingestion_items", "extraction_results", "load_batches", "rejected_rows")


def _warehouse_at_version_1(path: Path, rows_from: Path) -> None:
    """A warehouse as the first loader left it (migration 001 only), holding the raw rows of
    `rows_from` in their order."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(
        "create table raw.schema_migrations "
        "(version integer primary key, name varchar not null, applied_at timestamptz not null)"
    )
    con.execute(available_migrations()[0].sql)
    con.execute("insert into raw.schema_migrations values (1, 'create_raw_schema', now())")
    loaded = duckdb.connect(str(rows_from), read_only=True)
    for table in RAW_TABLES:
        rows = loaded.execute(f"select * from raw.{table} order by rowid").to_arrow_table()
        con.register("rows", rows)
        con.execute(f"insert into raw.{table} select * from rows")
        con.unregister("rows")
    loaded.close()
    con.close()


def _raw_rows(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    rows = {t: con.execute(f"select * from raw.{t} order by rowid").fetchall() for t in RAW_TABLES}
    con.close()
    return rows


@pytest.mark.skipif(
    not all(path.exists() for path in WDC.values()), reason=f"{DATASETS}: WDC-PAVE files absent"
)
def test_a_version_1_warehouse_keeps_its_rows_in_order_and_stores_unique_columns_with_fsst(
    tmp_path,
):
    loaded, old = tmp_path / "loaded.duckdb", tmp_path / "old.duckdb"
    load_items([WDC["items"]], database=loaded)
    load_extractions([WDC["extractions"]], database=loaded)
    _warehouse_at_version_1(old, rows_from=loaded)
    before = _raw_rows(old)
    assert len(before["ingestion_items"]) > 500 and len(before["extraction_results"]) > 500

    # the next load migrates first; the files are already in the ledger, so it adds nothing
    report = load_items([WDC["items"]], database=old)
    assert report.files[0].status == "skipped"
    assert _raw_rows(old) == before

    con = duckdb.connect(str(old), read_only=True)
    assert con.execute("select max(version) from raw.schema_migrations").fetchone()[0] == (
        latest_known_version()
    )
    stored = dict(
        con.execute(
            "select column_name, list(distinct compression) "
            "from pragma_storage_info('raw.ingestion_items') "
            "where segment_type = 'VARCHAR' and column_name in ('item_id', '_record_hash') "
            "group by column_name"
        ).fetchall()
    )
    con.close()
    assert stored == {"item_id": ["FSST"], "_record_hash": ["FSST"]}
