"""The spark target's own path (loader/engines/spark_build.py): a local session, the loader's
raw tables handed over, dbt with --target spark. The seeds it writes are the DuckDB build's,
row for row, read back from the Parquet files Spark left (any Parquet reader opens them)."""

from __future__ import annotations

import datetime
import decimal
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[3]

pytest.importorskip("pyspark", reason="the spark extra: make test installs it")


def _comparable(value):
    """A value as both engines' rows can be compared: instants in UTC, numbers as floats."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _rows(con, sql: str, params=()) -> list[tuple]:
    rows = con.execute(sql, list(params)).fetchall()
    return sorted((tuple(_comparable(v) for v in row) for row in rows), key=repr)


def test_seeds_on_spark_are_the_duckdb_seeds_row_for_row(built_warehouse, tmp_path):
    spark_dir = tmp_path / "spark"
    env = {
        **os.environ,
        "ECHO_ROOTS_DB": str(built_warehouse),
        "ECHO_ROOTS_SPARK_DIR": str(spark_dir),
        "DBT_PROFILES_DIR": str(REPO),
        "DO_NOT_TRACK": "1",
    }
    args = ["seed", "--project-dir", str(REPO), "--target-path", str(tmp_path / "target")]
    result = subprocess.run(
        [sys.executable, "-m", "loader.engines.spark_build", *args, "--log-path", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "raw tables handed to Spark: extraction_results 352" in result.stdout

    con = duckdb.connect(str(built_warehouse), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    seeds = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'seeds' order by 1"
        ).fetchall()
    ]
    assert len(seeds) >= 13
    for seed in seeds:
        files = spark_dir / "tables" / "seeds.db" / seed
        assert any(files.glob("*.parquet")), f"{seed}: no Parquet files in {files}"
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() "
                "where schema_name = 'seeds' and table_name = ? order by column_index",
                [seed],
            ).fetchall()
        ]
        listed = ", ".join(f'"{c}"' for c in columns)
        on_spark = _rows(con, f"select {listed} from read_parquet(?)", [str(files / "*.parquet")])
        on_duckdb = _rows(con, f'select {listed} from seeds."{seed}"')
        assert on_spark == on_duckdb, f"{seed}: the Spark seed differs"
    con.close()
