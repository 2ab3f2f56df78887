"""Exports for integrators: the current release of the taxonomy as Parquet, CSV and JSON
Lines, a changelog and a manifest, in dist/echo-roots-<version>/.

The folder is written under a temporary name beside it and renamed into place, so an
export is whole or absent. The warehouse is only read (by default its published copy).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from loader.release.marts import current_release, missing_relations, not_built_message
from loader.release.publish import published_path
from loader.warehouse import (
    LoaderError,
    connect,
    default_database,
    quote_identifier,
    quote_literal,
    reading,
)

# dataset: (relation, order of the rows)
DATASETS = {
    "categories": ("taxonomy.categories", "category_id"),
    "attributes": ("taxonomy.attributes", "attribute_id"),
    "attribute_values": ("taxonomy.attribute_values", "attribute_id, value_id"),
    "mappings": ("taxonomy.mappings", "mapping_id"),
    "changes": (
        "taxonomy.changes",
        "released_at nulls last, entity_type, entity_id, change_type, changed_at",
    ),
}
# extension: COPY options
FORMATS = {
    "parquet": "format parquet, compression zstd",
    "csv": "format csv, header true",
    "jsonl": "format json",  # one object per line
}
CHANGE_TYPES = ["added", "removed", "renamed", "moved", "deprecated", "merged"]


@dataclass
class ExportReport:
    database: str
    directory: str
    taxonomy_version: str
    released_at: str
    exported_at: str
    files: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def export(database: str | os.PathLike | None = None, *, out="dist", wait: float = 0):
    """Write the current release of `database` (default: the published copy of the
    warehouse) into `out`/echo-roots-<version>/; return what was written."""
    source = Path(database or published_path(default_database()))
    if not source.exists():
        hint = "run `make build` (it publishes) or `echo-roots publish`, or pass --database"
        raise LoaderError(f"{source}: no such warehouse file ({hint})")
    con = connect(source, read_only=True, wait=wait)
    try:
        with reading(source):
            return _export(con, source, Path(out))
    finally:
        con.close()


def _export(con, source: Path, out: Path) -> ExportReport:
    relations = [relation for relation, _ in DATASETS.values()] + ["taxonomy.releases"]
    missing = missing_relations(con, relations)
    release = None if missing else current_release(con)
    if release is None:
        raise LoaderError(not_built_message(source, missing or ["a row in taxonomy.releases"]))
    name = f"echo-roots-{release.taxonomy_version}"
    final = out / name
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{name}."))
    work.chmod(0o755)  # mkdtemp's 0700 would hide the export from other users
    try:
        report = ExportReport(
            database=str(source),
            directory=str(final),
            taxonomy_version=release.taxonomy_version,
            released_at=release.released_at,
            exported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        for dataset, (relation, order) in DATASETS.items():
            for extension, options in FORMATS.items():
                path = work / f"{name}-{dataset}.{extension}"
                select = _select(con, relation, order, flat=extension == "csv")
                rows = con.execute(f"copy ({select}) to {quote_literal(str(path))} ({options})")
                report.files.append(_entry(path, dataset, extension, rows.fetchone()[0]))
        changelog = work / f"CHANGELOG-{release.taxonomy_version}.md"
        changelog.write_text(_changelog(con, release), encoding="utf-8")
        report.files.append(_entry(changelog, "changes", "md", None))
        _write_manifest(con, work / f"{name}-manifest.json", report)
        _swap_in(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


# A CSV cell that a spreadsheet would run as a formula starts with one of these (OWASP, CSV
# injection): in CSV exports such a text cell gets a leading ' so it shows as text.
FORMULA_START = r"^[=+\-@\t\r]"


def _select(con, relation: str, order: str, *, flat: bool) -> str:
    """The relation's columns in order; with `flat` (for CSV), lists and structs as JSON text
    and text cells that a spreadsheet would run as a formula neutralized with a leading '."""
    schema, table = relation.split(".")
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    nested = ("[]", "STRUCT", "MAP")
    cells = []
    for name, kind in columns:
        column = quote_identifier(name)
        if flat and any(n in kind for n in nested):
            cells.append(f"to_json({column}) as {column}")
        elif flat and kind == "VARCHAR":
            formula = f"regexp_matches({column}, {quote_literal(FORMULA_START)})"
            cells.append(f"if({formula}, chr(39) || {column}, {column}) as {column}")
        else:
            cells.append(column)
    source = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    return f"select {', '.join(cells)} from {source} order by {order}"


def _entry(path: Path, dataset: str, extension: str, rows: int | None) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "file": path.name,
        "dataset": dataset,
        "format": extension,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


def _write_manifest(con, path: Path, report: ExportReport) -> None:
    published = None
    if not missing_relations(con, ["meta.publication"]):
        published = con.execute(
            "select strftime(published_at, '%Y-%m-%dT%H:%M:%SZ') from meta.publication"
        ).fetchone()[0]
    manifest = {
        "taxonomy_version": report.taxonomy_version,
        "released_at": report.released_at,
        "exported_at": report.exported_at,
        "source": {"database": str(Path(report.database).resolve()), "published_at": published},
        "formats": {
            "parquet": "Parquet (zstd), the warehouse's column types",
            "csv": "CSV with a header row, UTF-8; list columns as JSON text; a text cell "
            "starting with = + - @ tab or CR gets a leading ' (no formula runs in a spreadsheet)",
            "jsonl": "JSON Lines: one object per line, UTF-8",
        },
        "files": report.files,
    }
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _changelog(con, release) -> str:
    """Markdown: releases newest first, then change type, then entity."""
    rows = con.execute(
        "select coalesce(taxonomy_version, '(unreleased)'), "
        "strftime(released_at, '%Y-%m-%d %H:%M UTC'), change_type, entity_type, entity_id, "
        "old_value, new_value "
        "from taxonomy.changes "
        "order by released_at desc nulls last, "
        "coalesce(list_position($types, change_type), 99), change_type, entity_type, entity_id",
        {"types": CHANGE_TYPES},
    ).fetchall()
    lines = [
        f"# echo-roots taxonomy changelog, release {release.taxonomy_version}",
        "",
        "Every change to categories, attributes, values and mappings, newest release first.",
    ]
    sizes = Counter((version, change_type) for version, _, change_type, *_ in rows)
    heading = section = None
    for version, released_at, change_type, entity_type, entity_id, old, new in rows:
        if version != heading:
            heading, section = version, None
            lines += ["", f"## {version}" + (f" (built {released_at})" if released_at else "")]
        if change_type != section:
            section = change_type
            lines += ["", f"### {change_type} ({sizes[version, change_type]})", ""]
        what = " -> ".join(value for value in (old, new) if value is not None)
        lines.append(f"- {entity_type} `{entity_id}`" + (f": {what}" if what else ""))
    if heading is None:
        lines += ["", "No changes recorded."]
    return "\n".join(lines) + "\n"


def _swap_in(work: Path, final: Path) -> None:
    """Rename `work` to `final`; a previous export of the version is moved aside first and
    removed after, so `final` is always a whole export or absent."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    try:
        work.rename(final)
    except BaseException:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
