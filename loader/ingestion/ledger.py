"""The load ledger, raw.load_batches: one row per file loaded, committed with its rows.

Status `loaded`; `rejected` when rows were read and every one was rejected (such a file does
not count as loaded: the next load of it is not skipped); `numbering`, see below.

A clean JSON Lines file commits with status `numbering` and gets its rows' line numbers in a
second, small transaction (number_fast_rows); a loader killed in between leaves a whole
batch, which the next load numbers first (finish_numbering).
"""

from __future__ import annotations

from dataclasses import dataclass

from loader.ingestion.statements import TARGET_TABLE


@dataclass(frozen=True)
class Batch:
    """The ledger row of one file's load, but for its counts."""

    load_id: str
    kind: str
    file_path: str
    sha: str
    version: str
    schema_version: int


def path_loaded(con, kind: str, label: str) -> bool:
    """Whether a file of this kind was loaded under this name before."""
    return bool(
        con.execute(
            "select count(*) from raw.load_batches where kind = ? and file_path = ?",
            [kind, label],
        ).fetchone()[0]
    )


def previous_load(con, kind: str, sha: str) -> str | None:
    """The load id of the latest load of a file of this kind with this sha256 that counts as
    loaded: a batch whose every row was rejected (status `rejected`: a wrong --format, a CSV
    without its aliases) does not, so loading the file again with the right options reads it."""
    row = con.execute(
        "select load_id from raw.load_batches where kind = ? and file_sha256 = ? "
        "and status <> 'rejected' order by finished_at desc limit 1",
        [kind, sha],
    ).fetchone()
    return row[0] if row else None


def record_batch(
    con, batch: Batch, loaded_at, *, read: int, loaded: int, rejected: int, status="loaded"
) -> None:
    """The ledger row, inside the caller's transaction."""
    con.execute(
        """
        insert into raw.load_batches values
            ($load_id, $kind, $file_path, $sha, $read, $loaded, $rejected, $status,
             $loaded_at, now(), $version, $schema_version)
        """,
        {
            **batch.__dict__,
            "loaded_at": loaded_at,
            "read": read,
            "loaded": loaded,
            "rejected": rejected,
            "status": status,
        },
    )


def number_fast_rows(con, kind: str, load_id: str) -> None:
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
        number_fast_rows(con, kind, load_id)
    return [load_id for load_id, _ in pending]
