"""The published copy's file, and the one published before it, kept to be written again.

Writing a copy of the warehouse costs as much as the warehouse is large. So the copy
published before the current one is kept beside it (`.<name>.previous`) and, when no reader
has it open any more, brought up to date in place: only its blocks that differ from the
warehouse are written: those whose digest differs from the one kept for the copy
(loader/release/digests.py), or, without digests, those whose bytes differ. When a reader
still has it open (DuckDB holds a shared lock on a file it reads), or there is none yet, a
new file is written whole.

Either way the new copy is swapped in by an atomic rename, and the copy it replaces becomes
the next one to bring up to date.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from loader.release import digests as block_digests
from loader.release.verify import HEADER_SIZE, changed_blocks


def previous_copy(target: Path) -> Path:
    """Where the copy published before `target` is kept."""
    return target.with_name(f".{target.name}.previous")


def read_by_nobody(path: Path) -> bool:
    """True when `path` is a file no process has open through DuckDB (whose readers hold a
    shared lock on it: an exclusive lock is refused while one does)."""
    try:
        handle = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(handle)  # (closing releases the lock)
    return True


def write_copy(source: Path, target: Path, temporary: Path, block_size: int, digests) -> set | None:
    """Write a copy of `source` to publish as `target` into `temporary`: the previous copy,
    moved there, brought up to date when nobody reads it, else a new file written whole.
    `digests` are those of `source`'s blocks. Returns the ids of the blocks unlike the copy
    they were compared with (None: there was none).

    (Moved first: a copy whose update stopped half way, or whose check failed, holds blocks
    nobody checked, and is deleted with the temporary file rather than used again.)"""
    previous = previous_copy(target)
    if previous.is_file() and read_by_nobody(previous):
        known = block_digests.load(previous, target, block_size)
        os.replace(previous, temporary)
        if known is None:
            return update_in_place(source, temporary, block_size)
        return write_blocks(source, temporary, block_size, block_digests.differing(digests, known))
    shutil.copyfile(source, temporary)  # in the kernel, where the file system can
    shutil.copymode(source, temporary)  # mkstemp's 0600 would lock out other users
    known = block_digests.load(target, target, block_size) if target.is_file() else None
    if known is None:
        return changed_blocks(source, target, block_size)
    return block_digests.differing(digests, known)


def write_blocks(source: Path, copy: Path | str, block_size: int, blocks: set[int]) -> set[int]:
    """Write `blocks` of `source` (and its header) into `copy`, cut to `source`'s size."""
    with source.open("rb") as new, open(copy, "r+b") as old:
        handle = old.fileno()
        os.pwrite(handle, new.read(HEADER_SIZE), 0)  # (the header changes with every checkpoint)
        for block in sorted(blocks):
            offset = HEADER_SIZE + block * block_size
            os.pwrite(handle, os.pread(new.fileno(), block_size, offset), offset)
        os.ftruncate(handle, os.fstat(new.fileno()).st_size)
    return blocks


def update_in_place(source: Path, copy: Path | str, block_size: int) -> set[int]:
    """Write into `copy` the blocks of `source` that differ from it, found by comparing the
    two files (and its header), and cut it to `source`'s size. Returns the ids written."""
    return write_blocks(source, copy, block_size, changed_blocks(source, Path(copy), block_size))


def swap_in(copy: Path | str, target: Path) -> None:
    """Publish `copy` as `target` by an atomic rename; the copy it replaces is kept as the
    previous one (readers of it keep reading it, whole)."""
    kept = target.with_name(f".{target.name}.replaced")
    kept.unlink(missing_ok=True)  # left by a publication that stopped here
    if target.exists():
        os.link(target, kept)  # the current copy stays reachable through the swap
    os.replace(copy, target)
    if kept.exists():
        os.replace(kept, previous_copy(target))
