"""Loading one file: every row lands or is rejected with a reason, or nothing commits.

A clean JSON Lines file goes through DuckDB's own parallel reader straight into raw.*
(the fast path), kept only when every line landed. Any other file, or one the fast path
refused, is validated chunk by chunk into temporary tables (the careful path), which are
published to raw.* with the ledger row in one transaction.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from loader.ingestion import ledger
from loader.ingestion.aliases import InputMapping
from loader.ingestion.documents import read_json_document
from loader.ingestion.errors import describe, file_errors, rollback
from loader.ingestion.formats import read_csv_rows, read_parquet_rows
from loader.ingestion.progress import Progress
from loader.ingestion.readers import (
    FileScan,
    read_json_lines,
    scan_file,
    scan_file_in_background,
    slices,
)
from loader.ingestion.reports import SHOWN_REJECTS, FileReport
from loader.ingestion.sources import Source
from loader.ingestion.statements import (
    LINES_SQL,
    TARGET_TABLE,
    fast_insert_sql,
    insert_rejects_sql,
    insert_rows_sql,
    validated_sql,
)
from loader.version import __version__
from loader.warehouse import LoaderError


@dataclass(frozen=True)
class FastAttempt:
    landed: int | None  # rows inserted, in a transaction still open; None: refused, rolled back
    loaded_at: object


def load_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    source: Source,
    *,
    mapping: InputMapping,
    force: bool,
    schema_version: int,
    progress: Progress,
) -> FileReport:
    """Load one file of `kind`; a file already loaded (same sha256) is skipped unless forced.
    What stops it is a LoaderError that names the file (loader/ingestion/errors.py)."""
    with file_errors(con, source.label):
        return _load_file(con, kind, source, mapping, force, schema_version, progress)


def _load_file(con, kind, source, mapping, force, schema_version, progress) -> FileReport:
    load_id = f"{kind}-{uuid.uuid4().hex[:12]}"
    report = FileReport(path=source.label, status="loaded", sha256="", load_id=load_id)
    fast = source.format == "jsonl" and not mapping
    scan, attempt = _scan(con, kind, source, load_id, fast=fast)
    report.sha256 = scan.sha256
    previous = ledger.previous_load(con, kind, scan.sha256)
    if previous and not force:
        if attempt and attempt.landed is not None:
            con.execute("rollback")
        report.status, report.load_id = "skipped", previous
        report.message = f"already loaded as {previous} (same sha256); --force loads it again"
        return report
    batch = ledger.Batch(load_id, kind, source.label, scan.sha256, __version__, schema_version)
    if fast and attempt is None and scan.lines:
        attempt = _try_fast_insert(con, kind, source.path, load_id)
    if attempt and attempt.landed is not None and _keep_fast_insert(con, batch, attempt, scan):
        report.rows_read = report.rows_loaded = attempt.landed
        progress.advance(attempt.landed)
        return report
    _load_carefully(con, source, mapping, scan, batch, report, progress)
    return report


def _scan(con, kind: str, source: Source, load_id: str, *, fast: bool):
    """The file's sha256 and line count, and the fast path's attempt when it was made.

    A file not seen under this name before is loaded by DuckDB while another thread hashes
    it, and the sha256 is checked before anything commits. (A file seen before is hashed
    first, so that running a load again skips it without reading it twice.)"""
    if not (fast and not ledger.path_loaded(con, kind, source.label)):
        return scan_file(source.path), None
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(scan_file_in_background, source.path)
        try:
            attempt = _try_fast_insert(con, kind, source.path, load_id)
        finally:
            scan = scanning.result()  # waits for the hash even when the insert fails
    return scan, attempt


def _try_fast_insert(con, kind: str, path: Path, load_id: str) -> FastAttempt:
    """Most files are clean: DuckDB's own reader straight into raw.*, in a transaction the
    caller commits or rolls back. `landed` is None (and no transaction left open) when
    DuckDB's reader refused a line: the careful path says which."""
    con.execute("begin transaction")
    loaded_at = con.execute("select now()").fetchone()[0]
    try:
        landed = con.execute(
            fast_insert_sql(kind),
            {"path": str(path), "load_id": load_id, "loaded_at": loaded_at},
        ).fetchone()[0]
    except duckdb.Error:
        con.execute("rollback")
        return FastAttempt(None, loaded_at)
    return FastAttempt(landed, loaded_at)


def _keep_fast_insert(con, batch: ledger.Batch, attempt: FastAttempt, scan: FileScan) -> bool:
    """Commit the fast path's rows when every line landed (then line numbers are exact too),
    else roll them back. The batch commits whole; its line numbers follow in a second, small
    transaction, which a later load finishes if the loader dies in between."""
    if not (attempt.landed == scan.lines and scan.lines):
        con.execute("rollback")
        return False
    counts = {"read": attempt.landed, "loaded": attempt.landed, "rejected": 0}
    ledger.record_batch(con, batch, attempt.loaded_at, **counts, status="numbering")
    con.execute("commit")
    try:
        ledger.number_fast_rows(con, batch.kind, batch.load_id)
    except duckdb.Error as exc:
        rollback(con)
        raise LoaderError(
            f"{batch.file_path}: its {attempt.landed} rows are committed (load_id "
            f"{batch.load_id}), but numbering their lines failed: {describe(exc)}. The next "
            "load finishes the numbering first."
        ) from exc
    return True


def _load_carefully(con, source, mapping, scan, batch, report, progress) -> None:
    """Rows and rejects are staged in temporary tables first (each chunk its own statement:
    temporary tables spill to disk, so memory stays flat whatever the file size), then
    published to raw.* together with the ledger row in one transaction. A killed loader
    leaves only its temporary tables behind, and those die with its connection."""
    kind = batch.kind
    staged = {"rows": f"staged_{kind}", "rejects": "staged_rejects"}
    con.execute(
        f"create or replace temp table {staged['rows']} as "
        f"select * from {TARGET_TABLE[kind]} limit 0"
    )
    con.execute(
        f"create or replace temp table {staged['rejects']} as "
        "select * from raw.rejected_rows limit 0"
    )
    try:
        loaded_at = _stage(con, source, mapping, scan, batch, staged, report, progress)
        # nothing lost: every row read either landed or was rejected, or nothing commits
        if report.rows_read != report.rows_loaded + report.rows_rejected:
            raise LoaderError(
                f"{source.path}: read {report.rows_read} rows but loaded {report.rows_loaded} "
                f"and rejected {report.rows_rejected}; nothing was committed"
            )
        _publish_staged(con, staged, batch, loaded_at, report)
    finally:
        for table in staged.values():
            con.execute(f"drop table if exists {table}")


def _read_rows(con, kind: str, source: Source, mapping: InputMapping):
    """The file's rows as lines tables, and the mapping still to apply to their JSON."""
    if source.format == "jsonl":
        return read_json_lines(source.path), mapping
    if source.format == "json":
        return read_json_document(con, source.path), mapping
    reader = read_csv_rows if source.format == "csv" else read_parquet_rows
    return reader(con, source.path, kind, mapping), InputMapping()  # aliases applied to columns


def _stage(con, source, mapping, scan, batch, staged, report, progress):
    """Validate the file chunk by chunk into the staged tables; count what was read, loaded
    and rejected into `report`. Returns the load time the rows carry."""
    kind = batch.kind
    rows, mapping = _read_rows(con, kind, source, mapping)
    insert_rows = insert_rows_sql(kind, staged["rows"], validated_sql(kind, mapping, clean=True))
    insert_rejects = insert_rejects_sql(kind, mapping, into=staged["rejects"])
    loaded_at = con.execute("select now()").fetchone()[0]
    params = {"load_id": batch.load_id, "loaded_at": loaded_at}
    for lines in rows:
        con.register("lines", lines)
        landed = con.execute(insert_rows, params).fetchone()[0]
        read = con.execute(f"select count(*) from ({LINES_SQL})").fetchone()[0]
        con.unregister("lines")
        if landed < read:  # validate again, only here, to say why the others did not land
            for part in slices(lines):  # in small slices: the messages take memory
                con.register("lines", part)
                con.execute(insert_rejects, {**params, "kind": kind, "file_path": source.label})
                con.unregister("lines")
        report.rows_read += read
        report.rows_loaded += landed
        progress.advance(read)
    report.rejects_by_rule = dict(
        con.execute(
            f"select rule, count(*) from {staged['rejects']} "
            "group by rule order by count(*) desc, rule"
        ).fetchall()
    )
    report.rows_rejected = sum(report.rejects_by_rule.values())
    report.first_rejects = [
        {"line_number": line, "field": field, "rule": rule, "message": message}
        for line, field, rule, message in con.execute(
            f"select line_number, field, rule, message from {staged['rejects']} "
            "order by line_number limit ?",
            [SHOWN_REJECTS],
        ).fetchall()
    ]
    return loaded_at


def _publish_staged(con, staged: dict, batch: ledger.Batch, loaded_at, report) -> None:
    """The staged rows and rejects into raw.*, with the ledger row, in one transaction."""
    con.execute("begin transaction")
    try:
        published = con.execute(
            f"insert into {TARGET_TABLE[batch.kind]} select * from {staged['rows']}"
        ).fetchone()[0]
        con.execute(f"insert into raw.rejected_rows select * from {staged['rejects']}")
        if report.rows_read and not report.rows_loaded:
            report.status = "rejected"
            report.message = (
                "every row was rejected: the file does not count as loaded, and loading it "
                "again (with the right --format or aliases) reads it"
            )
        ledger.record_batch(
            con,
            batch,
            loaded_at,
            read=report.rows_read,
            loaded=report.rows_loaded,
            rejected=report.rows_rejected,
            status=report.status,
        )
        if published != report.rows_loaded:
            raise LoaderError(
                f"{batch.file_path}: {published} rows published, {report.rows_loaded} staged"
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
