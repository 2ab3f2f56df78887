"""Publishing: a checkpointed copy of the warehouse for analysts to open read-only.

The copy keeps the warehouse's file name in its own folder (warehouse/published/
echo_roots.duckdb by default): DuckDB names a database after its file's stem and views
refer to their tables through that name (`echo_roots.raw.ingestion_items`), so a copy
under another name would break every view. The warehouse is stamped (meta.publication, for
the copy to carry), then copied to a temporary file in the target folder (the copy published
before, brought up to date, when nobody reads it: loader/release/copies.py), the copy
checked (loader/release/verify.py), then swapped in with an atomic rename, and the stamp
removed from the warehouse: readers of the previous copy keep reading the file they opened,
new readers get the new one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from loader.release import digests as block_digests
from loader.release.copies import previous_copy, swap_in, write_copy
from loader.release.marts import current_release, missing_relations, not_built_message
from loader.release.verify import (
    HEADER_SIZE,
    CopyCheck,
    block_owners,
    block_size,
    broken_views,
    damaged_blocks,
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
    rows_checked: int  # rows read whole: all on a first publication, else none (blocks checked)

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
    """Stamp the warehouse, checkpoint, copy to a temporary file beside `target` (noting the
    blocks that differ from the copy published before), check, swap in, unstamp. Returns the
    release published, when, and what the check covered."""
    missing = missing_relations(con, ["taxonomy.releases"])
    release = None if missing else current_release(con)
    if release is None:
        raise LoaderError(not_built_message(source, missing or ["a row in taxonomy.releases"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    stamped = _stamp(con, source, release, published_at)
    try:
        con.execute("checkpoint")  # every committed change into the file, the WAL emptied
        size = block_size(con)
        digests = block_digests.block_digests(source, size)
        changed = write_copy(source, target, Path(temporary), size, digests)
        check = CopyCheck(
            blocks=(Path(temporary).stat().st_size - HEADER_SIZE) // size,
            changed_blocks=None if changed is None else len(changed),
        )
        damaged = [] if changed is None else damaged_blocks(Path(temporary), changed, size)
        _check(temporary, source, changed, damaged, check)
        block_digests.save(Path(temporary), target, digests, size)
        swap_in(temporary, target)
    finally:
        for leftover in (temporary, temporary + ".wal"):
            Path(leftover).unlink(missing_ok=True)
        block_digests.prune(target, target, previous_copy(target))
        _unstamp(con, stamped)
    return release, published_at, check


def _check(copy: str, source: Path, changed, damaged: list[int], check: CopyCheck) -> None:
    """Check the copy, attached read-only under the name it will have once swapped in
    (loader/release/verify.py): no block among those that changed fails its checksum
    (`damaged` lists those that do), every table reads back (every row on a first
    publication, when `changed` is None; else its row count) and every view works. A copy
    that fails is not published."""
    catalog = source.stem
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {quote_literal(copy)} as {quote_identifier(catalog)} (read_only)")
        con.execute(f"use {quote_identifier(catalog)}")
        problems = _damaged(con, catalog, damaged)
        if not problems:
            problems = unreadable_tables(con, catalog, check, every_row=changed is None)
            problems += broken_views(con, catalog)
        if problems:
            raise LoaderError(
                f"{source}: the copy does not read back whole, nothing published (the "
                "previous published copy is unchanged; rebuild the warehouse with "
                "`make rebuild` if it is damaged): " + "; ".join(problems)
            )
    except duckdb.Error as exc:
        raise LoaderError(f"{source}: the copy cannot be read, nothing published: {exc}") from exc
    finally:
        con.close()


def _damaged(con, catalog: str, damaged: list[int]) -> list[str]:
    """A problem per damaged block, naming the table it belongs to where one does."""
    owners = block_owners(con, catalog, damaged) if damaged else {}
    return [
        f"{owners.get(block, 'metadata or free space')}: block {block} does not match its checksum"
        for block in damaged
    ]


def _stamp(con, source: Path, release, published_at: str) -> bool:
    """Record the publication (table meta.publication) in the warehouse, so that the copy,
    its bytes, carries it (and the digests of its blocks are the warehouse's). Returns
    whether the schema meta was created for it."""
    created = not con.execute(
        "select 1 from duckdb_schemas() where database_name = current_database() "
        "and schema_name = 'meta'"
    ).fetchall()
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
    return created


def _unstamp(con, created_schema: bool) -> None:
    """The stamp is the copy's: the warehouse itself is not a published copy. (One left
    behind by a publication that stopped is replaced by the next.)"""
    try:
        con.execute("drop table if exists meta.publication")
        if created_schema:
            con.execute("drop schema if exists meta")
    except duckdb.Error:
        pass  # the error that stopped the publication is the one to report
