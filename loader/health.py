"""Read-only views of a warehouse: `status` (loader health) and `summary` (rows per layer)."""

from __future__ import annotations

from pathlib import Path

from loader.database import connect, default_database
from loader.migrations import current_version, latest_known_version

LAYERS = ("raw", "seeds", "staging", "intermediate", "taxonomy", "analytics", "snapshots")


def _table_counts(con, schemas: tuple[str, ...]) -> dict[str, dict[str, int]]:
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (select unnest($schemas)) and table_type = 'BASE TABLE' "
        "order by table_schema, table_name",
        {"schemas": list(schemas)},
    ).fetchall()
    counts: dict[str, dict[str, int]] = {schema: {} for schema in schemas}
    for schema, table in tables:
        counts[schema][table] = con.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()[0]
    return {schema: tables for schema, tables in counts.items() if tables}


def status(database: str | Path | None = None, *, recent: int = 10) -> dict:
    """Loader health as a dict (the CLI prints it as JSON)."""
    database = str(database or default_database())
    con = connect(database, read_only=True)
    try:
        con.execute("select 1").fetchone()
        version = current_version(con)
        report = {
            "database": str(Path(database).resolve()),
            "connection": "ok",
            "raw_schema_version": version,
            "loader_knows_up_to": latest_known_version(),
            "tables": _table_counts(con, ("raw",)).get("raw", {}),
            "recent_loads": [],
            "rejects_by_rule": {},
        }
        if version:
            columns = [
                "load_id",
                "kind",
                "file_path",
                "rows_read",
                "rows_loaded",
                "rows_rejected",
                "status",
                "finished_at",
            ]
            rows = con.execute(
                f"select {', '.join(columns)} from raw.load_batches "
                "order by finished_at desc limit ?",
                [recent],
            ).fetchall()
            report["recent_loads"] = [
                {**dict(zip(columns, row, strict=True)), "finished_at": row[-1].isoformat()}
                for row in rows
            ]
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


def summary(database: str | Path | None = None) -> dict:
    """Rows per table in every layer of the warehouse."""
    database = str(database or default_database())
    con = connect(database, read_only=True)
    try:
        return {
            "database": str(Path(database).resolve()),
            "layers": _table_counts(con, LAYERS),
        }
    finally:
        con.close()
