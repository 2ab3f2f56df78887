"""A corpus of broken and awkward inputs, one or more per finding of issue 13: for every file,
rows read = rows loaded + rows rejected (and the warehouse holds exactly those), or the load
stops with a message naming the file and nothing of it is committed. Never a traceback; a
subset runs the CLI in a subprocess and checks the exit code the README documents (0 all
loaded, 1 rows rejected, 2 stopped)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loader import LoaderError
from loader.ingestion.load import load_files
from tests.python.query_helpers import query

ITEM = {"item_id": "i-1", "title": "t", "source": "s", "language": "en"}
ATTRIBUTE = {"name": "color", "value": "black", "evidence": "Black", "confidence": 0.9}
TERM = {"term": "oled", "context": "OLED", "confidence": 0.8, "frequency": 1}
EXTRACTION = {
    "item_id": "i-1",
    "attributes": [ATTRIBUTE],
    "terms": [TERM],
    "metadata": {"model": "m", "run_id": "r"},
}


@dataclass
class Case:
    name: str
    kind: str
    suffix: str
    content: bytes | object  # bytes, or a pyarrow table for Parquet
    rules: dict[str, int] = field(default_factory=dict)  # expected rejects by rule
    loaded: int | None = None
    error: str | None = None  # a LoaderError saying this
    reject_lines: list[int] | None = None
    cli: bool = False
    options: list[str] = field(default_factory=list)


def lines(*rows) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n"
        for r in rows
    )


def item(**changes) -> dict:
    return {**ITEM, **changes}


def extraction(**changes) -> dict:
    return {**EXTRACTION, **changes}


def with_attribute(**changes) -> dict:
    return extraction(attributes=[{**ATTRIBUTE, **changes}])


def with_term(**changes) -> dict:
    return extraction(terms=[{**TERM, **changes}])


def with_metadata(**changes) -> dict:
    return extraction(metadata={"model": "m", "run_id": "r", **changes})


def csv_bytes(header, *rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


BAD = b'{"item_id": "broken", "title": '  # a truncated line: sends a file to the careful path
CSV_HEADER = ["item_id", "title", "source", "language"]

CASES = [
    # 6: a bad value is a reject with a code that names it, never an abort
    Case(
        "confidence true",
        "extractions",
        "jsonl",
        lines(with_attribute(confidence=True)),
        {"type": 1},
        cli=True,
    ),
    Case(
        "confidence high",
        "extractions",
        "jsonl",
        lines(with_attribute(confidence="high")),
        {"type": 1},
    ),
    Case(
        "confidence string number",
        "extractions",
        "jsonl",
        lines(with_attribute(confidence="0.5")),
        {"type": 1},
    ),
    Case(
        "confidence object",
        "extractions",
        "jsonl",
        lines(with_attribute(confidence={"p": 1})),
        {"type": 1},
    ),
    Case(
        "confidence above 1",
        "extractions",
        "jsonl",
        lines(with_attribute(confidence=1.5)),
        {"range": 1},
    ),
    Case(
        "term confidence null",
        "extractions",
        "jsonl",
        lines(with_term(confidence=None)),
        {"required": 1},
    ),
    Case(
        "frequency true",
        "extractions",
        "jsonl",
        lines(with_term(frequency=True)),
        {"type": 1},
        cli=True,
    ),
    Case("frequency two", "extractions", "jsonl", lines(with_term(frequency="two")), {"type": 1}),
    Case("frequency 1e30", "extractions", "jsonl", lines(with_term(frequency=1e30)), {"type": 1}),
    Case(
        "frequency 2**63", "extractions", "jsonl", lines(with_term(frequency=2**63)), {"range": 1}
    ),
    Case("frequency zero", "extractions", "jsonl", lines(with_term(frequency=0)), {"range": 1}),
    Case(
        "processing_time_ms abc",
        "extractions",
        "jsonl",
        lines(with_metadata(processing_time_ms="abc")),
        {"type": 1},
        cli=True,
    ),
    Case(
        "processing_time_ms 1e30",
        "extractions",
        "jsonl",
        lines(with_metadata(processing_time_ms=1e30)),
        {"range": 1},
    ),
    Case(
        "processing_time_ms negative",
        "extractions",
        "jsonl",
        lines(with_metadata(processing_time_ms=-5)),
        {"range": 1},
    ),
    Case(
        "attributes an object",
        "extractions",
        "jsonl",
        lines(extraction(attributes={"a": 1})),
        {"type": 1},
    ),
    Case(
        "metadata missing",
        "extractions",
        "jsonl",
        lines({k: v for k, v in EXTRACTION.items() if k != "metadata"}),
        {"required": 1},
    ),
    Case("title a number", "items", "jsonl", lines(item(title=42), item()), {"type": 1}, loaded=1),
    Case(
        "ingested_at yesterday",
        "items",
        "jsonl",
        lines(item(ingested_at="yesterday")),
        {"timestamp": 1},
    ),
    Case("raw_attributes a list", "items", "jsonl", lines(item(raw_attributes=[1])), {"type": 1}),
    Case("language a number", "items", "jsonl", lines(item(language=7)), {"language_tag": 1}),
    Case("item_id blank", "items", "jsonl", lines(item(item_id=" \u3000")), {"blank": 1}),
    # 1: several values for one attribute name load, an exact repeat too
    Case(
        "multi-valued attribute",
        "extractions",
        "jsonl",
        lines(
            extraction(
                attributes=[
                    {**ATTRIBUTE, "name": "Interface", "value": "SAS"},
                    {**ATTRIBUTE, "name": "Interface", "value": "Serial Attached SCSI (SAS)"},
                ]
            )
        ),
        loaded=1,
        cli=True,
    ),
    Case(
        "exact repeat",
        "extractions",
        "jsonl",
        lines(extraction(attributes=[ATTRIBUTE, ATTRIBUTE])),
        loaded=1,
    ),
    Case(
        "multi-valued, careful path",
        "extractions",
        "jsonl",
        lines(extraction(attributes=[ATTRIBUTE, {**ATTRIBUTE, "value": "grey"}]), BAD),
        {"json_syntax": 1},
        loaded=1,
    ),
    # 2 and 7: long lines, CR, byte order marks, bytes that are not UTF-8, on the careful path
    Case(
        "17 MB line loads beside a bad one",
        "items",
        "jsonl",
        lines(item(metadata={"blob": "x" * (17 << 20)}), BAD),
        {"json_syntax": 1},
        loaded=1,
        reject_lines=[2],
    ),
    Case(
        "17 MB description rejected",
        "items",
        "jsonl",
        lines(item(description="d" * (17 << 20)), item()),
        {"length": 1},
        loaded=1,
        cli=True,
    ),
    Case(
        "bare CR inside a record",
        "items",
        "jsonl",
        b'{"item_id": "a",\r "title": "t",\r"source": "s", "language": "en"}\n'
        + BAD
        + b"\n"
        + lines(item())
        + BAD
        + b"\n",
        {"json_syntax": 2},
        loaded=2,
        reject_lines=[2, 4],
    ),
    Case(
        "CR LF endings",
        "items",
        "jsonl",
        lines(item()).replace(b"\n", b"\r\n")
        + BAD
        + b"\r\n"
        + lines(item()).replace(b"\n", b"\r\n"),
        {"json_syntax": 1},
        loaded=2,
        reject_lines=[2],
    ),
    Case(
        "byte order mark",
        "items",
        "jsonl",
        b"\xef\xbb\xbf" + lines(item(), BAD),
        {"json_syntax": 1},
        loaded=1,
    ),
    Case(
        "latin-1 line",
        "items",
        "jsonl",
        lines(item(), item(title="caf\u00e9")).replace(b"caf\xc3\xa9", b"caf\xe9"),
        {"encoding": 1},
        loaded=1,
        reject_lines=[2],
    ),
    Case(
        "raw unit separator",
        "items",
        "jsonl",
        lines(item(title="a\x1fb")).replace(b"\\u001f", b"\x1f"),
        {"json_syntax": 1},
    ),
    Case(
        "not an object",
        "items",
        "jsonl",
        lines([1, 2], None, "text", item()),
        {"not_an_object": 3},
        loaded=1,
    ),
    Case(
        "no final newline",
        "items",
        "jsonl",
        lines(item()) + BAD,
        {"json_syntax": 1},
        loaded=1,
        reject_lines=[2],
    ),
    Case("blank lines only", "items", "jsonl", b"\n \n\t\n", loaded=0),
    Case("empty file", "items", "jsonl", b"", loaded=0),
    Case(
        "17 MB line in a clean file",
        "items",
        "jsonl",
        lines(item(metadata={"blob": "x" * (17 << 20)}), item()),
        loaded=2,
    ),
    # JSON documents
    Case(
        "array with non-objects",
        "items",
        "json",
        json.dumps([item(), 1, None]).encode(),
        {"not_an_object": 2},
        loaded=1,
        reject_lines=[2, 3],
    ),
    Case(
        "truncated array",
        "items",
        "json",
        json.dumps([item()]).encode()[:-3],
        {"json_syntax": 1},
        cli=True,
    ),
    Case("single object", "items", "json", json.dumps(item()).encode(), loaded=1),
    Case(
        "latin-1 array",
        "items",
        "json",
        json.dumps([item(title="caf\u00e9")], ensure_ascii=False).encode("latin-1"),
        {"encoding": 1},
    ),
    Case("empty array", "items", "json", b"[]", loaded=0),
    Case(
        "17 MB array element",
        "items",
        "json",
        json.dumps([item(metadata={"blob": "x" * (17 << 20)}), item(title=None)]).encode(),
        {"required": 1},
        loaded=1,
        reject_lines=[2],
    ),
    # CSV
    Case(
        "latin-1 CSV",
        "items",
        "csv",
        csv_bytes(
            CSV_HEADER, ["c-1", "t", "s", "en"], ["c-2", "caf\u00e9", "s", "en"], encoding="latin-1"
        ),
        error="line 3: not UTF-8",
        cli=True,
    ),
    Case(
        "duplicate header",
        "items",
        "csv",
        csv_bytes([*CSV_HEADER, "title"], ["c-1", "t", "s", "en", "u"]),
        error="names column 'title' twice",
        cli=True,
    ),
    Case(
        "unnamed column",
        "items",
        "csv",
        csv_bytes([*CSV_HEADER, ""], ["c-1", "t", "s", "en", "u"]),
        error="column 5 of the header has no name",
    ),
    Case(
        "short row, physical line",
        "items",
        "csv",
        csv_bytes(
            CSV_HEADER,
            ["c-1", "multi\nline\ntitle", "s", "en"],
            ["c-2", "t"],
            ["c-3", "t", "s", "en"],
        ),
        {"format": 1},
        loaded=2,
        reject_lines=[5],
        cli=True,
    ),
    Case(
        "record after quoted newlines",
        "items",
        "csv",
        csv_bytes(CSV_HEADER, ["c-1", "a\nb\nc", "s", "en"], ["c-2", "t" * 1001, "s", "en"]),
        {"length": 1},
        loaded=1,
        reject_lines=[5],
    ),
    Case(
        "quote in a header",
        "items",
        "csv",
        csv_bytes([*CSV_HEADER, 'shelf "B"'], ["c-1", "t", "s", "en", "2"]),
        loaded=1,
    ),
    Case("header only", "items", "csv", csv_bytes(CSV_HEADER), loaded=0),
    Case(
        "JSON column not JSON",
        "items",
        "csv",
        csv_bytes([*CSV_HEADER, "raw_attributes"], ["c-1", "t", "s", "en", "{oops"]),
        {"type": 1},
    ),
    Case(
        "17 MB CSV field",
        "items",
        "csv",
        csv_bytes([*CSV_HEADER, "notes"], ["c-1", "t", "s", "en", "n" * (17 << 20)], ["c-2"]),
        {"format": 1},
        loaded=1,
        reject_lines=[3],
    ),
    # Parquet
    Case(
        "parquet confidence as text",
        "extractions",
        "parquet",
        pa.table(
            {
                "item_id": ["p-1"],
                "attributes": [[{**ATTRIBUTE, "confidence": "high"}]],
                "metadata": [{"model": "m", "run_id": "r"}],
            }
        ),
        {"type": 1},
    ),
    Case(
        "not a parquet file",
        "items",
        "parquet",
        b"PAR1 but not really",
        error="not a readable Parquet file",
    ),
    # 9: what a path is, and a file whose every row is rejected
    Case(
        "unknown extension", "items", "txt", lines(item()), error="cannot tell the format", cli=True
    ),
    Case(
        "array read as JSON Lines",
        "items",
        "jsonl",
        json.dumps([item()] * 3).encode(),
        {"not_an_object": 1},
        loaded=0,
        options=["--format", "jsonl"],
        cli=True,
    ),
]


def _write(case: Case, tmp_path):
    source = tmp_path / f"input.{case.suffix}"
    if isinstance(case.content, bytes):
        source.write_bytes(case.content)
    else:
        pq.write_table(case.content, source)
    return source


def _run(case: Case, source, database) -> tuple[dict | None, str | None]:
    """(report as the CLI's --json prints it, error message), by the CLI or the API."""
    if not case.cli:
        fmt = case.options[1] if case.options else None
        try:
            return load_files(case.kind, [source], database, format=fmt).to_dict(), None
        except LoaderError as exc:
            return None, str(exc)
    argv = ["load", case.kind, str(source), "--database", str(database), "--json", *case.options]
    run = subprocess.run(
        [sys.executable, "-m", "loader", *argv], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in run.stderr
    if run.returncode == 2:
        return None, run.stderr
    report = json.loads(run.stdout)[0]
    assert run.returncode == (1 if report["rows_rejected"] else 0), run.stderr
    return report, None


def _committed(database) -> tuple[int, int, int]:
    if not database.exists():
        return (0, 0, 0)
    return query(
        database,
        "select (select count(*) from raw.ingestion_items) + "
        "(select count(*) from raw.extraction_results), "
        "(select count(*) from raw.rejected_rows), (select count(*) from raw.load_batches)",
    )[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_row_lands_or_is_rejected_or_nothing_commits(tmp_path, case):
    source, database = _write(case, tmp_path), tmp_path / "w.duckdb"
    report, error = _run(case, source, database)
    if case.error is not None:
        assert report is None and case.error in error
        assert str(source.name) in error  # the message names the file
        assert _committed(database) == (0, 0, 0)
        return
    assert error is None, error
    read, loaded, rejected = report["rows_read"], report["rows_loaded"], report["rows_rejected"]
    assert read == loaded + rejected
    assert _committed(database) == (loaded, rejected, 1)
    assert report["files"][0]["rejects_by_rule"] == case.rules
    if case.loaded is not None:
        assert loaded == case.loaded
    if case.reject_lines is not None:
        got = query(database, "select line_number from raw.rejected_rows order by 1")
        assert [line for (line,) in got] == case.reject_lines
    expected_status = "rejected" if read and not loaded else "loaded"
    assert query(database, "select status from raw.load_batches") == [(expected_status,)]


def test_the_corpus_is_as_wide_as_the_issue():
    assert len(CASES) >= 40
    assert sum(case.cli for case in CASES) >= 10
