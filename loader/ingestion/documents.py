"""JSON documents (`.json`): an array of objects, read element by element by DuckDB's own
reader, so memory does not grow with the file; or a single object, or a file that is not
JSON, read whole (up to WHOLE_DOCUMENT_SIZE).

Rows are numbered by their position in the array, from 1. An element that is not an object
is rejected like any other row (`not_an_object`); a document that is not JSON at all is one
rejected row holding the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from loader.ingestion.errors import describe
from loader.ingestion.formats import lines_batch_table
from loader.ingestion.readers import BYTE_ORDER_MARK
from loader.warehouse import LoaderError

if TYPE_CHECKING:
    import pyarrow as pa

WHOLE_DOCUMENT_SIZE = 64 << 20  # a document that is not a valid array is read whole up to this
ELEMENT_SIZE = 32 << 20  # the largest array element: DuckDB reads in buffers of twice this
ROWS_PER_BATCH = 100_000
# each element's text as written (read_json_objects infers no schema)
_ELEMENTS_SQL = f"""
    select json::varchar as text
    from read_json_objects($path, format = 'array', maximum_object_size = {ELEMENT_SIZE})
"""


def read_json_document(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[pa.Table]:
    """The rows of a JSON document, as lines tables (loader/ingestion/readers.py)."""
    problem = "not a JSON array"
    if _starts_an_array(path):
        try:  # a first pass proves the whole array is JSON before a row is staged
            con.execute(f"select count(*) from ({_ELEMENTS_SQL})", {"path": str(path)})
            problem = None
        except duckdb.Error as exc:
            problem = describe(exc)
        if problem is None:
            yield from _array_elements(con, path)
            return
    if path.stat().st_size > WHOLE_DOCUMENT_SIZE:
        raise LoaderError(
            f"{path}: {problem}; a JSON document that is not a valid array is read whole, "
            f"which is refused beyond {WHOLE_DOCUMENT_SIZE >> 20} MB: nothing was committed "
            "(JSON Lines have no such limit)"
        )
    yield from _whole_document(con, path)


def _starts_an_array(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).removeprefix(BYTE_ORDER_MARK).lstrip()
    return head.startswith(b"[")


def _array_elements(con, path: Path) -> Iterator[pa.Table]:
    """The elements in order, streamed from a cursor of their own (the connection stages
    them meanwhile)."""
    import numpy as np

    cursor = con.cursor()
    try:
        cursor.execute("set preserve_insertion_order = true")  # positions are row numbers
        cursor.execute(_ELEMENTS_SQL, {"path": str(path)})
        number = 0
        for batch in cursor.to_arrow_reader(ROWS_PER_BATCH):
            numbers = np.arange(number + 1, number + batch.num_rows + 1, dtype=np.int64)
            number += batch.num_rows
            yield lines_batch_table(numbers, batch.column(0), None, None)
    finally:
        cursor.close()


def _whole_document(con, path: Path) -> Iterator[pa.Table]:
    """A single object (one row), or a file that is not JSON (one rejected row, verbatim)."""
    import numpy as np

    text, payload = con.execute(
        "select try(decode(content)), content from read_blob(?)", [str(path)]
    ).fetchone()
    if text is not None and text.startswith(BYTE_ORDER_MARK.decode()):
        text = text[1:]
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
