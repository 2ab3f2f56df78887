"""Rows per table in every layer of a built warehouse, read-only."""

from __future__ import annotations

from pathlib import Path

from loader.warehouse import LAYERS, connect, default_database, table_counts


def summary(database: str | Path | None = None, *, wait: float = 0) -> dict:
    """Rows per table in every layer of the warehouse; `wait` as for connect."""
    database = str(database or default_database())
    con = connect(database, read_only=True, wait=wait)
    try:
        return {
            "database": str(Path(database).resolve()),
            "layers": table_counts(con, LAYERS),
        }
    finally:
        con.close()
