"""Load guarantees: nothing lost, idempotent by file hash, raw schema ownership, one writer,
and the CLI's exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest

from loader import LoaderError, load_items, status
from loader.cli.main import main_legacy as main
from loader.ingestion.migrations import latest_known_version
from loader.ingestion.readers import scan_file, scan_file_in_background
from tests.python.query_helpers import raw_counts

ITEM = {
    "item_id": "a-1",
    "title": "Tatung 大同電鍋 10人份",
    "source": "taipei_market",
    "language": "zh-TW",
    "raw_attributes": {"顏色": "紅色", "容量": "10人份"},
}


def write_items(path, count, *, bad=0):
    rows = [json.dumps({**ITEM, "item_id": f"a-{i}"}, ensure_ascii=False) for i in range(count)]
    rows += ['{"item_id": "broken"'] * bad
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_ledger_adds_up_per_file(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_items(first, 5, bad=2)
    write_items(second, 3)
    report = load_items([first, second], database=tmp_path / "w.duckdb")
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in report.files] == [
        (7, 5, 2),
        (3, 3, 0),
    ]
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    ledger = con.execute(
        "select file_path, rows_read, rows_loaded, rows_rejected, status, raw_schema_version, "
        "(select count(*) from raw.ingestion_items i where i._load_id = b.load_id), "
        "(select count(*) from raw.rejected_rows r where r.load_id = b.load_id) "
        "from raw.load_batches b order by file_path"
    ).fetchall()
    con.close()
    assert ledger == [
        (str(first), 7, 5, 2, "loaded", latest_known_version(), 5, 2),
        (str(second), 3, 3, 0, "loaded", latest_known_version(), 3, 0),
    ]


def test_same_file_twice_is_skipped_unless_forced(tmp_path):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 4)
    load_items([source], database=database)
    again = load_items([source], database=database)
    assert again.files[0].status == "skipped"
    assert "already loaded" in again.files[0].message
    assert raw_counts(database) == (4, 0, 1)
    forced = load_items([source], database=database, force=True)
    assert forced.files[0].status == "loaded"
    assert raw_counts(database) == (8, 0, 2)


def test_same_content_under_another_name_is_skipped(tmp_path):
    """A new name is loaded while it is hashed; its sha256 still decides before commit."""
    source, copy, database = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "w.duckdb"
    write_items(source, 4)
    copy.write_bytes(source.read_bytes())
    first = load_items([source], database=database)
    again = load_items([copy], database=database)
    assert again.files[0].status == "skipped"
    assert again.files[0].load_id == first.files[0].load_id
    assert again.files[0].sha256 == first.files[0].sha256
    assert raw_counts(database) == (4, 0, 1)
    forced = load_items([copy], database=database, force=True)
    assert forced.files[0].status == "loaded"
    assert raw_counts(database) == (8, 0, 2)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities: Linux")
def test_the_background_scan_yields_the_cpu_and_agrees(tmp_path):
    """The scan beside the fast path runs at the lowest priority on its own thread only, and
    finds what the plain scan finds (sha256 and lines, the last one without its LF)."""
    source = tmp_path / "a.jsonl"
    write_items(source, 3)
    source.write_bytes(source.read_bytes().rstrip(b"\n"))

    def priority():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = priority()
    with ThreadPoolExecutor(max_workers=1) as pool:  # one worker: both tasks on one thread
        background = pool.submit(scan_file_in_background, source).result()
        worker_priority = pool.submit(priority).result()
    assert background == scan_file(source)
    assert background.lines == 3
    assert background.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert worker_priority == 19
    assert priority() == before  # the caller's thread is left as it was


def test_a_refused_priority_costs_nothing_but_speed(tmp_path, monkeypatch):
    def refuse(*_args):
        raise PermissionError("setpriority: not permitted here")

    monkeypatch.setattr(os, "setpriority", refuse)
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 3)
    report = load_items([source], database=database)
    assert (report.files[0].status, report.rows_loaded) == ("loaded", 3)
    assert report.files[0].sha256 == hashlib.sha256(source.read_bytes()).hexdigest()


def test_record_hash_ignores_load_time(tmp_path):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 2)
    load_items([source], database=database)
    load_items([source], database=database, force=True)
    con = duckdb.connect(str(database), read_only=True)
    per_item = con.execute(
        "select item_id, count(distinct _record_hash), count(distinct _load_id) "
        "from raw.ingestion_items group by item_id order by item_id"
    ).fetchall()
    con.close()
    assert per_item == [("a-0", 1, 2), ("a-1", 1, 2)]


def test_record_hash_is_pinned_and_ignores_formatting(tmp_path):
    """_record_hash is DuckDB's hash() of the record's fields (HASHED in
    loader/ingestion/statements.py): the value is pinned so that a DuckDB upgrade that
    changes hash() is noticed here, and key order, spacing and escapes do not change it, on
    either path."""
    fast, careful = tmp_path / "fast.jsonl", tmp_path / "careful.jsonl"
    fast.write_text(json.dumps(ITEM, ensure_ascii=False) + "\n", encoding="utf-8")
    reordered = json.dumps(dict(reversed(list(ITEM.items()))), separators=(",", ":"))
    careful.write_text(f"\n{reordered}\nnot json\n", encoding="utf-8")
    hashes = []
    for source in (fast, careful):
        database = tmp_path / f"{source.stem}.duckdb"
        load_items([source], database=database)
        con = duckdb.connect(str(database), read_only=True)
        hashes += con.execute("select _record_hash from raw.ingestion_items").fetchall()
        con.close()
    assert hashes == [("129ac80f415958d1",), ("129ac80f415958d1",)]


def test_refuses_a_newer_raw_schema(tmp_path):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 1)
    load_items([source], database=database)
    con = duckdb.connect(str(database))
    con.execute("insert into raw.schema_migrations values (999, 'from_the_future', now())")
    con.close()
    with pytest.raises(LoaderError, match="raw schema is at version 999"):
        load_items([source], database=database, force=True)
    assert raw_counts(database) == (1, 0, 1)


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    code = main(["items", str(tmp_path / "nope.jsonl"), "--database", str(tmp_path / "w.duckdb")])
    assert code == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err


def test_exit_code_follows_max_reject_rate(tmp_path, capsys):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 9, bad=1)
    assert main(["items", str(source), "--database", str(database)]) == 1
    err = capsys.readouterr().err
    assert f"{source}:10: -: [json_syntax] the line is not valid JSON" in err
    assert "1 of 10 items rows rejected (10.00%)" in err
    code = main(
        ["items", str(source), "--database", str(database), "--force", "--max-reject-rate", "0.1"]
    )
    assert code == 0


def test_json_report_and_status(tmp_path, capsys):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 3, bad=1)
    main(["items", str(source), "--database", str(database), "--json"])
    [report] = json.loads(capsys.readouterr().out)
    assert (report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == (4, 3, 1)
    assert report["files"][0]["rejects_by_rule"] == {"json_syntax": 1}
    health = status(database)
    assert health["connection"] == "ok"
    assert health["raw_schema_version"] == latest_known_version()
    assert health["tables"]["ingestion_items"] == 3
    assert health["rejects_by_rule"] == {"items:json_syntax": 1}
    assert health["recent_loads"][0]["rows_loaded"] == 3


HOLD_LOCK = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold(database, seconds):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(database), str(seconds)], stdout=subprocess.PIPE
    )
    assert holder.stdout.readline().strip() == b"locked"
    return holder


def test_another_writer_fails_fast_with_the_rule(tmp_path):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 1)
    holder = _hold(database, 30)
    try:
        started = time.monotonic()
        with pytest.raises(LoaderError) as error:
            load_items([source], database=database)
        assert time.monotonic() - started < 5
        message = str(error.value)
        assert "another process holds this warehouse file" in message
        assert f"PID {holder.pid}" in message
        assert "--wait" in message
    finally:
        holder.kill()
        holder.wait()


def test_wait_for_the_other_writer(tmp_path):
    source, database = tmp_path / "a.jsonl", tmp_path / "w.duckdb"
    write_items(source, 2)
    holder = _hold(database, 1.5)
    try:
        report = load_items([source], database=database, wait=20)
    finally:
        holder.wait()
    assert report.rows_loaded == 2


def test_clean_and_mixed_files_store_records_alike(tmp_path):
    """A clean file takes DuckDB's reader straight into raw.*; a file with a bad line is
    validated line by line. Both must store the same record the same way."""
    record = {
        "item_id": "same",
        "title": 'Apple iPhone 15 "Pro"\tMax',
        "description": None,
        "raw_attributes": {"price": 1199.99, "color": "Natural Titanium", "tags": ["a", "b"]},
        "source": "ecommerce-api",
        "language": "en",
        "metadata": {"url": "https://example.com/p?id=1&x=\\u00e9"},
        "ingested_at": "2025-09-07T09:00:00+08:00",
    }
    clean, mixed = tmp_path / "clean.jsonl", tmp_path / "mixed.jsonl"
    line = json.dumps(record)
    clean.write_text(f"{line}\n", encoding="utf-8")
    mixed.write_text(f"{line}\nnot json\n", encoding="utf-8")
    stored = []
    for source in (clean, mixed):
        database = tmp_path / f"{source.stem}.duckdb"
        load_items([source], database=database)
        con = duckdb.connect(str(database), read_only=True)
        stored.append(
            con.execute(
                "select item_id, title, description, raw_attributes::varchar, source, language, "
                "metadata::varchar, ingested_at, _line_number, _record_hash "
                "from raw.ingestion_items"
            ).fetchall()
        )
        con.close()
    assert stored[0] == stored[1]
    assert stored[0][0][7].isoformat() == "2025-09-07T01:00:00+00:00"
