"""The spark target's own path (loader/engines/spark_build.py): a local session, the loader's
raw tables handed over, `dbt build --target spark`. Every mart, seed and snapshot it writes is
the DuckDB build's, row for row, read back from the Parquet files Spark left (any Parquet
reader opens them), but for the build stamps: when it ran, and the fingerprints each engine
hashes its own way (README: Spark). The data: the embedded sample and real files beside it,
the WDC-PAVE dev offers with their extractions and the Flipkart listings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.python.project_copy import REPO, load_sample, run_loader

DATASETS = REPO.parent / "shared" / "datasets"
REAL_FILES = {
    "items wdc": DATASETS / "wdc_pave_dev.items.jsonl",
    "extractions wdc": DATASETS / "wdc_pave_dev.extractions.jsonl",
    "items flipkart": DATASETS / "flipkart_sample.items.jsonl",
}
COMPARED_SCHEMAS = ("taxonomy", "analytics", "seeds", "snapshots")
# fingerprints of inputs (DuckDB's hash, Spark's xxhash64; a build partition names one) and
# snapshot bookkeeping
STAMP_COLUMNS = {
    "vocabulary_hash",
    "raw_loaded_through",
    "pack_fingerprint",
    "build_partition",
    "dbt_scd_id",
    "dbt_updated_at",
    "dbt_valid_from",
}
# when the build ran
BUILD_TIME_COLUMNS = {
    "changes": {"changed_at", "released_at"},
    "releases": {"released_at", "invocation_id"},
}

pytest.importorskip("pyspark", reason="the spark extra: make test installs it")


@pytest.fixture(scope="module")
def duckdb_build(tmp_path_factory, dbt) -> Path:
    """The sample and the real files loaded, as a user would, and built on DuckDB."""
    if not all(path.exists() for path in REAL_FILES.values()):
        pytest.skip(f"the real files are not in {DATASETS}")
    tmp = tmp_path_factory.mktemp("duckdb_build")
    database = tmp / "echo_roots.duckdb"
    load_sample(database)
    for name, path in REAL_FILES.items():
        # two Flipkart descriptions are longer than the loader takes: rejected, with the reason
        kind = name.split()[0]
        rate = ["--max-reject-rate", "0.01"]
        loaded = run_loader("load", kind, str(path), "--database", str(database), *rate)
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    built = dbt(["build"], database, tmp)
    assert built.returncode == 0, built.stdout[-5000:]
    return database


@pytest.fixture(scope="module")
def spark_build(duckdb_build, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """The same raw tables built again on Spark: every model, seed, snapshot, data test and
    unit test."""
    tmp = tmp_path_factory.mktemp("spark_build")
    env = {
        **os.environ,
        "ECHO_ROOTS_DB": str(duckdb_build),
        "ECHO_ROOTS_SPARK_DIR": str(tmp / "spark"),
        "DBT_PROFILES_DIR": str(REPO),
        "DO_NOT_TRACK": "1",
    }
    args = ["build", "--project-dir", str(REPO), "--target-path", str(tmp / "target")]
    result = subprocess.run(
        [sys.executable, "-m", "loader.engines.spark_build", *args, "--log-path", str(tmp)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, tmp / "spark"


def _tables(con, schema: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
        ).fetchall()
    ]


def _differences(con, schema: str, table: str, files: str) -> list[str]:
    """The compared columns whose values differ between the DuckDB table and the Parquet
    files (as multisets of rows: each engine orders rows its own way)."""
    columns = [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = ? and table_name = ? order by column_index",
            [schema, table],
        ).fetchall()
        if name not in STAMP_COLUMNS | BUILD_TIME_COLUMNS.get(table, set())
    ]

    def differ(listed: str) -> bool:
        duck = f'select {listed} from "{schema}"."{table}"'
        spark = f"select {listed} from read_parquet(?)"
        only_one = (
            f"select count(*) from "
            f"(({duck} except all {spark}) union all ({spark} except all {duck}))"
        )
        return con.execute(only_one, [files, files]).fetchone()[0] > 0

    if not differ(", ".join(f'"{c}"' for c in columns)):
        return []
    return [c for c in columns if differ(f'"{c}"')] or ["(rows)"]


def test_spark_builds_every_node(duckdb_build, spark_build):
    result, _ = spark_build
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    con = duckdb.connect(str(duckdb_build), read_only=True)
    results = con.execute("select count(*) from raw.extraction_results").fetchone()[0]
    con.close()
    assert results > 1000  # the sample's and WDC-PAVE's
    assert f"raw tables handed to Spark: extraction_results {results}," in result.stdout
    done = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
    assert done and "ERROR=0" in done[-1] and "SKIP=0" in done[-1], done


@pytest.mark.parametrize("schema", COMPARED_SCHEMAS)
def test_spark_tables_are_the_duckdb_tables_row_for_row(duckdb_build, spark_build, schema):
    result, spark_dir = spark_build
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(duckdb_build), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    tables = _tables(con, schema)
    assert tables, f"no {schema} tables in the DuckDB build"
    on_spark = sorted(p.name for p in (spark_dir / "tables" / f"{schema}.db").iterdir())
    assert on_spark == tables, f"{schema}: the tables differ"
    differ = {}
    for table in tables:
        files = str(spark_dir / "tables" / f"{schema}.db" / table / "*.parquet")
        rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
        assert rows > 0, f"{schema}.{table}: compares no rows"
        if columns := _differences(con, schema, table, files):
            differ[table] = columns
    con.close()
    assert differ == {}, f"{schema}: Spark's tables differ from DuckDB's in {differ}"
