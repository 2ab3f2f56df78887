"""Input formats and field aliases.

Every format is turned into the same Arrow tables of `(line_number, text, payload,
reader_error)` that JSON Lines gives (loader/readers.py), one JSON object per row, so one
set of rules validates them all:

- `jsonl`: JSON Lines (also `-`, standard input); line numbers as an editor shows them.
- `json`: a JSON array of objects (or one object); the row number is the element's position.
- `csv`: a header row, one record per row; fields holding objects or arrays
  (`raw_attributes`, `metadata`, `attributes`, `terms`) as JSON text. Columns that map to no
  field are kept in `raw_attributes`, as the original echo-roots adapter did.
- `parquet`: one record per row; nested columns become JSON objects. Unmapped columns are
  kept in `raw_attributes` as for CSV.

Field aliases let a source that says `product_name` or `lang` load without a conversion
script (the original domain pack's `input_mapping`), and defaults fill fields a source
never sends (`source=flipkart`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loader.errors import LoaderError
from loader.readers import SetAside, lines_schema, number_kept_rows
from loader.rules import SHAPES, quote

if TYPE_CHECKING:  # imported where used: a clean JSON Lines load never needs them
    import duckdb
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


@dataclass
class InputMapping:
    """aliases: field -> names a source may use instead (first present wins);
    defaults: field -> value used when a record has none of them."""

    aliases: dict[str, list[str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.aliases or self.defaults)

    def names(self, field_name: str) -> list[str]:
        extra = [a for a in self.aliases.get(field_name, []) if a != field_name]
        return [field_name, *extra]

    def check(self, kind: str) -> None:
        shape = SHAPES[kind]
        known = shape.fields
        for name in [*self.aliases, *self.defaults]:
            if name not in known:
                raise LoaderError(
                    f"alias or default for unknown {kind} field {name!r}; "
                    f"fields are {', '.join(known)}"
                )
        for name in self.defaults:
            if name not in shape.strings:
                raise LoaderError(f"defaults are for text fields; {name!r} is not one")

    @classmethod
    def from_options(
        cls, aliases: list[str] = (), defaults: list[str] = (), aliases_file: str | None = None
    ) -> InputMapping:
        """From CLI options `--alias title=product_name`, `--set source=flipkart` and
        `--aliases domain.yaml` (its `input_mapping:`, or a plain mapping)."""
        import yaml

        mapping = cls()
        if aliases_file:
            try:
                document = yaml.safe_load(Path(aliases_file).read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise LoaderError(f"{aliases_file}: cannot read aliases: {exc}") from exc
            section = (
                document.get("input_mapping", document) if isinstance(document, dict) else None
            )
            if not isinstance(section, dict):
                raise LoaderError(f"{aliases_file}: expected a mapping of field -> [names]")
            for name, names in section.items():
                names = [names] if isinstance(names, str) else list(names or [])
                mapping.aliases.setdefault(str(name), []).extend(str(n) for n in names)
        for option, target in ((aliases, mapping.aliases), (defaults, mapping.defaults)):
            for text in option:
                name, sep, value = text.partition("=")
                if not sep or not name or not value:
                    raise LoaderError(f"expected FIELD=VALUE, got {text!r}")
                if target is mapping.aliases:
                    target.setdefault(name, []).extend(v for v in value.split(","))
                else:
                    target[name] = value
        return mapping

    def usable(self, kind: str) -> InputMapping:
        """Only the aliases of fields this kind has (a domain pack maps more fields)."""
        known = SHAPES[kind].fields
        return InputMapping(
            {k: v for k, v in self.aliases.items() if k in known},
            {k: v for k, v in self.defaults.items() if k in known},
        )


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


def repack_sql(kind: str, mapping: InputMapping) -> str:
    """SQL that replaces `j` by a struct of the canonical fields, each taken from the first
    of its names present, else its default (JSON formats)."""
    shape = SHAPES[kind]
    parts = []
    for name in shape.fields:
        options = [f'j."{n}"' for n in mapping.names(name)]
        if name in mapping.defaults:
            options.append(f"{quote(json.dumps(mapping.defaults[name]))}::json")
        parts.append(f'"{name}" := coalesce({", ".join(options)})')
    return f"struct_pack({', '.join(parts)})"


def json_struct(kind: str, mapping: InputMapping) -> str:
    """The json_transform structure: every field and every alias, as JSON text."""
    shape = SHAPES[kind]
    return json.dumps({n: "JSON" for f in shape.fields for n in mapping.names(f)})


def read_json_document(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[pa.Table]:
    """A JSON array of objects (or a single object): one row per element, numbered from 1.
    A file that is not JSON at all is one rejected row holding the whole file."""
    import numpy as np

    text, payload = con.execute(
        "select try(decode(content)), content from read_blob(?)", [str(path)]
    ).fetchone()
    if text is None or not con.execute("select json_valid(?)", [text]).fetchone()[0]:
        # not UTF-8 or not JSON: the whole file is one rejected row, kept verbatim
        yield lines_batch_table(np.array([1]), [text], [payload if text is None else None], None)
        return
    table = con.execute(
        """
        select generate_subscripts(elements, 1)::bigint as line_number,
            unnest(elements)::varchar as text
        from (
            select case when json_type(?::json) = 'ARRAY' then json_extract(?::json, '$[*]')
                else [?::json] end as elements
        )
        """,
        [text, text, text],
    ).to_arrow_table()
    yield lines_batch_table(
        table.column("line_number").to_numpy(), table.column("text").to_pylist(), None, None
    )


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
        if name in (*shape.objects, *shape.arrays):
            options = [
                f'case when json_valid("{n}"::varchar) then "{n}"::varchar::json '
                f'else to_json("{n}") end'
                for n in present
            ]
        else:
            options = [f'"{n}"' for n in present]
        if name in mapping.defaults:
            options.append(quote(mapping.defaults[name]))
        if options:
            parts.append((name, f"coalesce({', '.join(options)})"))
    extras = [c for c in columns if c not in used]
    if kind == "items" and extras:
        extra_struct = ", ".join(f'"{c}" := "{c}"::varchar' for c in extras)
        kept = dict(parts).get("raw_attributes", "'{}'::json")
        merged = (
            f"json_merge_patch(to_json(struct_pack({extra_struct})), "
            f"case when json_type({kept}) = 'OBJECT' then {kept} else '{{}}'::json end)"
        )
        raw = dict(parts).get("raw_attributes")
        value = (
            merged
            if raw is None
            else f"case when json_type({raw}) = 'OBJECT' then {merged} else {raw} end"
        )
        parts = [p for p in parts if p[0] != "raw_attributes"] + [("raw_attributes", value)]
    body = ", ".join(f'"{name}" := {expr}' for name, expr in parts)
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
    """CSV with a header: every column read as text; rows numbered from 1 (the first
    record after the header). A row with the wrong number of fields is rejected."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        return
    set_aside = SetAside()

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=8 << 20),
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
            # pyarrow numbers the header as row 1: data rows are numbered from 1 after it
            yield number_kept_rows(count, table.num_rows, set_aside.numbers(offset=1)), table
            count += table.num_rows

    yield from _flat_tables(con, kind, mapping, numbered())
    if set_aside.rows:
        yield lines_batch_table(
            np.array(set_aside.numbers(offset=1)),
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
