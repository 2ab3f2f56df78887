"""The project on Apache Spark, in this process: a local Spark session set up as the project's
Spark SQL expects, the loader's raw tables handed to it as Parquet, then dbt with
`--target spark` (dbt-spark's session method takes the active session).

    python -m loader.engines.spark_build [dbt command and arguments]   # default: build

- the session: `local[*]`, tables under ECHO_ROOTS_SPARK_DIR (default `warehouse/spark/`) as
  plain Parquet, its catalog (a Derby metastore) beside them, string literals taken as
  written (the macros' patterns read as in DuckDB), UTC, and the functions of
  loader/engines/spark_functions.py registered;
- raw: each `raw.*` table of the DuckDB warehouse (ECHO_ROOTS_DB) copied to
  `<dir>/raw/<table>/` as Parquet and registered as `raw.<table>`, replacing the last copy.

The spark extra (`make install-spark`) and Java 17 are needed.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from loader.warehouse import LoaderError, connect, default_database

SPARK_DIR = "ECHO_ROOTS_SPARK_DIR"


def spark_dir() -> Path:
    return Path(os.environ.get(SPARK_DIR, "warehouse/spark")).resolve()


def session(folder: Path):
    """The local session the spark target builds in."""
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the registered functions' workers
    from pyspark.sql import SparkSession

    from loader.engines import spark_functions

    spark = (
        SparkSession.builder.master("local[*]")
        .appName("echo-roots")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.parser.escapedStringLiterals", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(folder / "tables"))
        .config(
            "spark.driver.extraJavaOptions",
            # (quoted: Spark splits these options as a shell would)
            f"-Dderby.system.home='{folder}' -Dderby.stream.error.file='{folder / 'derby.log'}'",
        )
        .enableHiveSupport()
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark_functions.register(spark)
    return spark


def hand_over_raw(spark, database: str, folder: Path) -> dict[str, int]:
    """Copy every raw.* table of the DuckDB warehouse to Parquet under `folder`/raw and register
    it with Spark as raw.<table>. Returns the rows of each."""
    con = connect(database, read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
            ).fetchall()
        ]
        spark.sql("create database if not exists raw")
        rows = {}
        for table in tables:
            target = folder / "raw" / table
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            name = table.replace('"', '""')
            con.sql(f'select * from raw."{name}"').write_parquet(str(target / "part-0.parquet"))
            spark_name = "raw.`" + table.replace("`", "``") + "`"
            spark.sql(f"drop table if exists {spark_name}")
            spark.catalog.createTable(spark_name, path=str(target), source="parquet")
            rows[table] = spark.table(spark_name).count()
    finally:
        con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv) or ["build"]
    try:
        from dbt.cli.main import dbtRunner
    except ImportError:
        print("the spark target needs the spark extra: make install-spark", file=sys.stderr)
        return 2
    database, folder = default_database(), spark_dir()
    if not Path(database).exists():
        print(f"{database}: no warehouse to take raw data from (make build)", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    try:
        spark = session(folder)
        rows = hand_over_raw(spark, database, folder)
    except LoaderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("raw tables handed to Spark: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    result = dbtRunner().invoke([*args, "--target", "spark"])
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
