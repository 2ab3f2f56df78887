"""Input formats.

Every format is turned into the same Arrow tables of `(line_number, text, payload,
reader_error)` that JSON Lines gives (loader/ingestion/readers.py), one JSON object per row, so one
set of rules validates them all:

- `jsonl`: JSON Lines (also `-`, standard input); line numbers as an editor shows them.
- `json`: a JSON array of objects (or one object); the row number is the element's position.
- `csv`: a header row, one record per row; fields holding objects or arrays
  (`raw_attributes`, `metadata`, `attributes`, `terms`) as JSON text. Columns that map to no
  field are kept in `raw_attributes`, as the original echo-roots adapter did.
- `parquet`: one record per row; nested columns become JSON objects. Unmapped columns are
  kept in `raw_attributes` as for CSV.

Field aliases (loader/ingestion/aliases.py) are applied to CSV and Parquet columns here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from loader.ingestion.aliases import InputMapping
from loader.ingestion.csv_checks import check_header, check_utf8, record_start_lines
from loader.ingestion.readers import SetAside, lines_schema, number_kept_rows
from loader.ingestion.rule_sql import quote
from loader.ingestion.rules import SHAPES
from loader.warehouse import LoaderError, quote_identifier

if TYPE_CHECKING:  # imported where used: a clean JSON Lines load never needs them
    import numpy as np
    import pyarrow as pa

FORMATS = ("jsonl", "json", "csv", "parquet")
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
ROWS_PER_BATCH = 100_000


def detect_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise LoaderError(f"unknown format {explicit!r}; expected one of {', '.join(FORMATS)}")
        return explicit
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise LoaderError(
            f"{path}: cannot tell the format from the extension; pass --format "
            f"({', '.join(FORMATS)})"
        )
    return fmt


def lines_batch_table(line_numbers, texts, payloads, reader_error) -> pa.Table:
    import numpy as np
    import pyarrow as pa

    count = len(line_numbers)
    return pa.Table.from_batches(
        [
            pa.RecordBatch.from_arrays(
                [
                    pa.array(np.asarray(line_numbers, dtype=np.int64)),
                    pa.array(texts, pa.string()),
                    pa.array(payloads or [None] * count, pa.binary()),
                    pa.array([reader_error] * count, pa.string()),
                ],
                schema=lines_schema(),
            )
        ]
    )


def _flat_to_json_sql(kind: str, columns: list[str], mapping: InputMapping) -> str:
    """One JSON object text per row of a flat relation `flat` (CSV or Parquet columns):
    canonical fields from their first present name, JSON-text columns parsed, and for items
    the columns that map to no field kept in raw_attributes."""
    shape = SHAPES[kind]
    available = set(columns)
    used: set[str] = set()
    parts = []
    for name in shape.fields:
        present = [n for n in mapping.names(name) if n in available]
        used.update(present)
        columns_sql = [quote_identifier(n) for n in present]
        if name in (*shape.objects, *shape.arrays):
            options = [
                f"case when json_valid({c}::varchar) then {c}::varchar::json else to_json({c}) end"
                for c in columns_sql
            ]
        else:
            options = columns_sql
        if name in mapping.defaults:
            options.append(quote(mapping.defaults[name]))
        if options:
            parts.append((name, f"coalesce({', '.join(options)})"))
    extras = [c for c in columns if c not in used]
    if kind == "items" and extras:
        extra_struct = ", ".join(
            f"{quote_identifier(c)} := {quote_identifier(c)}::varchar" for c in extras
        )
        extra_json = f"to_json(struct_pack({extra_struct}))"
        raw = dict(parts).get("raw_attributes")
        # (merged only when there is a raw_attributes column: a merge copies every value)
        value = (
            extra_json
            if raw is None
            else f"case when json_type({raw}) = 'OBJECT' "
            f"then json_merge_patch({extra_json}, {raw}) else {raw} end"
        )
        parts = [p for p in parts if p[0] != "raw_attributes"] + [("raw_attributes", value)]
    body = ", ".join(f"{quote_identifier(name)} := {expr}" for name, expr in parts)
    return f"select line_number, to_json(struct_pack({body}))::varchar as text from flat"


def _flat_tables(
    con, kind: str, mapping: InputMapping, batches: Iterator[tuple[np.ndarray, pa.Table]]
) -> Iterator[pa.Table]:
    import pyarrow as pa

    for line_numbers, table in batches:
        flat = table.append_column("line_number", pa.array(line_numbers, pa.int64()))
        con.register("flat", flat)
        rows = con.execute(_flat_to_json_sql(kind, table.column_names, mapping)).to_arrow_table()
        con.unregister("flat")
        yield lines_batch_table(
            rows.column("line_number").to_numpy(), rows.column("text"), None, None
        )


def read_csv_rows(con, path: Path, kind: str, mapping: InputMapping) -> Iterator[pa.Table]:
    """CSV with a header: every column read as text; rows numbered by the physical line
    where their record starts (the header is line 1). A row with the wrong number of fields
    is rejected; a file that is not UTF-8 or whose header repeats a name is refused."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    check_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        return
    check_header(path, header)
    starts = np.frombuffer(record_start_lines(path), dtype=np.int64)  # by record ordinal
    set_aside = SetAside()
    reader = pacsv.open_csv(
        path,
        # a block must hold the longest record: as large as the file, within 8-64 MB
        read_options=pacsv.ReadOptions(
            use_threads=False, block_size=min(max(path.stat().st_size + 1, 8 << 20), 64 << 20)
        ),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=set_aside),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
            null_values=[""],
        ),
    )

    def numbered() -> Iterator[tuple[np.ndarray, pa.Table]]:
        count = 0
        for batch in reader:
            table = pa.Table.from_batches([batch])
            # pyarrow counts records with the header as 1: data records from 1 after it
            ordinals = number_kept_rows(count, table.num_rows, set_aside.numbers(offset=1))
            yield starts[ordinals], table
            count += table.num_rows

    yield from _flat_tables(con, kind, mapping, numbered())
    if set_aside.rows:
        yield lines_batch_table(
            starts[np.array(set_aside.numbers(offset=1), dtype=np.int64)],
            [text for _, text in set_aside.rows],
            None,
            f"the row does not have the {len(header)} fields the header names",
        )


def read_parquet_rows(con, path: Path, kind: str, mapping: InputMapping) -> Iterator[pa.Table]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LoaderError(f"{path}: not a readable Parquet file: {exc}") from exc

    def numbered() -> Iterator[tuple[np.ndarray, pa.Table]]:
        count = 0
        for batch in parquet.iter_batches(batch_size=ROWS_PER_BATCH):
            table = pa.Table.from_batches([batch])
            yield np.arange(count + 1, count + table.num_rows + 1), table
            count += table.num_rows

    yield from _flat_tables(con, kind, mapping, numbered())
