"""What publish and export need from a built warehouse: the marts, and the current release."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Release:
    taxonomy_version: str
    released_at: str  # ISO 8601, UTC
    invocation_id: str


def missing_relations(con, relations: list[str]) -> list[str]:
    """The `schema.name` relations (tables or views) of `relations` the database lacks."""
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    return [relation for relation in relations if relation not in present]


def not_built_message(database, missing: list[str]) -> str:
    return (
        f"{database}: the warehouse is not built: missing {', '.join(missing)} "
        "(run `make build`, or load files and run `dbt build`)"
    )


def current_release(con) -> Release | None:
    """The latest release built (releases are ordered by build time, as taxonomy.changes
    orders them): rebuilding an older version does not make it current again."""
    row = con.execute(
        "select taxonomy_version, strftime(released_at at time zone 'UTC', "
        "'%Y-%m-%dT%H:%M:%S.%fZ'), invocation_id "
        "from taxonomy.releases order by released_at desc, taxonomy_version desc limit 1"
    ).fetchone()
    return Release(*row) if row else None
