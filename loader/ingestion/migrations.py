"""Numbered migrations for the raw schema, recorded in raw.schema_migrations.

The loader owns `raw.*`. Each file `migrations/NNN_name.sql` runs once, in its own
transaction, in number order. A warehouse whose raw schema is newer than this loader
knows is refused rather than written to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from loader.warehouse import LoaderError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("loader.ingestion").joinpath("migrations").iterdir():
        match = re.fullmatch(r"(\d{3})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def latest_known_version() -> int:
    return available_migrations()[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The raw schema version of an open warehouse; 0 when it has none yet."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from raw.schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, database: str) -> int:
    """Bring the raw schema up to date; return the version it is at."""
    version = current_version(con)
    known = latest_known_version()
    if version > known:
        raise LoaderError(
            f"{database}: raw schema is at version {version}, but this loader knows only up to "
            f"version {known}. A newer loader wrote this file; upgrade echo-roots before loading."
        )
    for migration in available_migrations():
        if migration.version <= version:
            continue
        con.execute("begin transaction")
        try:
            con.execute("create schema if not exists raw")
            con.execute(
                "create table if not exists raw.schema_migrations ("
                " version integer primary key, name varchar not null,"
                " applied_at timestamptz not null)"
            )
            con.execute(migration.sql)
            con.execute(
                "insert into raw.schema_migrations values (?, ?, now())",
                [migration.version, migration.name],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        version = migration.version
    return version
