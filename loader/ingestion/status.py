"""The loader's health, read-only: raw schema version, row counts, recent loads, rejects."""

from __future__ import annotations

from pathlib import Path

from loader.ingestion.migrations import current_version, latest_known_version
from loader.warehouse import connect, default_database, table_counts

RECENT_LOAD_COLUMNS = [
    "load_id",
    "kind",
    "file_path",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "status",
    "finished_at",
]


def status(database: str | Path | None = None, *, recent: int = 10, wait: float = 0) -> dict:
    """Loader health as a dict (the CLI prints it as JSON); `wait` as for connect."""
    database = str(database or default_database())
    con = connect(database, read_only=True, wait=wait)
    try:
        version = current_version(con)
        report = {
            "database": str(Path(database).resolve()),
            "connection": "ok",
            "raw_schema_version": version,
            "loader_knows_up_to": latest_known_version(),
            "tables": table_counts(con, ("raw",)).get("raw", {}),
            "recent_loads": [],
            "rejects_by_rule": {},
        }
        if version:
            report["recent_loads"] = _recent_loads(con, recent)
            report["rejects_by_rule"] = {
                f"{kind}:{rule}": n
                for kind, rule, n in con.execute(
                    "select kind, rule, count(*) from raw.rejected_rows "
                    "group by all order by count(*) desc, kind, rule"
                ).fetchall()
            }
        return report
    finally:
        con.close()


def _recent_loads(con, recent: int) -> list[dict]:
    rows = con.execute(
        f"select {', '.join(RECENT_LOAD_COLUMNS)} from raw.load_batches "
        "order by finished_at desc limit ?",
        [recent],
    ).fetchall()
    return [
        {**dict(zip(RECENT_LOAD_COLUMNS, row, strict=True)), "finished_at": row[-1].isoformat()}
        for row in rows
    ]
