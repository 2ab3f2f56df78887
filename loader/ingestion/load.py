"""The ingestion API: load files of items or extraction results into raw.*.

Per file (loader/ingestion/file_load.py): its rows are validated in SQL, then rows, rejects
and the ledger row are published in one transaction. A file already loaded (same sha256)
is skipped unless forced.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from loader.ingestion.aliases import InputMapping
from loader.ingestion.errors import describe, rollback
from loader.ingestion.file_load import load_file
from loader.ingestion.ledger import finish_numbering
from loader.ingestion.migrations import migrate
from loader.ingestion.progress import Progress
from loader.ingestion.reports import LoadReport
from loader.ingestion.sources import copy_stdin, expand_sources, sample_paths
from loader.ingestion.statements import KINDS
from loader.warehouse import LoaderError, connect, default_database, memory_limit


def load_files(
    kind: str,
    paths: list[str | Path],
    database: str | Path | None = None,
    *,
    format: str | None = None,
    aliases: InputMapping | None = None,
    force: bool = False,
    wait: float = 0,
    progress: bool | None = None,
) -> LoadReport:
    """Load files of one kind (`items` or `extractions`) into the warehouse.

    `paths` may hold globs and `-` (JSON Lines on standard input); `format` overrides the
    format the extension tells; `aliases` maps source field names and defaults; `force`
    loads files already loaded; `wait` waits that many seconds for another writer."""
    if kind not in KINDS:
        raise LoaderError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    mapping = aliases or InputMapping()
    mapping.check(kind)
    database = str(database or default_database())
    report = LoadReport(kind=kind, database=database)
    with tempfile.TemporaryDirectory(prefix="echo-roots-") as scratch:
        stdin_copy = copy_stdin(Path(scratch)) if "-" in map(str, paths) else None
        sources = expand_sources(paths, format, stdin_copy)
        con, schema_version = open_for_loading(database, wait=wait)
        try:
            _finish_numbering(con, database)
            meter = Progress(sources, kind, enabled=progress)
            for source in sources:
                meter.start(source)
                file_report = load_file(
                    con,
                    kind,
                    source,
                    mapping=mapping,
                    force=force,
                    schema_version=schema_version,
                    progress=meter,
                )
                report.files.append(file_report)
            meter.finish()
        finally:
            con.close()
    return report


def open_for_loading(database: str, *, wait: float = 0):
    """The warehouse opened, its raw schema migrated and the connection set up for loading.
    Returns the connection (the caller closes it) and the raw schema's version."""
    con = connect(database, wait=wait)
    try:
        schema_version = migrate(con, database)
        _configure(con)
    except BaseException:
        con.close()
        raise
    return con, schema_version


def _finish_numbering(con, database: str) -> None:
    """Number what a killed (or stopped) loader left half numbered: its rows are committed."""
    try:
        finish_numbering(con)
    except duckdb.Error as exc:
        rollback(con)
        raise LoaderError(
            f"{database}: numbering the lines of an earlier load's committed rows failed: "
            f"{describe(exc)}; nothing else was done, and the next load tries again"
        ) from exc


def _configure(con) -> None:
    # Pushing the rules' filter below the projection would parse each line once per rule;
    # keep filters where the SQL puts them.
    con.execute("set disabled_optimizers = 'filter_pushdown'")
    con.execute("set preserve_insertion_order = true")  # the fast path's line numbers
    # the staging tables spill to disk beyond this (same variable as profiles.yml)
    try:
        con.execute("set memory_limit = ?", [memory_limit()])
    except duckdb.Error as exc:
        raise LoaderError(
            f"ECHO_ROOTS_MEMORY_LIMIT={memory_limit()!r} is not a size DuckDB understands "
            f"(e.g. 512MB, 2GB): {describe(exc)}"
        ) from exc


def load_items(paths, database=None, **options) -> LoadReport:
    """Load ingestion items into raw.ingestion_items (options as for load_files)."""
    return load_files("items", paths, database, **options)


def load_extractions(paths, database=None, **options) -> LoadReport:
    """Load LLM extraction results into raw.extraction_results (options as for load_files)."""
    return load_files("extractions", paths, database, **options)


def load_sample(database=None, **options) -> list[LoadReport]:
    """Load the embedded sample: items, then extraction results (options as for load_files;
    its deliberately bad rows are rejected, as they should be)."""
    paths = sample_paths()
    return [load_files(kind, [paths[kind]], database, **options) for kind in KINDS]
