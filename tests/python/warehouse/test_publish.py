"""Publishing: a checkpointed read-only copy for analysts, swapped in atomically, with every
view working, never blocked by its readers and never run while another process writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from loader import LoaderError, publish, published_path
from loader.release import copies, digests
from loader.release.copies import previous_copy, update_in_place
from loader.release.verify import (
    HEADER_SIZE,
    CopyCheck,
    broken_views,
    changed_blocks,
    damaged_blocks,
    unreadable_tables,
)
from tests.python.project_copy import run_loader
from tests.python.query_helpers import query

REPO = Path(__file__).resolve().parents[3]

# A separate process holding a connection, answering one SQL statement per stdin line as JSON.
HOLDER = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
print("ready", flush=True)
for line in sys.stdin:
    try:
        print(json.dumps(con.execute(line).fetchall(), default=str), flush=True)
    except duckdb.Error as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
"""


class Holder:
    """Another process (an analyst, or a writer) with the file open until `close()`."""

    def __init__(self, database: Path, mode: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready", self.process.stderr.read()

    def ask(self, sql: str):
        self.process.stdin.write(sql.replace("\n", " ") + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _copies_in(folder: Path) -> list[str]:
    """The files of a published folder but the digests of its copies' blocks, which are
    checked to describe no other file than those copies."""
    names = sorted(os.listdir(folder))
    copies = [name for name in names if not name.endswith(".blocks")]
    for name in set(names) - set(copies):
        inodes = {str((folder / copy).stat().st_ino) for copy in copies}
        assert set(os.listdir(folder / name)) <= inodes
    return copies


@pytest.fixture
def source(tmp_path, built_warehouse) -> Path:
    """A private copy of the built sample warehouse (same file name), free to change."""
    assert not Path(f"{built_warehouse}.wal").exists()
    copy = tmp_path / "warehouse" / built_warehouse.name
    copy.parent.mkdir()
    shutil.copyfile(built_warehouse, copy)
    return copy


def test_published_copy_sits_beside_the_warehouse_under_its_name(source):
    report = publish(source)
    target = source.parent / "published" / source.name
    assert Path(report.published) == target == published_path(source)
    assert _copies_in(target.parent) == [source.name]  # no temporary file left
    assert report.taxonomy_version == "2026.11"
    assert report.bytes == target.stat().st_size


def test_every_view_of_the_published_copy_can_be_queried_read_only(source):
    target = Path(publish(source).published)
    con = duckdb.connect(str(target), read_only=True)
    try:
        views = con.execute(
            "select schema_name || '.' || view_name from duckdb_views() where not internal"
        ).fetchall()
        counts = {v: con.execute(f"select count(*) from {v}").fetchone()[0] for (v,) in views}
        source_views = query(
            source, "select schema_name || '.' || view_name from duckdb_views() where not internal"
        )
        source_tables = query(source, "select count(*) from duckdb_tables()")[0][0]
        tables = con.execute("select count(*) from duckdb_tables()").fetchone()[0]
    finally:
        con.close()
    assert "taxonomy.semantic_candidates" in counts
    # every view of the warehouse came along and reads (staging views name their catalog)
    assert sorted(counts) == sorted(v for (v,) in source_views)
    assert sum(view.startswith("staging.") for view in counts) == 13
    assert (
        counts["taxonomy.semantic_candidates"]
        == query(source, "select count(*) from taxonomy.semantic_candidates_v2")[0][0]
    )
    assert all(n > 0 for n in counts.values()), counts
    assert tables == source_tables + 1  # meta.publication


def test_a_copy_under_another_file_name_breaks_the_views(source):
    """Why the copy keeps the file name: views name their catalog, the file's stem."""
    other = source.parent / "analyst_copy.duckdb"
    shutil.copyfile(source, other)
    con = duckdb.connect(str(other), read_only=True)
    try:
        broken = broken_views(con, "analyst_copy")
    finally:
        con.close()
    assert any(line.startswith("taxonomy.semantic_candidates:") for line in broken)
    assert any(line.startswith("staging.") for line in broken)


def test_the_copy_records_when_it_was_published_and_which_release(source):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    report = publish(source, to=source.parent.parent / "for_analysts")
    rows = query(
        report.published,
        "select p.taxonomy_version, p.published_at, p.source_database, p.loader_version,"
        " p.released_at = r.released_at, p.invocation_id = r.invocation_id"
        " from meta.publication p join taxonomy.releases r using (taxonomy_version)",
    )
    assert len(rows) == 1
    version, published_at, database, loader_version, same_time, same_invocation = rows[0]
    assert (version, database, loader_version) == ("2026.11", str(source.resolve()), "0.1.0")
    assert same_time and same_invocation
    assert before <= published_at <= datetime.now(timezone.utc)
    # the warehouse held the stamp for the copy to carry it, and holds it no more
    assert query(source, "select count(*) from duckdb_schemas() where schema_name = 'meta'") == [
        (0,)
    ]


def test_republishing_while_an_analyst_reads_the_old_copy(source):
    target = Path(publish(source).published)
    analyst = Holder(target, "read_only")
    try:
        assert analyst.ask("select taxonomy_version from meta.publication") == [["2026.11"]]
        # the dev warehouse stays writable while an analyst has the copy open: a new release
        con = duckdb.connect(str(source))
        con.execute(
            "insert into taxonomy.releases select '2026.12', released_at + interval 1 day,"
            " 'next-build', category_count, attribute_count, attribute_value_count,"
            " mapping_count from taxonomy.releases"
        )
        con.close()

        assert publish(source).taxonomy_version == "2026.12"

        # the analyst's open connection still reads the copy it opened, whole
        assert analyst.ask("select taxonomy_version from meta.publication") == [["2026.11"]]
        assert analyst.ask("select count(*) from taxonomy.releases") == [[1]]
        assert analyst.ask("select count(*) from taxonomy.semantic_candidates")[0][0] > 0
    finally:
        analyst.close()
    # a new connection sees the new copy
    assert query(target, "select taxonomy_version from meta.publication") == [("2026.12",)]
    assert query(target, "select count(*) from taxonomy.releases") == [(2,)]


def test_publish_does_not_run_while_another_process_writes(source):
    target = Path(publish(source).published)
    inode = target.stat().st_ino
    writer = Holder(source, "read_write")
    try:
        with pytest.raises(LoaderError, match="another process holds this warehouse file"):
            publish(source)
    finally:
        writer.close()
    assert target.stat().st_ino == inode  # the published copy was left alone
    assert _copies_in(target.parent) == [source.name]
    publish(source, wait=5)
    assert target.stat().st_ino != inode


def test_publish_refuses_a_warehouse_that_is_not_built(tmp_path):
    database = tmp_path / "echo_roots.duckdb"
    duckdb.connect(str(database)).close()
    with pytest.raises(LoaderError, match=r"not built: missing taxonomy\.releases"):
        publish(database)
    assert not (tmp_path / "published" / "echo_roots.duckdb").exists()
    with pytest.raises(LoaderError, match="no such warehouse file"):
        publish(tmp_path / "missing.duckdb")


def test_cli_publish(source, tmp_path):
    to = tmp_path / "shared"
    done = run_loader("publish", "--database", str(source), "--to", str(to))
    assert done.returncode == 0, done.stderr
    assert f"-> {to / source.name}" in done.stdout
    assert "duckdb -readonly" in done.stdout
    assert query(to / source.name, "select taxonomy_version from meta.publication") == [
        ("2026.11",)
    ]
    unbuilt = tmp_path / "empty.duckdb"
    duckdb.connect(str(unbuilt)).close()
    failed = run_loader("publish", "--database", str(unbuilt))
    assert failed.returncode == 2
    assert "missing taxonomy.releases" in failed.stderr


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7, 0.9])
def test_a_damaged_warehouse_is_not_published(source, share):
    """1 MB of the warehouse overwritten (a disk fault, a bad copy) somewhere in its blocks:
    publish refuses it, whether DuckDB notices when it opens the file or only when a table is
    read whole, and the good published copy stays as it was."""
    published = Path(publish(source).published)
    before = _sha256(published)
    with source.open("r+b") as warehouse:
        warehouse.seek(int(source.stat().st_size * share) // 4096 * 4096)
        warehouse.write(b"\xab" * (1 << 20))
    with pytest.raises(LoaderError) as error:
        publish(source)
    message = str(error.value)
    assert "nothing published" in message or "the warehouse file is damaged" in message
    assert "checksum" in message
    assert _sha256(published) == before
    assert _copies_in(published.parent) == [source.name]  # no temporary file left


def _table_rows(database: Path) -> int:
    tables = query(
        database,
        "select schema_name, table_name from duckdb_tables() where not internal",
    )
    return sum(
        query(database, f'select count(*) from "{schema}"."{table}"')[0][0]
        for schema, table in tables
    )


def test_a_republished_copy_is_checked_where_its_blocks_changed(source):
    """The first publication reads every row of the copy; the next one compares the new copy
    with the published one block by block and checks the checksums of the blocks that
    differ, reading no rows, yet it still holds every change."""
    first = publish(source)
    assert first.changed_blocks is None
    assert first.rows_checked == _table_rows(Path(first.published))  # every row, the stamp too

    unchanged = publish(source)
    # the stamp's table and DuckDB's metadata: 3-8 of the sample's 75 blocks seen
    assert 0 < unchanged.changed_blocks < unchanged.blocks / 5
    assert unchanged.rows_checked == 0

    con = duckdb.connect(str(source))
    con.execute(
        "create table main.appended as select range as n, md5(range::varchar) as digest "
        "from range(100000)"
    )
    con.close()
    changed = publish(source)
    new_blocks = query(
        source,
        "select count(distinct block_id) from pragma_storage_info('main.appended') "
        "where block_id >= 0",
    )[0][0]
    assert new_blocks > 5
    assert changed.changed_blocks >= new_blocks  # the new table's blocks among them
    assert changed.rows_checked == 0
    assert query(changed.published, "select count(*), sum(n) from main.appended") == [
        (100000, sum(range(100000)))
    ]


def test_the_block_checksum_is_duckdbs(source):
    """Every block of a warehouse DuckDB wrote passes the checksum verify.py computes, and a
    block with one byte changed fails it, as DuckDB itself fails it when it reads the block."""
    size = query(source, "select block_size from pragma_database_size()")[0][0]
    blocks = (source.stat().st_size - HEADER_SIZE) // size
    assert blocks > 10
    assert damaged_blocks(source, set(range(blocks)), size) == []
    block = query(
        source,
        "select min(block_id) from pragma_storage_info('taxonomy.items') where block_id >= 0",
    )[0][0]
    with source.open("r+b") as warehouse:
        warehouse.seek(HEADER_SIZE + block * size + size // 2)
        byte = warehouse.read(1)
        warehouse.seek(-1, os.SEEK_CUR)
        warehouse.write(bytes([byte[0] ^ 1]))
    assert damaged_blocks(source, set(range(blocks)), size) == [block]
    with pytest.raises(duckdb.Error, match="checksum"):
        query(source, "select count(*), sum(hash(t)) from taxonomy.items t")


@pytest.mark.parametrize("row_group", [0, 2])
def test_a_block_damaged_since_the_last_publication_is_found(source, row_group):
    """A block of one row group of a table of three damaged after a publication: the next
    publication finds that the block differs, that it fails its checksum and which table
    holds it (where verify.py places it), and refuses the copy."""
    con = duckdb.connect(str(source))
    con.execute(
        "create table main.many as "
        "select range as n, md5(range::varchar) as digest from range(300000)"
    )
    con.close()
    publish(source)
    block = query(
        source,
        "select min(block_id) from pragma_storage_info('main.many') "
        f"where column_name = 'digest' and block_id >= 0 and row_group_id = {row_group}",
    )[0][0]
    size = query(source, "select block_size from pragma_database_size()")[0][0]
    with source.open("r+b") as warehouse:
        warehouse.seek(HEADER_SIZE + block * size + 4096)
        warehouse.write(b"\xab" * 4096)
    with pytest.raises(LoaderError, match=r"main\.many: .*checksum"):
        publish(source)


def test_the_previous_copy_is_brought_up_to_date_unless_someone_reads_it(source):
    """The copy a publication replaces is kept and, once nobody reads it, the next publication
    writes only its blocks that differ instead of a whole new file; while an analyst still
    reads it, a new file is written and the analyst's copy is left alone."""
    first = Path(publish(source).published)
    first_inode = first.stat().st_ino
    publish(source)
    previous = previous_copy(first)
    assert previous.stat().st_ino == first_inode  # the replaced copy, kept

    analyst = Holder(previous, "read_only")  # opened before it was replaced
    try:
        publish(source)  # a new file: the kept copy is read
        assert first_inode not in {first.stat().st_ino, previous.stat().st_ino}
        assert analyst.ask("select count(*) from taxonomy.releases") == [[1]]
    finally:
        analyst.close()

    con = duckdb.connect(str(source))
    con.execute("create table main.appended as select range as n from range(1000)")
    con.close()
    reused = previous.stat().st_ino
    report = publish(source)  # nobody reads the kept copy now: it is brought up to date
    assert first.stat().st_ino == reused
    assert 0 < report.changed_blocks < report.blocks
    assert query(first, "select count(*), sum(n) from main.appended") == [(1000, 499500)]
    con = duckdb.connect(str(first), read_only=True)
    try:
        assert unreadable_tables(con, first.stem, CopyCheck(0, None), every_row=True) == []
    finally:
        con.close()
    assert _table_contents(first) == _table_contents(source)
    assert _copies_in(first.parent) == sorted([first.name, previous.name])


def _table_contents(database: Path) -> str:
    """Row count and hash of every table but the publication stamp."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where not internal and schema_name <> 'meta' order by all"
        ).fetchall()
        return str(
            [
                con.execute(f'select count(*), sum(hash(t)) from "{schema}"."{table}" t').fetchone()
                for schema, table in tables
            ]
        )
    finally:
        con.close()


def test_a_copy_that_failed_its_check_is_not_brought_up_to_date_again(source):
    """A damaged warehouse written into the kept copy fails the check; that copy is deleted
    rather than kept, so the damaged blocks it now shares with the warehouse are never taken
    for blocks read back before."""
    target = Path(publish(source).published)
    publish(source)
    assert previous_copy(target).exists()
    published = _sha256(target)
    with source.open("r+b") as warehouse:
        warehouse.seek(int(source.stat().st_size * 0.5) // 4096 * 4096)
        warehouse.write(b"\xab" * (1 << 20))
    for _ in range(2):
        with pytest.raises(LoaderError, match="checksum"):
            publish(source)
        assert _sha256(target) == published
        assert set(_copies_in(target.parent)) <= {target.name, previous_copy(target).name}


def test_blocks_are_compared_in_place_and_written_where_they_differ(tmp_path):
    # a file of a header and five blocks (the last one short), against a copy with blocks 1
    # and 4 changed and one block fewer: blocks 1 and 4 differ, and so does the one it lacks
    size = 4096
    source, copy = tmp_path / "source", tmp_path / "copy"
    blocks = [bytes([n]) * size for n in range(1, 5)] + [b"\x05" * 100]
    source.write_bytes(b"h" * HEADER_SIZE + b"".join(blocks))
    stale = list(blocks)
    stale[1] = b"\x09" * size
    copy.write_bytes(b"x" * HEADER_SIZE + b"".join(stale[:4]))
    assert changed_blocks(source, copy, size) == {1, 4}
    copy.write_bytes(b"x" * HEADER_SIZE + b"".join(stale[:4]) + b"\x06" * 100 + b"tail")
    assert changed_blocks(source, copy, size) == {1, 4}
    assert update_in_place(source, copy, size) == {1, 4}
    assert copy.read_bytes() == source.read_bytes()
    assert changed_blocks(source, copy, size) == set()
    assert changed_blocks(source, tmp_path / "none", size) is None


def test_the_kept_copy_is_brought_up_to_date_from_digests_without_reading_it(source, monkeypatch):
    """Each copy's block digests are kept beside it; the next publication into the kept copy
    finds the blocks to write from them and the warehouse alone (reading both files would
    fail here), and the copy it publishes matches the warehouse and its own digests."""
    target = Path(publish(source).published)
    publish(source)
    con = duckdb.connect(str(source))
    con.execute("create table main.appended as select range as n from range(1000)")
    con.close()

    def compared(*_):
        raise AssertionError("the kept copy was read")

    monkeypatch.setattr(copies, "changed_blocks", compared)  # both byte-by-byte compares
    report = publish(source)
    assert 0 < report.changed_blocks < report.blocks
    assert query(target, "select count(*), sum(n) from main.appended") == [(1000, 499500)]
    assert _table_contents(target) == _table_contents(source)
    size = query(source, "select block_size from pragma_database_size()")[0][0]
    assert digests.load(target, target, size) == digests.block_digests(target, size)


def test_a_kept_copy_written_to_since_is_compared_byte_by_byte(source):
    """A kept copy changed after it was published (here: a block overwritten) no longer
    matches its digests; the next publication compares it with the warehouse byte by byte,
    so the changed block is written again rather than trusted."""
    target = Path(publish(source).published)
    publish(source)
    kept = previous_copy(target)
    size = query(source, "select block_size from pragma_database_size()")[0][0]
    with kept.open("r+b") as copy:
        copy.seek(HEADER_SIZE + size * ((kept.stat().st_size - HEADER_SIZE) // size // 2))
        copy.write(b"\xab" * 4096)
    assert digests.load(kept, target, size) is None
    publish(source)
    assert digests.load(target, target, size) == digests.block_digests(target, size)
    assert _table_contents(target) == _table_contents(source)


def test_digests_kept_with_another_algorithm_are_not_used(source):
    """Digests of a copy kept by an earlier version (SHA-256, 32 bytes a block) do not match the
    algorithm in use: the next publication compares the kept copy byte by byte, and keeps new
    digests; a digest tells a block with one byte changed from the block before."""
    target = Path(publish(source).published)
    publish(source)
    kept = previous_copy(target)
    size = query(source, "select block_size from pragma_database_size()")[0][0]
    sidecar = target.with_name(f".{target.name}.blocks") / str(kept.stat().st_ino)
    header, _, body = sidecar.read_bytes().partition(b"\n")
    state = {**json.loads(header), "algorithm": "sha256"}
    sidecar.write_bytes(json.dumps(state).encode() + b"\n" + body + body)
    assert digests.load(kept, target, size) is None
    publish(source)
    assert digests.load(target, target, size) == digests.block_digests(target, size)
    assert _table_contents(target) == _table_contents(source)

    block = bytearray(target.read_bytes()[HEADER_SIZE : HEADER_SIZE + size])
    changed = target.with_name("changed")
    block[size // 2] ^= 1
    changed.write_bytes(bytes(HEADER_SIZE) + block + block)
    first, second = digests.block_digests(changed, size)
    assert first == second and len(first) == digests.DIGEST_SIZE
    assert first != digests.block_digests(target, size)[0]
