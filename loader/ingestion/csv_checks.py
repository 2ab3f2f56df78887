"""What a CSV file must be before its rows are read (UTF-8, a header naming each column once),
and where each of its records starts, so that rows and rejects carry the physical line an
editor shows (a record with quoted newlines spans several lines: the line where it starts).

A CSV file that is not UTF-8 is refused whole, with the line of the first bad byte, rather
than its rows rejected one by one: an encoding belongs to the file, and a latin-1 export
would otherwise load its ASCII rows and reject the others, splitting one delivery by the
accident of which rows hold an accent.
"""

from __future__ import annotations

import codecs
import csv
import sys
from array import array
from pathlib import Path

from loader.warehouse import LoaderError

_BLOCK = 4 << 20


def check_utf8(path: Path) -> None:
    """Raise a LoaderError naming the line and byte of the first invalid UTF-8 sequence."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before, offset = 0, 0
    with path.open("rb") as handle:
        while True:
            block = handle.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # the error's position is within the decoder's buffered bytes and this block
                start = max(exc.start - (len(exc.object) - len(block)), 0)
                line = lines_before + block[:start].count(b"\n") + 1
                raise LoaderError(
                    f"{path}: line {line}: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                    f"byte offset {offset + start}); CSV files must be UTF-8: convert it, "
                    "e.g. `iconv -f latin1 -t utf-8`; nothing was committed"
                ) from exc
            if not block:
                return
            lines_before += block.count(b"\n")
            offset += len(block)


def check_header(path: Path, header: list[str]) -> None:
    """Every column named, and named once (a column name is a field's name or an attribute's
    key: two columns of one name would make one of them disappear)."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name.strip():
            raise LoaderError(f"{path}: line 1: column {position} of the header has no name")
        if name in seen:
            raise LoaderError(
                f"{path}: line 1: the header names column {name!r} twice (columns "
                f"{seen[name]} and {position}); rename one; nothing was committed"
            )
        seen[name] = position


def record_start_lines(path: Path) -> array:
    """The physical line (from 1) where each record starts, the header first, blank lines
    skipped, as pyarrow's CSV reader counts records."""
    csv.field_size_limit(sys.maxsize)  # a field may be as long as the file
    starts = array("q")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        before = 0
        for record in reader:
            if record:
                starts.append(before + 1)
            before = reader.line_num
    return starts
