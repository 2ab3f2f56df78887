"""A corpus of bad and awkward input: the loader never crashes, keeps every row it cannot
load with a reason, and loads what it can verbatim. Plus a real process kill mid-load."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys

import duckdb

from loader import load_items
from tests.python.project_copy import REPO
from tests.python.query_helpers import query, raw_counts

GOOD = {"item_id": "ok", "title": "t", "source": "s", "language": "en"}


def test_byte_order_mark_and_windows_line_endings(tmp_path):
    source = tmp_path / "bom.jsonl"
    lines = [json.dumps({**GOOD, "item_id": f"b-{n}"}) for n in range(3)]
    source.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_loaded, report.rows_rejected) == (3, 0)


def test_empty_file(tmp_path):
    source = tmp_path / "empty.jsonl"
    source.write_bytes(b"")
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (0, 0, 0)
    assert raw_counts(tmp_path / "w.duckdb") == (0, 0, 1)  # the ledger still records the file


def test_a_ten_megabyte_line(tmp_path):
    source = tmp_path / "big.jsonl"
    huge = {**GOOD, "item_id": "big", "metadata": {"blob": "x" * (10 << 20)}}
    too_long = {**GOOD, "item_id": "long", "description": "d" * (10 << 20)}
    source.write_text(
        "\n".join([json.dumps(GOOD), json.dumps(huge), json.dumps(too_long)]) + "\n",
        encoding="utf-8",
    )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    blob = con.execute(
        "select length(metadata->>'$.blob') from raw.ingestion_items where item_id = 'big'"
    ).fetchone()
    reject = con.execute(
        "select line_number, rule, length(payload) from raw.rejected_rows"
    ).fetchone()
    con.close()
    assert blob == (10 << 20,)
    assert reject[:2] == (3, "length") and reject[2] > 10 << 20


def test_duplicate_ids_in_one_file_all_land(tmp_path):
    source = tmp_path / "dups.jsonl"
    source.write_text(
        "\n".join(json.dumps({**GOOD, "item_id": "same", "title": t}) for t in "abc") + "\n",
        encoding="utf-8",
    )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert report.rows_loaded == 3  # raw keeps every delivery; staging keeps the latest line
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    lines = con.execute(
        "select _line_number, title from raw.ingestion_items order by _line_number"
    ).fetchall()
    con.close()
    assert lines == [(1, "a"), (2, "b"), (3, "c")]


def test_wrong_types_and_nulls_everywhere(tmp_path):
    source = tmp_path / "types.jsonl"
    cases = [
        ({**GOOD, "title": None}, "required"),
        ({**GOOD, "title": ["a"]}, "type"),
        ({**GOOD, "source": {"name": "s"}}, "type"),
        ({**GOOD, "language": 7}, "language_tag"),
        ({**GOOD, "raw_attributes": [1, 2]}, "type"),
        ({**GOOD, "ingested_at": 1727769600}, "type"),
        ("null", "not_an_object"),
        ("42", "not_an_object"),
        ('"just a string"', "not_an_object"),
        ("{'single': 'quotes'}", "json_syntax"),
        ('{item_id: "unquoted key"}', "json_syntax"),
    ]
    source.write_text(
        "\n".join(c if isinstance(c, str) else json.dumps(c) for c, _ in cases) + "\n",
        encoding="utf-8",
    )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert report.rows_rejected == len(cases)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    got = con.execute("select rule from raw.rejected_rows order by line_number").fetchall()
    con.close()
    assert [r for (r,) in got] == [rule for _, rule in cases]


# Loads a file with one loader step replaced by a stall, so that the kill lands exactly
# there whatever the machine's speed. On reaching the step the child says so on the pipe
# whose write end it was given (argv[4]) and blocks reading its standard input, which the
# parent never writes: it is killed there, or exits when the parent goes away.
STALL_AND_LOAD = """
import os, sys
from loader import load_items
from loader.ingestion import ledger

def stall(*args, **kwargs):
    os.write(int(sys.argv[4]), b"reached " + sys.argv[3].encode() + b"\\n")
    sys.stdin.read()
    os._exit(3)

setattr(ledger, sys.argv[3], stall)
load_items([sys.argv[1]], database=sys.argv[2])
"""
# How long the parent waits for the child to reach the step: not a timing the test asserts,
# only a bound that turns a hung child into a failure (a normal run takes seconds).
REACH_DEADLINE = 900


def kill_loader_at(step: str, source, database) -> None:
    """Load `source` into `database` (raw schema created first with a one-line file), and
    SIGKILL the loader when it reaches `step`, a function of loader.ingestion.ledger."""
    small = source.parent / "one.jsonl"
    small.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    load_items([small], database=database)
    reached, reached_writer = os.pipe()
    output = source.parent / f"killed-at-{step}.log"
    with output.open("wb") as log:
        victim = subprocess.Popen(
            [sys.executable, "-c", STALL_AND_LOAD, str(source), str(database), step,
             str(reached_writer)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            pass_fds=(reached_writer,),
        )  # fmt: skip
    os.close(reached_writer)  # the child's copy is then the only one: EOF when it exits
    try:
        # blocks until the child writes its line, or exits (EOF) without reaching the step
        ready, _, _ = select.select([reached], [], [], REACH_DEADLINE)
        said = os.read(reached, 256) if ready else b""
        if ready and not said:  # end of file: the child exited without reaching the step
            victim.wait()
        assert said == f"reached {step}\n".encode(), (
            f"the loader did not reach {step} "
            + (f"(exit code {victim.returncode})" if ready else f"in {REACH_DEADLINE} s")
            + f"; it said {said!r}; its output:\n{output.read_text(errors='replace')[-3000:]}"
        )
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait() == -signal.SIGKILL  # died of the kill, at the step
    finally:
        os.close(reached)
        if victim.poll() is None:
            victim.kill()
        victim.wait()
        victim.stdin.close()


def test_killed_mid_file_leaves_nothing_and_the_rerun_completes(tmp_path):
    source = tmp_path / "many.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for n in range(400_000):
            out.write(json.dumps({**GOOD, "item_id": f"k-{n}", "title": "t" * 200}) + "\n")
    database = tmp_path / "w.duckdb"
    # inside the file's transaction: every row is in, the ledger row about to be written
    kill_loader_at("record_batch", source, database)
    assert raw_counts(database) == (1, 0, 1)  # only the small file: no partial batch
    report = load_items([source], database=database)
    assert report.rows_loaded == 400_000
    assert raw_counts(database) == (400_001, 0, 2)


def test_killed_before_numbering_keeps_the_batch_and_the_next_load_numbers_it(tmp_path):
    source = tmp_path / "many.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for n in range(1, 200_001):
            out.write(json.dumps({**GOOD, "item_id": f"k-{n}"}) + "\n")
    database = tmp_path / "w.duckdb"
    # between the two transactions: rows, rejects and ledger committed, lines not numbered
    kill_loader_at("number_fast_rows", source, database)
    assert raw_counts(database) == (200_001, 0, 2)
    numbering = "select status, count(*) from raw.load_batches group by all order by all"
    assert query(database, numbering) == [("loaded", 1), ("numbering", 1)]
    # any later load finishes the numbering first (this one loads nothing new)
    report = load_items([source], database=database)
    assert report.files[0].status == "skipped"
    assert query(database, numbering) == [("loaded", 2)]
    wrong = query(
        database,
        "select count(*) from raw.ingestion_items where item_id like 'k-%' "
        "and _line_number <> cast(split_part(item_id, '-', 2) as bigint)",
    )
    assert wrong == [(0,)]


def test_line_numbers_are_exact_on_a_large_clean_file(tmp_path):
    # a clean file takes DuckDB's parallel reader; its rows must still know their lines
    source = tmp_path / "clean.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for n in range(1, 300_001):
            out.write(
                json.dumps({**GOOD, "item_id": f"line-{n}", "title": "t" * (1 + n % 97)}) + "\n"
            )
    report = load_items([source], database=tmp_path / "w.duckdb")
    assert (report.rows_read, report.rows_loaded) == (300_000, 300_000)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    wrong = con.execute(
        "select count(*) from raw.ingestion_items "
        "where _line_number <> cast(split_part(item_id, '-', 2) as bigint)"
    ).fetchone()[0]
    con.close()
    assert wrong == 0
