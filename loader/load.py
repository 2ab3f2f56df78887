"""Loading files into raw.* : every row lands or is rejected with a reason, one file per
transaction, a file already loaded (same sha256) is skipped unless forced."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

from loader import __version__
from loader.database import connect, default_database
from loader.errors import LoaderError
from loader.migrations import migrate
from loader.readers import read_json_lines
from loader.rules import RULES, violation_sql

KINDS = ("items", "extractions")
TARGET_TABLE = {"items": "raw.ingestion_items", "extractions": "raw.extraction_results"}

# The columns each kind lands with, as SQL over the validated JSON `doc`.
PROJECTION = {
    "items": """
        doc->>'$.item_id' as item_id,
        doc->>'$.title' as title,
        doc->>'$.description' as description,
        doc->>'$.raw_category' as raw_category,
        case when json_type(doc, '$.raw_attributes') = 'OBJECT'
            then json_extract(doc, '$.raw_attributes') else '{}'::json end as raw_attributes,
        doc->>'$.source' as source,
        doc->>'$.language' as language,
        case when json_type(doc, '$.metadata') = 'OBJECT'
            then json_extract(doc, '$.metadata') else '{}'::json end as metadata,
        coalesce((doc->>'$.ingested_at')::timestamptz, $loaded_at) as ingested_at
    """,
    "extractions": """
        doc->>'$.item_id' as item_id,
        coalesce(json_extract(doc, '$.attributes'), '[]')::json as attributes,
        coalesce(json_extract(doc, '$.terms'), '[]')::json as terms,
        json_extract(doc, '$.metadata') as metadata,
        doc->>'$.metadata.model' as model,
        doc->>'$.metadata.run_id' as run_id,
        (doc->>'$.metadata.extracted_at')::timestamptz as extracted_at,
        (doc->>'$.metadata.processing_time_ms')::double::bigint as processing_time_ms
    """,
}
# What makes two records the same record (ingested_at is when, not what).
HASHED = {
    "items": (
        "item_id, title, description, raw_category, raw_attributes, source, language, metadata"
    ),
    "extractions": "item_id, attributes, terms, metadata",
}


@dataclass
class FileReport:
    path: str
    status: str  # loaded | skipped
    sha256: str
    load_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects_by_rule: dict[str, int] = field(default_factory=dict)
    message: str = ""


@dataclass
class LoadReport:
    kind: str
    database: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def reject_rate(self) -> float:
        return self.rows_rejected / self.rows_read if self.rows_read else 0.0

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "database": self.database,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "reject_rate": round(self.reject_rate, 6),
            "files": [asdict(f) for f in self.files],
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _validated_sql(kind: str) -> str:
    return f"""
        with decoded as (
            select line_number, payload as payload_bytes, try(decode(payload)) as text
            from lines
        ),
        parsed as (
            select *, case when json_valid(text) then text::json end as doc
            from decoded
            where text is null or trim(text) <> ''  -- blank lines are not rows
        )
        select *, {violation_sql(RULES[kind])} as violation
        from parsed
    """


def _load_file(
    con: duckdb.DuckDBPyConnection, kind: str, path: Path, *, force: bool, schema_version: int
) -> FileReport:
    sha = file_sha256(path)
    report = FileReport(path=str(path), status="loaded", sha256=sha)
    previous = con.execute(
        "select load_id from raw.load_batches where kind = ? and file_sha256 = ? "
        "order by finished_at desc limit 1",
        [kind, sha],
    ).fetchone()
    if previous and not force:
        report.status = "skipped"
        report.load_id = previous[0]
        report.message = f"already loaded as {previous[0]} (same sha256); --force loads it again"
        return report

    report.load_id = f"{kind}-{uuid.uuid4().hex[:12]}"
    params = {"load_id": report.load_id, "file_path": str(path), "kind": kind}
    con.execute("begin transaction")
    try:
        loaded_at = con.execute("select now()").fetchone()[0]
        params["loaded_at"] = loaded_at
        for lines in read_json_lines(path):
            con.register("lines", lines)
            con.execute(f"create or replace temp table validated as {_validated_sql(kind)}")
            con.unregister("lines")
            con.execute(
                f"""
                insert into {TARGET_TABLE[kind]} by name
                select * exclude (line_number),
                    $load_id as _load_id,
                    line_number as _line_number,
                    $loaded_at as _loaded_at,
                    md5(to_json(struct_pack({HASHED[kind]}))) as _record_hash
                from (
                    select line_number, {PROJECTION[kind]}
                    from validated where violation is null
                ) as projected
                """,
                {"load_id": report.load_id, "loaded_at": loaded_at},
            )
            con.execute(
                """
                insert into raw.rejected_rows
                select $load_id, $kind, $file_path, line_number,
                    violation.rule, violation.field, violation.message,
                    text, case when text is null then payload_bytes end, $loaded_at
                from validated where violation is not null
                """,
                params,
            )
            read, rejected = con.execute(
                "select count(*), count(violation) from validated"
            ).fetchone()
            report.rows_read += read
            report.rows_rejected += rejected
        report.rows_loaded = report.rows_read - report.rows_rejected
        report.rejects_by_rule = dict(
            con.execute(
                "select rule, count(*) from raw.rejected_rows where load_id = ? "
                "group by rule order by count(*) desc, rule",
                [report.load_id],
            ).fetchall()
        )
        con.execute(
            """
            insert into raw.load_batches values
                ($load_id, $kind, $file_path, $sha, $read, $loaded, $rejected, 'loaded',
                 $loaded_at, now(), $version, $schema_version)
            """,
            {
                **params,
                "sha": sha,
                "read": report.rows_read,
                "loaded": report.rows_loaded,
                "rejected": report.rows_rejected,
                "version": __version__,
                "schema_version": schema_version,
            },
        )
        # re-read what this transaction wrote: the ledger must add up before it commits
        landed = con.execute(
            f"select count(*) from {TARGET_TABLE[kind]} where _load_id = ?", [report.load_id]
        ).fetchone()[0]
        if landed != report.rows_loaded:
            raise LoaderError(f"{path}: {landed} rows landed but {report.rows_loaded} counted")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.execute("drop table if exists validated")
    return report


def load_files(
    kind: str,
    paths: list[str | Path],
    database: str | Path | None = None,
    *,
    force: bool = False,
    wait: float = 0,
) -> LoadReport:
    """Load files of one kind (`items` or `extractions`) into the warehouse."""
    if kind not in KINDS:
        raise LoaderError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise LoaderError(f"{path}: no such file")
    database = str(database or default_database())
    report = LoadReport(kind=kind, database=database)
    con = connect(database, wait=wait)
    try:
        schema_version = migrate(con, database)
        for path in files:
            report.files.append(
                _load_file(con, kind, path.resolve(), force=force, schema_version=schema_version)
            )
    finally:
        con.close()
    return report


def load_items(paths, database=None, **options) -> LoadReport:
    """Load ingestion items (JSON Lines) into raw.ingestion_items."""
    return load_files("items", paths, database, **options)


def load_extractions(paths, database=None, **options) -> LoadReport:
    """Load LLM extraction results (JSON Lines) into raw.extraction_results."""
    return load_files("extractions", paths, database, **options)


def sample_paths() -> dict[str, Path]:
    """The embedded sample shipped with the package (see scripts/generate_sample.py)."""
    folder = resources.files("loader").joinpath("sample")
    return {
        "items": Path(str(folder.joinpath("items.jsonl"))),
        "extractions": Path(str(folder.joinpath("extractions.jsonl"))),
    }


def load_sample(database=None, **options) -> list[LoadReport]:
    """Load the embedded sample: items, then extraction results."""
    paths = sample_paths()
    return [load_files(kind, [paths[kind]], database, **options) for kind in KINDS]
