"""Loading files into raw.*: every row lands or is rejected with a reason.

Per file: its rows are validated in SQL and staged in temporary tables, then rows, rejects
and the ledger row are published in one transaction. A file already loaded (same sha256)
is skipped unless forced."""

from __future__ import annotations

import glob
import shutil
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

from loader import __version__
from loader.database import connect, default_database, memory_limit
from loader.errors import LoaderError
from loader.formats import (
    InputMapping,
    detect_format,
    json_struct,
    read_csv_rows,
    read_json_document,
    read_parquet_rows,
    repack_sql,
)
from loader.migrations import migrate
from loader.progress import Progress
from loader.readers import read_json_lines, scan_file
from loader.rules import RULES, SHAPES, clean_sql, parse_timestamp, violation_sql

KINDS = ("items", "extractions")
TARGET_TABLE = {"items": "raw.ingestion_items", "extractions": "raw.extraction_results"}

# The columns each kind lands with, as SQL over the structs `j` (JSON text per field) and
# `v` (unescaped string fields) that loader/rules.py describes.
PROJECTION = {
    "items": f"""
        v.item_id as item_id,
        v.title as title,
        v.description as description,
        v.raw_category as raw_category,
        coalesce(j.raw_attributes, '{{}}'::json) as raw_attributes,
        v.source as source,
        v.language as language,
        coalesce(j.metadata, '{{}}'::json) as metadata,
        coalesce({parse_timestamp("v.ingested_at")}, $loaded_at) as ingested_at
    """,
    "extractions": f"""
        v.item_id as item_id,
        coalesce(j.attributes, '[]'::json) as attributes,
        coalesce(j.terms, '[]'::json) as terms,
        j.metadata as metadata,
        j.metadata->>'$.model' as model,
        j.metadata->>'$.run_id' as run_id,
        {parse_timestamp("j.metadata->>'$.extracted_at'")} as extracted_at,
        try_cast(j.metadata->>'$.processing_time_ms' as double)::bigint as processing_time_ms
    """,
}
# What makes two records the same record (ingested_at is when, not what): the JSON text of
# these fields, in this order. _record_hash is DuckDB's 64-bit hash() of them, as 16 hex
# digits: it only tells changed records from unchanged ones, and md5 over the whole record
# cost a fifth of a load. hash() is stable for a DuckDB version (pinned in constraints.txt);
# tests/python/loader/test_load.py pins a value, so an upgrade that changes it is noticed.
HASHED = {
    "items": (
        "item_id",
        "title",
        "description",
        "raw_category",
        "raw_attributes",
        "source",
        "language",
        "metadata",
    ),
    "extractions": ("item_id", "attributes", "terms", "metadata"),
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


# Blank lines are not rows. (The first test is there for speed: lines start with `{`.)
LINES_SQL = """
    select * from lines
    where text is null or starts_with(text, '{') or trim(text) <> ''
"""


def _checked_sql(kind: str, parsed: str, mapping: InputMapping, *, clean: bool) -> str:
    """The rows of `parsed` (a query giving `j`, the JSON text of each field, beside the
    line's columns) with their text fields and the hash of their canonical record: with
    `clean`, only the rows that break no rule; else only the others, each with the first
    rule it breaks (`violation`). The two are complements by construction."""
    shape = SHAPES[kind]
    hashed = ", ".join(f"coalesce(j.{f}, 'null')" for f in HASHED[kind])
    # with aliases or defaults, each field is taken from the first of its names present
    renamed = f"select * replace ({repack_sql(kind, mapping)} as j)" if mapping else "select *"
    keep = clean_sql(RULES[kind])
    return f"""
        with parsed as (
            {parsed}
        ),
        renamed as (
            {renamed} from parsed
        ),
        typed as (
            select *, {shape.text_values()} as v
            from renamed
        )
        select
            *,
            {"null" if clean else violation_sql(RULES[kind])} as violation,
            format('{{:016x}}', hash({hashed})) as record_hash
        from typed
        where {keep if clean else f"not ({keep})"}
    """


def _validated_sql(kind: str, mapping: InputMapping, *, clean: bool) -> str:
    """_checked_sql over the registered Arrow table `lines`, each line parsed once."""
    parsed = (
        f"select *, try(json_transform(text, '{json_struct(kind, mapping)}')) as j "
        f"from ({LINES_SQL})"
    )
    return _checked_sql(kind, parsed, mapping, clean=clean)


def _fast_insert_sql(kind: str) -> str:
    """The fast path for JSON Lines: DuckDB's own parallel reader parses the file straight
    into the target (line numbers are set afterwards, see _number_fast_rows). Exact only
    when every line lands; _load_file checks that."""
    columns = ", ".join(f"'{f}': 'JSON'" for f in SHAPES[kind].fields)
    parsed = f"""
        select
            0::bigint as line_number,
            j,
            null::varchar as reader_error,
            '{{}}' as text
        from (
            select struct_pack(*columns(*)) as j
            -- lines over the reader's 16 MB object size fail here and take the careful path
            from read_json($path, format = 'newline_delimited', columns = {{{columns}}})
        )
    """
    return _insert_rows_sql(
        kind, TARGET_TABLE[kind], _checked_sql(kind, parsed, InputMapping(), clean=True)
    )


def _insert_rows_sql(kind: str, into: str, clean_rows: str) -> str:
    """Insert the rows of the query `clean_rows` into `into`, as raw.* stores them."""
    return f"""
        insert into {into} by name
        select
            {PROJECTION[kind]},
            $load_id as _load_id,
            line_number as _line_number,
            $loaded_at as _loaded_at,
            record_hash as _record_hash
        from ({clean_rows})
    """


def _insert_rejects_sql(kind: str, mapping: InputMapping, into: str) -> str:
    return f"""
        insert into {into}
        select $load_id, $kind, $file_path, line_number,
            violation.rule, violation.field, violation.message,
            text, case when text is null then payload end, $loaded_at
        from ({_validated_sql(kind, mapping, clean=False)})
    """


def _read_rows(con, kind: str, path: Path, fmt: str, mapping: InputMapping, separator: bool):
    """The file's rows as lines tables, and the mapping still to apply to their JSON."""
    if fmt == "jsonl":
        return read_json_lines(path, parallel=not separator), mapping
    if fmt == "json":
        return read_json_document(con, path), mapping
    reader = read_csv_rows if fmt == "csv" else read_parquet_rows
    return reader(con, path, kind, mapping), InputMapping()  # aliases applied to the columns


def _load_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    source: Source,
    *,
    mapping: InputMapping,
    force: bool,
    schema_version: int,
    progress: Progress,
) -> FileReport:
    path = source.path
    report = FileReport(path=source.label, status="loaded", sha256="")
    report.load_id = f"{kind}-{uuid.uuid4().hex[:12]}"
    fast = source.format == "jsonl" and not mapping
    attempt = None  # (rows landed, load time) once the fast path has been tried
    if fast and not _path_loaded(con, kind, source.label):
        # A file not seen under this name before: DuckDB loads it while another thread
        # hashes it, and the sha256 is checked before anything commits. (A file seen before
        # is hashed first, so that running a load again skips it without reading it twice.)
        with ThreadPoolExecutor(max_workers=1) as pool:
            scanning = pool.submit(scan_file, path)
            try:
                attempt = _try_fast_insert(con, kind, path, report.load_id)
            finally:
                scan = scanning.result()  # waits for the hash even when the insert fails
    else:
        scan = scan_file(path)
    report.sha256 = sha = scan.sha256
    previous = con.execute(
        "select load_id from raw.load_batches where kind = ? and file_sha256 = ? "
        "order by finished_at desc limit 1",
        [kind, sha],
    ).fetchone()
    if previous and not force:
        if attempt and attempt[0] is not None:
            con.execute("rollback")
        report.status = "skipped"
        report.load_id = previous[0]
        report.message = f"already loaded as {previous[0]} (same sha256); --force loads it again"
        return report

    ledger = {
        "kind": kind,
        "file_path": source.label,
        "sha": sha,
        "version": __version__,
        "schema_version": schema_version,
        "load_id": report.load_id,
    }
    if fast and not attempt and not scan.has_separator and scan.lines:
        attempt = _try_fast_insert(con, kind, path, report.load_id)
    if attempt and attempt[0] is not None:
        landed, loaded_at = attempt
        # kept only when every line landed (then line numbers are exact too) and no line
        # holds a raw 0x1F (see read_json_lines)
        if landed == scan.lines and scan.lines and not scan.has_separator:
            # the batch commits whole; its line numbers follow in a second, small
            # transaction (see _number_fast_rows), which a later load finishes if the
            # loader dies in between
            _insert_ledger(
                con, ledger, loaded_at, read=landed, loaded=landed, rejected=0,
                status="numbering",
            )  # fmt: skip
            con.execute("commit")
            _number_fast_rows(con, kind, report.load_id)
            report.rows_read = report.rows_loaded = landed
            progress.advance(landed)
            return report
        con.execute("rollback")
    # Rows and rejects are staged in temporary tables first (each chunk its own statement:
    # temporary tables spill to disk, so memory stays flat whatever the file size), then
    # published to raw.* together with the ledger row in one transaction. A killed loader
    # leaves only its temporary tables behind, and those die with its connection.
    staged = {"rows": f"staged_{kind}", "rejects": "staged_rejects"}
    con.execute(
        f"create or replace temp table {staged['rows']} as "
        f"select * from {TARGET_TABLE[kind]} limit 0"
    )
    con.execute(
        f"create or replace temp table {staged['rejects']} as "
        "select * from raw.rejected_rows limit 0"
    )
    try:
        rows, mapping = _read_rows(con, kind, path, source.format, mapping, scan.has_separator)
        insert_rows = _insert_rows_sql(
            kind, staged["rows"], _validated_sql(kind, mapping, clean=True)
        )
        insert_rejects = _insert_rejects_sql(kind, mapping, into=staged["rejects"])
        loaded_at = con.execute("select now()").fetchone()[0]
        params = {"load_id": report.load_id, "loaded_at": loaded_at}
        for lines in rows:
            con.register("lines", lines)
            landed = con.execute(insert_rows, params).fetchone()[0]
            read = con.execute(f"select count(*) from ({LINES_SQL})").fetchone()[0]
            if landed < read:  # validate again, only here, to say why the others did not land
                con.execute(insert_rejects, {**params, "kind": kind, "file_path": source.label})
            con.unregister("lines")
            report.rows_read += read
            report.rows_loaded += landed
            progress.advance(read)
        report.rejects_by_rule = dict(
            con.execute(
                f"select rule, count(*) from {staged['rejects']} "
                "group by rule order by count(*) desc, rule"
            ).fetchall()
        )
        report.rows_rejected = sum(report.rejects_by_rule.values())
        # nothing lost: every row read either landed or was rejected, or nothing commits
        if report.rows_read != report.rows_loaded + report.rows_rejected:
            raise LoaderError(
                f"{path}: read {report.rows_read} rows but loaded {report.rows_loaded} "
                f"and rejected {report.rows_rejected}; nothing was committed"
            )
        con.execute("begin transaction")
        try:
            published = con.execute(
                f"insert into {TARGET_TABLE[kind]} select * from {staged['rows']}"
            ).fetchone()[0]
            con.execute(f"insert into raw.rejected_rows select * from {staged['rejects']}")
            _insert_ledger(
                con,
                ledger,
                loaded_at,
                read=report.rows_read,
                loaded=report.rows_loaded,
                rejected=report.rows_rejected,
            )
            if published != report.rows_loaded:
                raise LoaderError(
                    f"{path}: {published} rows published, {report.rows_loaded} staged"
                )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        for table in staged.values():
            con.execute(f"drop table if exists {table}")
    return report


def _path_loaded(con, kind: str, label: str) -> bool:
    """Whether a file of this kind was loaded under this name before."""
    return bool(
        con.execute(
            "select count(*) from raw.load_batches where kind = ? and file_path = ?",
            [kind, label],
        ).fetchone()[0]
    )


def _try_fast_insert(con, kind: str, path: Path, load_id: str) -> tuple[int | None, object]:
    """Most files are clean: DuckDB's own reader straight into raw.*, in a transaction the
    caller commits or rolls back. Returns the rows that landed and the load time; None rows
    (and no transaction left open) when DuckDB's reader refused a line: the careful path
    says which."""
    con.execute("begin transaction")
    loaded_at = con.execute("select now()").fetchone()[0]
    try:
        landed = con.execute(
            _fast_insert_sql(kind),
            {"path": str(path), "load_id": load_id, "loaded_at": loaded_at},
        ).fetchone()[0]
    except duckdb.Error:
        con.execute("rollback")
        return None, loaded_at
    return landed, loaded_at


def _number_fast_rows(con, kind: str, load_id: str) -> None:
    """Line numbers for rows the fast path loaded, and the batch's ledger status from
    `numbering` to `loaded`, in one transaction of its own. With insertion order preserved the
    file's k-th line is the batch's k-th row, and raw.* is append-only, so the numbering can
    follow the commit of the rows. (Numbering inside the rows' transaction makes DuckDB write
    every row a second time at commit, about 0.7 s per million rows; `row_number() over ()`
    in the insert runs on one thread.)"""
    con.execute("begin transaction")
    con.execute(
        f"""
        update {TARGET_TABLE[kind]}
        set _line_number = rowid - (
            select min(rowid) from {TARGET_TABLE[kind]} where _load_id = $load_id) + 1
        where _load_id = $load_id
        """,
        {"load_id": load_id},
    )
    con.execute(
        "update raw.load_batches set status = 'loaded' where load_id = $load_id",
        {"load_id": load_id},
    )
    con.execute("commit")


def finish_numbering(con) -> list[str]:
    """Number the batches a killed loader committed but did not number yet (ledger status
    `numbering`). Returns their load ids."""
    pending = con.execute(
        "select load_id, kind from raw.load_batches where status = 'numbering' order by load_id"
    ).fetchall()
    for load_id, kind in pending:
        _number_fast_rows(con, kind, load_id)
    return [load_id for load_id, _ in pending]


def _insert_ledger(
    con, ledger: dict, loaded_at, *, read: int, loaded: int, rejected: int, status="loaded"
) -> None:
    con.execute(
        """
        insert into raw.load_batches values
            ($load_id, $kind, $file_path, $sha, $read, $loaded, $rejected, $status,
             $loaded_at, now(), $version, $schema_version)
        """,
        {
            **ledger,
            "loaded_at": loaded_at,
            "read": read,
            "loaded": loaded,
            "rejected": rejected,
            "status": status,
        },
    )


@dataclass
class Source:
    path: Path  # what is read
    label: str  # what the ledger and the rejects call it
    format: str


def _sources(paths: list[str | Path], fmt: str | None, stdin_copy: Path | None) -> list[Source]:
    """Expand globs, check files exist, tell formats; `-` is standard input (JSON Lines)."""
    sources = []
    for given in paths:
        text = str(given)
        if text == "-":
            if stdin_copy is None:
                raise LoaderError("`-` (standard input) can be given once")
            sources.append(Source(stdin_copy, "<stdin>", fmt or "jsonl"))
            continue
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
        if not matches:
            raise LoaderError(f"{text}: no file matches")
        for match in matches:
            path = Path(match)
            if not path.is_file():
                raise LoaderError(f"{path}: no such file")
            sources.append(Source(path.resolve(), str(path.resolve()), detect_format(path, fmt)))
    return sources


def _copy_stdin(folder: Path) -> Path:
    """Standard input, copied to a file in chunks: the ledger needs its sha256 and a
    file can be read in parallel."""
    copy = folder / "stdin.jsonl"
    with copy.open("wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 4 << 20)
    return copy


def load_files(
    kind: str,
    paths: list[str | Path],
    database: str | Path | None = None,
    *,
    format: str | None = None,
    aliases: InputMapping | None = None,
    force: bool = False,
    wait: float = 0,
    progress: bool | None = None,
) -> LoadReport:
    """Load files of one kind (`items` or `extractions`) into the warehouse.

    `paths` may hold globs and `-` (JSON Lines on standard input); `format` overrides the
    format the extension tells; `aliases` maps source field names and defaults."""
    if kind not in KINDS:
        raise LoaderError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    mapping = aliases or InputMapping()
    mapping.check(kind)
    database = str(database or default_database())
    report = LoadReport(kind=kind, database=database)
    with tempfile.TemporaryDirectory(prefix="echo-roots-") as scratch:
        stdin_copy = _copy_stdin(Path(scratch)) if "-" in map(str, paths) else None
        sources = _sources(paths, format, stdin_copy)
        con = connect(database, wait=wait)
        try:
            schema_version = migrate(con, database)
            # Pushing the rules' filter below the projection would parse each line once per
            # rule; keep filters where the SQL puts them.
            con.execute("set disabled_optimizers = 'filter_pushdown'")
            con.execute("set preserve_insertion_order = true")  # the fast path's line numbers
            # the staging tables spill to disk beyond this (same variable as profiles.yml)
            con.execute("set memory_limit = ?", [memory_limit()])
            finish_numbering(con)  # what a killed loader left half numbered
            meter = Progress(sources, kind, enabled=progress)
            for source in sources:
                meter.start(source)
                report.files.append(
                    _load_file(
                        con,
                        kind,
                        source,
                        mapping=mapping,
                        force=force,
                        schema_version=schema_version,
                        progress=meter,
                    )
                )
            meter.finish()
        finally:
            con.close()
    return report


def load_items(paths, database=None, **options) -> LoadReport:
    """Load ingestion items into raw.ingestion_items (options as for load_files)."""
    return load_files("items", paths, database, **options)


def load_extractions(paths, database=None, **options) -> LoadReport:
    """Load LLM extraction results into raw.extraction_results (options as for load_files)."""
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
