"""Publishing: a checkpointed copy of the warehouse for analysts to open read-only.

The copy keeps the warehouse's file name in its own folder (warehouse/published/
echo_roots.duckdb by default): DuckDB names a database after its file's stem and views
refer to their tables through that name (`echo_roots.raw.ingestion_items`), so a copy
under another name would break every view. The copy is written to a temporary file in
the target folder (the copy published before, brought up to date, when nobody reads it:
loader/release/copies.py), checked and stamped, then swapped in with an atomic rename:
readers of the previous copy keep reading the file they opened, new readers get the new one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from loader.release.copies import swap_in, write_copy
from loader.release.marts import current_release, missing_relations, not_built_message
from loader.release.verify import (
    HEADER_SIZE,
    CopyCheck,
    block_size,
    broken_views,
    unreadable_tables,
)
from loader.version import __version__
from loader.warehouse import (
    LoaderError,
    connect,
    default_database,
    quote_identifier,
    quote_literal,
    reading,
)

PUBLISHED_FOLDER = "published"


@dataclass
class PublishReport:
    database: str
    published: str
    taxonomy_version: str
    released_at: str
    published_at: str
    bytes: int
    blocks: int  # DuckDB blocks in the copy
    changed_blocks: int | None  # unlike the previous published copy's (None: there was none)
    rows_checked: int  # rows read whole: all of them, or those in the changed blocks

    def to_dict(self) -> dict:
        return asdict(self)


def published_path(database: str | os.PathLike | None = None, to=None) -> Path:
    """Where the published copy of `database` lives: `to` (default: published/ beside the
    warehouse) / the warehouse's own file name."""
    source = Path(database or default_database())
    return Path(to or source.parent / PUBLISHED_FOLDER) / source.name


def publish(database: str | os.PathLike | None = None, *, to=None, wait: float = 0):
    """Copy the built warehouse to `published_path(database, to)`, atomically.

    Runs as the warehouse's one writer (the same lock the loader and dbt take), so no load
    or build can change the file while it is checkpointed and copied."""
    source = Path(database or default_database())
    target = published_path(source, to)
    if not source.exists():
        raise LoaderError(f"{source}: no such warehouse file (run `make build` first)")
    if target.resolve() == source.resolve():
        raise LoaderError(f"{target}: the published copy cannot replace the warehouse itself")
    con = connect(source, wait=wait)
    try:
        with reading(source):
            release, published_at, check = _copy_and_swap(con, source, target)
    finally:
        con.close()
    return PublishReport(
        database=str(source),
        published=str(target),
        taxonomy_version=release.taxonomy_version,
        released_at=release.released_at,
        published_at=published_at,
        bytes=target.stat().st_size,
        blocks=check.blocks,
        changed_blocks=check.changed_blocks,
        rows_checked=check.rows_read,
    )


def _copy_and_swap(con, source: Path, target: Path):
    """Checkpoint, copy to a temporary file beside `target` (noting the blocks that differ
    from the copy published before), check, swap in. Returns the release published, when,
    and what the check covered."""
    missing = missing_relations(con, ["taxonomy.releases"])
    release = None if missing else current_release(con)
    if release is None:
        raise LoaderError(not_built_message(source, missing or ["a row in taxonomy.releases"]))
    con.execute("checkpoint")  # every committed change into the file, the WAL emptied
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        size = block_size(con)
        changed = write_copy(source, target, Path(temporary), size)
        check = CopyCheck(
            blocks=(Path(temporary).stat().st_size - HEADER_SIZE) // size,
            changed_blocks=None if changed is None else len(changed),
        )
        published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        _stamp_and_check(temporary, source, release, published_at, changed, check)
        swap_in(temporary, target)
    finally:
        for leftover in (temporary, temporary + ".wal"):
            Path(leftover).unlink(missing_ok=True)
    return release, published_at, check


def _stamp_and_check(copy: str, source: Path, release, published_at: str, changed, check) -> None:
    """Record the publication in the copy (table meta.publication) and check that every table
    reads back (loader/release/verify.py: whole, or where its blocks changed) and every view
    works, with the copy attached under the name it will have once swapped in. A copy that
    fails is not published."""
    catalog = source.stem
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {quote_literal(copy)} as {quote_identifier(catalog)}")
        con.execute(f"use {quote_identifier(catalog)}")
        _stamp(con, source, release, published_at)
        problems = unreadable_tables(con, catalog, changed, check) + broken_views(con, catalog)
        if problems:
            raise LoaderError(
                f"{source}: the copy does not read back whole, nothing published (the "
                "previous published copy is unchanged; rebuild the warehouse with "
                "`make rebuild` if it is damaged): " + "; ".join(problems)
            )
        con.execute("use memory")
        con.execute(f"detach {quote_identifier(catalog)}")  # checkpoints: no .wal beside it
    except duckdb.Error as exc:
        raise LoaderError(f"{source}: the copy cannot be read, nothing published: {exc}") from exc
    finally:
        con.close()


def _stamp(con, source: Path, release, published_at: str) -> None:
    con.execute("create schema if not exists meta")
    con.execute(
        "create or replace table meta.publication as select "
        "cast($published_at as timestamptz) as published_at, "
        "$version as taxonomy_version, "
        "cast($released_at as timestamptz) as released_at, "
        "$invocation_id as invocation_id, "
        "$source as source_database, "
        "$loader_version as loader_version",
        {
            "published_at": published_at,
            "version": release.taxonomy_version,
            "released_at": release.released_at,
            "invocation_id": release.invocation_id,
            "source": str(source.resolve()),
            "loader_version": __version__,
        },
    )
