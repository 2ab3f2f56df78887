"""Reading input files into Arrow tables of `(line_number, text, payload)`, without parsing.

Parsing and validation happen afterwards in DuckDB SQL (loader/ingestion/rules.py), so a line that
is not JSON, or not UTF-8, still reaches the rejects table verbatim with its line number.
`text` is the line as a string (null when it is not valid UTF-8); `payload` keeps the raw
bytes of such a line and is null otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a clean JSON Lines load never needs them
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

BLOCK_SIZE = 8 << 20  # bytes per Arrow batch
CHUNK_SIZE = 16 << 20  # bytes handed to DuckDB per query: bounds memory whatever the file size
# bytes of lines per query that says why rows were rejected: its message for each rule keeps
# intermediate results for every row of a vector alive at once, so it gets fewer rows
REJECT_SLICE_SIZE = 4 << 20
BYTE_ORDER_MARK = b"\xef\xbb\xbf"


@cache
def lines_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("line_number", pa.int64()),
            ("text", pa.string()),
            ("payload", pa.binary()),
            ("reader_error", pa.string()),  # set when the reader could not split the row
        ]
    )


@dataclass(frozen=True)
class FileScan:
    sha256: str
    lines: int  # newline-terminated lines, plus a last line without one


def scan_file(path: Path) -> FileScan:
    """One pass over the bytes: sha256 and line count."""
    digest = hashlib.sha256()
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(4 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return FileScan(digest.hexdigest(), lines + (last != b"\n"))


def scan_file_in_background(path: Path) -> FileScan:
    """scan_file on a worker thread while DuckDB loads the same file: the thread runs at the
    lowest priority (Linux), so the hashing fills the time DuckDB's threads leave the cores
    idle instead of taking turns with them (medians of five alternating loads: a million
    short listings in 2.68 s instead of 2.89 s, 881,480 extraction results in 4.85 s
    instead of 5.22 s)."""
    if sys.platform.startswith("linux"):  # elsewhere the call would name the whole process
        with contextlib.suppress(OSError):  # a sandbox may refuse it: only speed is lost
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    return scan_file(path)


def _as_lines(line_numbers: np.ndarray, payload: pa.Array) -> pa.RecordBatch:
    import pyarrow as pa

    try:
        text = payload.cast(pa.string())  # validates UTF-8 without copying
        raw = pa.nulls(len(payload), pa.binary())
    except pa.ArrowInvalid:
        # Some line in this batch is not UTF-8 (rare): find which, line by line, and keep
        # the bytes of those lines for the rejects table.
        decoded = []
        for line in payload.to_pylist():
            try:
                decoded.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(None)
        text = pa.array(decoded, pa.string())
        raw = pa.array(
            [
                line if s is None else None
                for line, s in zip(payload.to_pylist(), decoded, strict=True)
            ],
            pa.binary(),
        )
    errors = pa.nulls(len(payload), pa.string())
    columns = [pa.array(line_numbers), text, raw, errors]
    return pa.RecordBatch.from_arrays(columns, schema=lines_schema())


class SetAside:
    """An invalid_row_handler for pyarrow's CSV reader: keeps the rows it could not split,
    with their numbers, for the rejects table."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str]] = []

    def __call__(self, row: pacsv.InvalidRow) -> str:
        self.rows.append((row.number, row.text))
        return "skip"

    def numbers(self, offset: int = 0) -> list[int]:
        return [number - offset for number, _ in self.rows]


def number_kept_rows(kept_so_far: int, count: int, set_aside: list[int]) -> np.ndarray:
    """Numbers of the next `count` rows a reader kept, given the numbers of the rows it set
    aside: a kept row's number is its ordinal among kept rows plus the set-aside rows
    before it."""
    import numpy as np

    ordinals = np.arange(kept_so_far + 1, kept_so_far + count + 1, dtype=np.int64)
    aside = np.array(sorted(set_aside), dtype=np.int64)
    kept_before_aside = aside - np.arange(1, len(aside) + 1)
    return ordinals + np.searchsorted(kept_before_aside, ordinals, side="left")


def read_json_lines(path: Path) -> Iterator[pa.Table]:
    """Yield the lines of a JSON Lines file, numbered from 1 as an editor shows them, in
    tables of about CHUNK_SIZE bytes.

    Lines end at LF only: a bare CR is JSON whitespace and may sit inside a record (a CR
    before an LF is dropped, as Windows files end lines with both). The file is read in
    blocks of BLOCK_SIZE and each block split at C speed; a line longer than a block is
    joined from its pieces, so no line is too long. A leading UTF-8 byte order mark is
    dropped. Blank lines are kept here (they count for numbering) and dropped in SQL.
    """
    import numpy as np
    import pyarrow as pa

    number = 0  # lines yielded so far
    pending: list[pa.RecordBatch] = []
    pending_bytes = 0
    for lines in _split_lines(path):
        numbers = np.arange(number + 1, number + len(lines) + 1, dtype=np.int64)
        number += len(lines)
        batch = _as_lines(numbers, pa.array(lines, pa.binary()))
        pending.append(batch)
        pending_bytes += batch.nbytes
        if pending_bytes >= CHUNK_SIZE:
            yield pa.Table.from_batches(pending, schema=lines_schema())
            pending, pending_bytes = [], 0
    if pending:
        yield pa.Table.from_batches(pending, schema=lines_schema())


def _split_lines(path: Path) -> Iterator[list[bytes]]:
    """The file's lines (without their LF, or CR LF), a block's worth at a time."""
    unfinished: list[bytes] = []  # pieces of a line not ended yet
    with path.open("rb") as handle:
        first = True
        while block := handle.read(BLOCK_SIZE):
            if first and block.startswith(BYTE_ORDER_MARK):
                block = block[len(BYTE_ORDER_MARK) :]
            first = False
            cut = block.rfind(b"\n")
            if cut < 0:
                unfinished.append(block)
                continue
            # up to and with the block's last LF: a CR LF split between blocks is whole here
            data = b"".join([*unfinished, block[: cut + 1]])
            unfinished = [block[cut + 1 :]]
            yield data.replace(b"\r\n", b"\n").split(b"\n")[:-1]
    last = b"".join(unfinished)
    if last:
        yield [last[:-1] if last.endswith(b"\r") else last]


def slices(lines: pa.Table, size: int = REJECT_SLICE_SIZE) -> Iterator[pa.Table]:
    """`lines` in consecutive slices of about `size` bytes of text (or payload) each; a line
    longer than `size` is a slice of its own."""
    import numpy as np
    import pyarrow.compute as pc

    text = pc.binary_length(lines.column("text")).to_numpy(zero_copy_only=False)
    payload = pc.binary_length(lines.column("payload")).to_numpy(zero_copy_only=False)
    sizes = np.nan_to_num(text, nan=0) + np.nan_to_num(payload, nan=0) + 1
    ends = np.cumsum(sizes)
    start = 0
    while start < lines.num_rows:
        before = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, before + size, side="right")))
        yield lines.slice(start, stop - start)
        start = stop
