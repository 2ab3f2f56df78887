"""What a load says when it cannot load: the ledger does not mark a file whose every row was
rejected as loaded, and every error is a message that names the file and says what was
committed, with exit code 2 (never a traceback)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import duckdb
import pytest

from loader import LoaderError, load_items
from loader.ingestion import ledger
from loader.ingestion.aliases import InputMapping
from tests.python.query_helpers import query, raw_counts

ROW = {"item_id": "i-1", "title": "t", "source": "s", "language": "en"}


def cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loader", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_a_file_whose_every_row_was_rejected_is_not_marked_loaded(tmp_path):
    source, database = tmp_path / "shop.csv", tmp_path / "w.duckdb"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["uniq_id", "product_name", "source", "language"])
        writer.writerows([[f"u-{n}", f"name {n}", "s", "en"] for n in range(3)])
    first = load_items([source], database=database)  # without its aliases: no item_id
    assert (first.files[0].status, first.rows_loaded, first.rows_rejected) == ("rejected", 0, 3)
    assert "does not count as loaded" in first.files[0].message
    assert query(database, "select status from raw.load_batches") == [("rejected",)]
    mapping = InputMapping({"item_id": ["uniq_id"], "title": ["product_name"]})
    again = load_items([source], database=database, aliases=mapping)  # not skipped
    assert (again.files[0].status, again.rows_loaded) == ("loaded", 3)
    third = load_items([source], database=database, aliases=mapping)  # now it is
    assert third.files[0].status == "skipped"
    assert raw_counts(database) == (3, 3, 2)


def test_the_cli_says_the_rejected_file_can_be_loaded_again(tmp_path):
    source, database = tmp_path / "items.jsonl", tmp_path / "w.duckdb"
    source.write_text(json.dumps([ROW]) + "\n", encoding="utf-8")  # an array: wrong format
    run = cli("load", "items", source, "--database", database)
    assert run.returncode == 1  # rows rejected beyond --max-reject-rate 0
    assert "does not count as loaded" in run.stderr and "Traceback" not in run.stderr


def test_a_directory_says_it_is_one(tmp_path):
    run = cli("load", "items", tmp_path, "--database", tmp_path / "w.duckdb")
    assert run.returncode == 2
    assert f"{tmp_path}: is a directory" in run.stderr and "Traceback" not in run.stderr


def test_out_of_memory_is_a_message_and_exit_2_with_nothing_committed(tmp_path):
    source, database = tmp_path / "items.jsonl", tmp_path / "w.duckdb"
    rows = [json.dumps({**ROW, "item_id": f"i-{n}", "title": "t" * 900}) for n in range(20_000)]
    source.write_text("\n".join(rows) + "\nnot json\n", encoding="utf-8")
    env = {**os.environ, "ECHO_ROOTS_MEMORY_LIMIT": "2MB"}
    run = cli("load", "items", source, "--database", database, env=env)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"{source}: out of memory" in run.stderr
    assert "ECHO_ROOTS_MEMORY_LIMIT" in run.stderr and "nothing was committed" in run.stderr
    assert query(database, "select count(*) from raw.load_batches") == [(0,)]


def test_a_failure_while_numbering_says_the_rows_are_committed(tmp_path, monkeypatch):
    source, database = tmp_path / "items.jsonl", tmp_path / "w.duckdb"
    source.write_text(
        "\n".join(json.dumps({**ROW, "item_id": f"i-{n}"}) for n in range(1, 4)) + "\n",
        encoding="utf-8",
    )

    def disk_full(con, kind, load_id):
        con.execute("begin transaction")
        raise duckdb.IOException("could not write: No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(ledger, "number_fast_rows", disk_full)
        with pytest.raises(LoaderError) as stopped:
            load_items([source], database=database)
    message = str(stopped.value)
    assert "its 3 rows are committed" in message and "out of disk space" in message
    assert "next load finishes the numbering" in message
    assert query(database, "select status from raw.load_batches") == [("numbering",)]
    again = load_items([source], database=database)  # numbers first, then skips the file
    assert again.files[0].status == "skipped"
    assert query(database, "select status from raw.load_batches") == [("loaded",)]
    numbers = query(database, "select _line_number from raw.ingestion_items order by item_id")
    assert numbers == [(1,), (2,), (3,)]


def test_help_and_readme_give_the_same_exit_codes():
    from pathlib import Path

    from loader.cli.main import EXIT_CODES

    readme = " ".join((Path(__file__).resolve().parents[3] / "README.md").read_text().split())
    codes = " ".join(EXIT_CODES.split()).removeprefix("exit codes: ")
    for code in ("1", "2"):
        codes = codes.replace(f" {code}  ", f" - {code} ").replace(f" {code} ", f" - {code} ")
    assert f"- {codes}" in readme
    for argv in (["--help"], ["load", "items", "--help"]):
        run = cli(*argv)
        assert " ".join(EXIT_CODES.split()) in " ".join(run.stdout.split())


def test_a_memory_limit_duckdb_cannot_read_is_a_message(tmp_path):
    source = tmp_path / "items.jsonl"
    source.write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    env = {**os.environ, "ECHO_ROOTS_MEMORY_LIMIT": "lots"}
    run = cli("load", "items", source, "--database", tmp_path / "w.duckdb", env=env)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "ECHO_ROOTS_MEMORY_LIMIT='lots' is not a size" in run.stderr
