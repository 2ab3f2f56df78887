"""Checking a copy of the warehouse before it is published: every block it holds passes
DuckDB's checksum, every table's metadata reads and every view binds.

DuckDB checks a block's checksum each time it reads the block, so a damaged block fails
here rather than in an analyst's query. The first publication reads every row of every
table, which makes DuckDB check every block they occupy. A copy made beside a previous
published copy needs less: a block whose bytes equal the previous copy's at the same place
was checked when that copy was published (or is one that was, by the same argument), so
only the blocks that differ are checked, here, with DuckDB's own checksum (the first 8 bytes
of a block hold the checksum of the rest), reading those blocks and nothing else. Every
table still has its metadata read (its row count) and every view is still bound.

DuckDB's file is a header of three 4 KiB pages, then blocks of a fixed size (`pragma
database_size`'s block_size) in the order of their ids; a table's segments name their block
ids in `pragma_storage_info` (tests/python/warehouse/test_publish.py checks that a block
damaged where this module says it lies is found, and that this checksum is DuckDB's).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from loader.warehouse import quote_identifier

HEADER_SIZE = 3 * 4096
BLOCKS_PER_RUN = 32  # blocks mapped and compared at once: 8 MiB at DuckDB's 256 KiB
# DuckDB's block checksum (src/common/checksum.cpp): 5381, xor'ed with each 8-byte word of
# the block after its own 8 bytes times this constant (modulo 2**64)
CHECKSUM_SEED = 5381
CHECKSUM_MULTIPLIER = np.uint64(0xBF58476D1CE4E5B9)
CHECKSUM_SIZE = 8


@dataclass
class CopyCheck:
    """What the check of a copy covered."""

    blocks: int  # blocks in the copy
    changed_blocks: int | None  # blocks unlike the previous copy's; None: no previous copy
    rows_read: int = 0  # rows read whole (every column): a first publication reads them all


def changed_blocks(source: Path, previous: Path, block_size: int) -> set | None:
    """The ids of the blocks of `source` whose bytes differ from the `previous` published
    copy's at the same place (blocks past its end included), or None when there is none."""
    if not previous.is_file():
        return None
    return {block for block, _ in differing_blocks(source, previous, block_size)}


def differing_blocks(source: Path, other: Path, block_size: int) -> Iterator[tuple[int, bytes]]:
    """(id, bytes) of each block of `source` unlike `other`'s at the same place, in order.

    Both files are mapped into memory a run of blocks at a time (8 MiB, faulted in at once)
    and compared in place (memcmp; a block at a time only where the run differs). For two
    5.8 GB files: 1.3 s from the page cache, 15 s from disk; read into Python bytes instead,
    3.9 s and 24 s. Each run is unmapped before the next, so the pages count once."""
    run = block_size * BLOCKS_PER_RUN
    with source.open("rb") as new, other.open("rb") as old:
        size, other_size = os.fstat(new.fileno()).st_size, os.fstat(old.fileno()).st_size
        for start in range(HEADER_SIZE, size, run):
            length = min(run, size - start)
            ours = _mapped(new, start, length)
            theirs = _mapped(old, start, min(length, other_size - start))
            try:
                found = _differing_in_run(ours, theirs, block_size)
            finally:
                ours.close()
                if theirs is not None:
                    theirs.close()
            for offset, data in found:
                yield (start - HEADER_SIZE + offset) // block_size, data


def _mapped(handle, start: int, length: int) -> mmap.mmap | None:
    if length <= 0:
        return None
    flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)  # (Linux: fault in at once)
    return mmap.mmap(handle.fileno(), length, flags=flags, prot=mmap.PROT_READ, offset=start)


def _differing_in_run(ours_map, theirs_map, block_size: int) -> list[tuple[int, bytes]]:
    """The offsets and bytes of the blocks of a run that differ. (The buffers over the maps
    end with this call, so the maps can be closed after it.)"""
    ours = pa.py_buffer(ours_map)
    theirs = pa.py_buffer(theirs_map if theirs_map is not None else b"")
    if ours.equals(theirs):
        return []
    found = []
    for offset in range(0, ours.size, block_size):
        length = min(block_size, ours.size - offset)
        mine = ours.slice(offset, length)
        if offset + length > theirs.size or not mine.equals(theirs.slice(offset, length)):
            found.append((offset, mine.to_pybytes()))
    return found


def block_size(con) -> int:
    return con.execute("select block_size from pragma_database_size() limit 1").fetchone()[0]


def damaged_blocks(copy: Path, blocks: set[int], block_size: int) -> list[int]:
    """The ids of `blocks` whose bytes in `copy` fail DuckDB's checksum, in order."""
    damaged = []
    with copy.open("rb") as handle:
        for block in sorted(blocks):
            data = os.pread(handle.fileno(), block_size, HEADER_SIZE + block * block_size)
            if len(data) == block_size and not checksum_matches(data):
                damaged.append(block)
    return damaged


def checksum_matches(block: bytes) -> bool:
    """Whether a block holds DuckDB's checksum of its bytes in its first 8 (little-endian)."""
    words = np.frombuffer(block, dtype="<u8", offset=CHECKSUM_SIZE)
    computed = int(np.bitwise_xor.reduce(words * CHECKSUM_MULTIPLIER)) ^ CHECKSUM_SEED
    return computed == int.from_bytes(block[:CHECKSUM_SIZE], "little")


def block_owners(con, catalog: str, blocks: list[int]) -> dict[int, str]:
    """The table that holds each of `blocks` (`schema.table`), where a table's segments name
    it; the others hold the catalog and tables' metadata, or nothing (free blocks). Reads
    every table's storage layout: only for a copy that failed its check, to say where."""
    owners: dict[int, str] = {}
    for schema, table in _tables(con, catalog):
        for (block,) in con.execute(
            "select distinct unnest(list_prepend(block_id, coalesce(additional_block_ids, []))) "
            "from pragma_storage_info($table)",
            {"table": qualified(catalog, schema, table)},
        ).fetchall():
            if block in blocks:
                owners.setdefault(block, f"{schema}.{table}")
    return owners


def unreadable_tables(con, catalog: str, check: CopyCheck, *, every_row: bool) -> list[str]:
    """Tables of `catalog` that do not read back, with DuckDB's error. With `every_row`, every
    column of every row is read (the hash of each row); else each table's row count (its
    metadata and deletes)."""
    unreadable = []
    for schema, table in _tables(con, catalog):
        name = qualified(catalog, schema, table)
        try:
            if every_row:
                check.rows_read += con.execute(
                    f"select count(*), sum(hash(row_value)) from {name} as row_value"
                ).fetchone()[0]
            else:
                con.execute(f"select count(*) from {name}").fetchone()
        except duckdb.Error as exc:
            unreadable.append(f"{schema}.{table}: {exc}")
    return unreadable


def _tables(con, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = ? and not internal order by all",
        [catalog],
    ).fetchall()


def broken_views(con, catalog: str) -> list[str]:
    """Views of `catalog` that fail to bind (a missing table or catalog), with DuckDB's error."""
    views = con.execute(
        "select schema_name, view_name from duckdb_views() "
        "where database_name = ? and not internal order by all",
        [catalog],
    ).fetchall()
    broken = []
    for schema, view in views:
        try:
            con.execute(f"select * from {qualified(catalog, schema, view)} limit 0")
        except duckdb.Error as exc:
            broken.append(f"{schema}.{view}: {exc}")
    return broken


def qualified(*names: str) -> str:
    return ".".join(quote_identifier(name) for name in names)
