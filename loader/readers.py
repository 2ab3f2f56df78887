"""Reading input files into Arrow batches of `(line_number, payload)`, without parsing.

Parsing and validation happen afterwards in DuckDB SQL (loader/rules.py), so a line that
is not JSON, or not UTF-8, still reaches the rejects table verbatim with its line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

BLOCK_SIZE = 16 << 20  # bytes per Arrow batch; bounds memory whatever the file size
LINES = pa.schema([("line_number", pa.int64()), ("payload", pa.binary())])


def read_json_lines(path: Path) -> Iterator[pa.RecordBatch]:
    """Yield the lines of a JSON Lines file, numbered from 1 as an editor shows them.

    pyarrow's CSV reader splits lines at C++ speed; with no quoting and a delimiter that
    valid JSON never contains raw (0x1F), every line is one binary cell. A line that holds
    a raw 0x1F is not valid JSON: it is set aside and yielded at the end for the rules
    to reject. Blank lines are kept here (they count for numbering) and dropped in SQL.
    """
    set_aside: list[tuple[int, str]] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        set_aside.append((row.number, row.text))
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            column_names=["payload"], use_threads=False, block_size=BLOCK_SIZE
        ),
        parse_options=pacsv.ParseOptions(
            delimiter="\x1f",
            quote_char=False,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
            invalid_row_handler=keep_aside,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={"payload": pa.binary()},
            check_utf8=False,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    kept = 0  # lines yielded so far
    for batch in reader:
        ordinals = np.arange(kept + 1, kept + batch.num_rows + 1, dtype=np.int64)
        kept += batch.num_rows
        # A kept line's number = its ordinal among kept lines + the set-aside lines before it.
        aside = np.array(sorted(n for n, _ in set_aside), dtype=np.int64)
        kept_before_aside = aside - np.arange(1, len(aside) + 1)
        line_numbers = ordinals + np.searchsorted(kept_before_aside, ordinals, side="left")
        yield pa.RecordBatch.from_arrays([pa.array(line_numbers), batch.column(0)], schema=LINES)
    if set_aside:
        numbers, texts = zip(*set_aside, strict=True)
        yield pa.RecordBatch.from_arrays(
            [pa.array(numbers, pa.int64()), pa.array([t.encode() for t in texts], pa.binary())],
            schema=LINES,
        )
