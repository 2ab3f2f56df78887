"""Reading a test's DuckDB file: a read-only connection per question, closed after it."""

from __future__ import annotations

import duckdb


def query(database, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def raw_counts(database) -> tuple[int, int, int]:
    """(loaded items, rejected rows, ledger rows)."""
    return query(
        database,
        "select (select count(*) from raw.ingestion_items),"
        " (select count(*) from raw.rejected_rows),"
        " (select count(*) from raw.load_batches)",
    )[0]
