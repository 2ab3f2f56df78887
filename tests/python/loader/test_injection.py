"""Names that come from data or options (CSV and Parquet column names, aliases, --set values)
reach SQL only quoted: a crafted name loads as a name, and nothing it spells executes (no file
written, no table created, no file read into raw)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import duckdb
import pytest

from loader import load_items
from loader.ingestion.aliases import InputMapping
from tests.python.query_helpers import query

ROW = {"item_id": "i-1", "title": "t", "source": "s", "language": "en"}


def _write_csv(path, header, row):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerow(row)


def _tables(database) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in query(
            database, "select table_schema, table_name from information_schema.tables"
        )
    }


def _everything(database) -> str:
    """Every row of every raw table, as text: what a crafted name could have read in."""
    rows = []
    for table in sorted(_tables(database)):
        rows += query(database, f"select * from {table}")
    return repr(rows)


def _crafted_headers(tmp_path) -> list[str]:
    written = tmp_path / "pwned.csv"
    return [
        # closes the identifier and the struct, then copies to a file
        f"x\" := 1)) as text from flat; copy (select 42) to '{written}'; --",
        # closes the identifier and creates a table
        'x" := 1)) as text from flat; create table main.pwned as select 1 as a; --',
        'a "quoted" column',
        "it's",
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_crafted_column_names_load_as_names_and_execute_nothing(tmp_path, fmt):
    headers = _crafted_headers(tmp_path)
    values = [f"v{n}" for n in range(len(headers))]
    source = tmp_path / f"items.{fmt}"
    if fmt == "csv":
        _write_csv(source, [*ROW, *headers], [*ROW.values(), *values])
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = {
            **{k: [v] for k, v in ROW.items()},
            **{h: [v] for h, v in zip(headers, values, strict=True)},
        }
        pq.write_table(pa.table(columns), source)
    database = tmp_path / "w.duckdb"
    report = load_items([source], database=database)
    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    assert not (tmp_path / "pwned.csv").exists()
    assert not any("pwned" in table for table in _tables(database))
    [(kept,)] = query(database, "select raw_attributes::varchar from raw.ingestion_items")
    con = duckdb.connect()
    assert con.execute("select ?::json", [kept]).fetchone()[0]  # valid JSON

    assert json.loads(kept) == dict(
        zip(headers, values, strict=True)
    )  # every crafted name kept, as data


def _secret(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a", encoding="utf-8")
    return secret


def _alias_attacks(secret) -> list[str]:
    return [
        # closes the identifier in repack_sql and reads a local file into the title
        f'nope" , "item_id") || (select content from read_text(\'{secret}\')) || coalesce(j."x',
        # closes the json_transform structure's string literal
        f"nope'|| (select content from read_text('{secret}')) ||'",
        'product "name"',
    ]


@pytest.mark.parametrize("attack", range(3))
def test_crafted_aliases_read_nothing(tmp_path, attack):
    secret = _secret(tmp_path)
    alias = _alias_attacks(secret)[attack]
    source = tmp_path / "items.jsonl"
    row = {k: v for k, v in ROW.items() if k != "title"} | {alias: "the title"}

    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    database = tmp_path / "w.duckdb"
    report = load_items([source], database=database, aliases=InputMapping({"title": [alias]}))
    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    assert query(database, "select title from raw.ingestion_items") == [("the title",)]
    assert "TOP-SECRET" not in _everything(database)


def test_crafted_csv_alias_and_set_value_through_the_cli(tmp_path):
    secret = _secret(tmp_path)
    alias = _alias_attacks(secret)[1]  # (--alias splits its names at commas)
    header = [alias, "item_id", "source"]
    source = tmp_path / "items.csv"
    _write_csv(source, header, ["the title", "i-1", "s"])
    database = tmp_path / "w.duckdb"
    language = "en'); create table main.pwned as select 1; --"
    run = subprocess.run(
        [sys.executable, "-m", "loader", "load", "items", str(source), "--database", str(database)]
        + ["--alias", f"title={alias}", "--set", f"language={language}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in run.stderr
    # the crafted language is no BCP-47 tag: rejected as data, exit 1 (rows rejected)
    assert run.returncode == 1, run.stderr
    assert query(database, "select rule, field from raw.rejected_rows") == [
        ("language_tag", "language")
    ]
    assert not any("pwned" in table for table in _tables(database))
    assert "TOP-SECRET" not in _everything(database)
