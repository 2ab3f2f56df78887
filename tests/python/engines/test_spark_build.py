"""The spark target's own path (loader/engines/spark_build.py): a local session, the loader's
raw tables handed over, `dbt build --target spark`. Every mart, seed and snapshot it writes is
the DuckDB build's, row for row, read back from the Parquet files Spark left (any Parquet
reader opens them), but for the build stamps: when it ran, and the fingerprints each engine
hashes its own way (README: Spark)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[3]
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
def spark_build(built_warehouse, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """The sample the DuckDB build read, built again on Spark: every model, seed, snapshot,
    data test and unit test."""
    tmp = tmp_path_factory.mktemp("spark_build")
    env = {
        **os.environ,
        "ECHO_ROOTS_DB": str(built_warehouse),
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


def test_spark_builds_every_node_of_the_sample(spark_build):
    result, _ = spark_build
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "raw tables handed to Spark: extraction_results 352" in result.stdout
    done = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
    assert done and "ERROR=0" in done[-1] and "SKIP=0" in done[-1], done


@pytest.mark.parametrize("schema", COMPARED_SCHEMAS)
def test_spark_tables_are_the_duckdb_tables_row_for_row(built_warehouse, spark_build, schema):
    result, spark_dir = spark_build
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(built_warehouse), read_only=True)
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
