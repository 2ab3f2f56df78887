"""Exports for integrators from a published copy of the built sample: files named for the
release, the marts' rows in Parquet, CSV and JSON Lines, a changelog and a manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from loader import LoaderError, export, publish
from loader.release.export import DATASETS, FORMATS
from tests.python.project_copy import load_sample, run_loader

REPO = Path(__file__).resolve().parents[3]
VERSION = "2026.11"
PREFIX = f"echo-roots-{VERSION}"


@pytest.fixture(scope="module")
def published(tmp_path_factory, built_warehouse) -> Path:
    source = tmp_path_factory.mktemp("export") / built_warehouse.name
    shutil.copyfile(built_warehouse, source)
    return Path(publish(source).published)


@pytest.fixture(scope="module")
def exported(published, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    return export(published, out=out)


@pytest.fixture(scope="module")
def con(published, exported):
    """The published copy, read-only, to compare the files with."""
    con = duckdb.connect(str(published), read_only=True)
    yield con
    con.close()


def read_back(con, relation: str, path: Path) -> str:
    """SQL reading an exported file back with the relation's column types."""
    schema, table = relation.split(".")
    columns = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if path.suffix == ".parquet":
        return f"select * from read_parquet('{path}')"
    if path.suffix == ".jsonl":
        types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns)
        return f"select * from read_json('{path}', format = 'nd', columns = {{{types}}})"
    # CSV: list columns are JSON text
    types = ", ".join(
        f"'{name}': '{'VARCHAR' if kind.endswith('[]') else kind}'" for name, kind in columns
    )
    cells = ", ".join(
        f'from_json("{name}", \'["VARCHAR"]\') as "{name}"' if kind.endswith("[]") else name
        for name, kind in columns
    )
    return (
        f"select {cells} from read_csv('{path}', header = true, allow_quoted_nulls = false,"
        f" columns = {{{types}}})"
    )


def test_files_are_named_for_the_release(exported):
    folder = Path(exported.directory)
    assert folder.name == PREFIX
    expected = {f"{PREFIX}-{d}.{f}" for d in DATASETS for f in FORMATS}
    expected |= {f"CHANGELOG-{VERSION}.md", f"{PREFIX}-manifest.json"}
    assert set(os.listdir(folder)) == expected
    assert os.listdir(folder.parent) == [PREFIX]  # no temporary folder left
    assert exported.taxonomy_version == VERSION


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("extension", list(FORMATS))
def test_each_file_holds_exactly_the_marts_rows(con, exported, dataset, extension):
    relation, _ = DATASETS[dataset]
    path = Path(exported.directory) / f"{PREFIX}-{dataset}.{extension}"
    mart = con.execute(f"select count(*) from {relation}").fetchone()[0]
    assert mart > 0
    entry = next(e for e in exported.files if e["file"] == path.name)
    assert entry["rows"] == mart
    back = read_back(con, relation, path)
    assert con.execute(f"select count(*) from ({back})").fetchone()[0] == mart
    for left, right in ((f"select * from {relation}", back), (back, f"select * from {relation}")):
        assert con.execute(f"{left} except all {right}").fetchall() == []


def test_a_category_with_its_zh_tw_label_in_every_format(exported):
    folder = Path(exported.directory)
    reader = duckdb.connect()
    parquet = reader.execute(
        "select label_en, label_zh_tw, path_ids from read_parquet(?) where category_id = ?",
        [str(folder / f"{PREFIX}-categories.parquet"), "backpacks"],
    ).fetchall()
    reader.close()
    assert parquet == [("Backpacks", "後背包", ["apparel", "bags", "backpacks"])]
    with (folder / f"{PREFIX}-categories.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["category_id"] == "backpacks")
    assert (row["label_zh_tw"], json.loads(row["path_ids"])) == ("後背包", parquet[0][2])
    lines = (folder / f"{PREFIX}-categories.jsonl").read_text(encoding="utf-8").splitlines()
    objects = {o["category_id"]: o for o in map(json.loads, lines)}
    assert objects["electronics"]["label_zh_tw"] == "電子產品"  # seeds/domain_pack/domain_labels
    assert objects["backpacks"]["path_ids"] == ["apparel", "bags", "backpacks"]


def test_the_grey_to_gray_mapping(exported):
    lines = (Path(exported.directory) / f"{PREFIX}-mappings.jsonl").read_text(encoding="utf-8")
    grey = [o for o in map(json.loads, lines.splitlines()) if o["from_term"] == "grey"]
    assert [(o["attribute_id"], o["to_term"], o["scope"]) for o in grey] == [
        ("color", "gray", "value")
    ]


def test_the_changelog_lists_the_release_changes(con, exported):
    text = (Path(exported.directory) / f"CHANGELOG-{VERSION}.md").read_text(encoding="utf-8")
    total = con.execute("select count(*) from taxonomy.changes").fetchone()[0]
    assert f"\n## {VERSION} (built " in text
    assert f"\n### added ({total})\n" in text
    entries = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(entries) == total == 212
    assert "- mapping `m0001`: grey -> gray" in entries
    assert "- category `backpacks`: Backpacks" in entries


def test_manifest_has_counts_and_checksums(exported):
    folder = Path(exported.directory)
    manifest = json.loads((folder / f"{PREFIX}-manifest.json").read_text(encoding="utf-8"))
    assert manifest["taxonomy_version"] == VERSION
    assert manifest["source"]["published_at"] is not None
    listed = {entry["file"]: entry for entry in manifest["files"]}
    assert set(listed) == set(os.listdir(folder)) - {f"{PREFIX}-manifest.json"}
    for name, entry in listed.items():
        data = (folder / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert listed[f"{PREFIX}-categories.csv"]["rows"] == 82


def test_changelog_groups_by_release_then_change_type(tmp_path, published):
    """A later release (added here by hand) comes first, its change types in order."""
    database = tmp_path / published.name
    shutil.copyfile(published, database)
    con = duckdb.connect(str(database))
    con.execute(
        "insert into taxonomy.releases select '2026.12', released_at + interval 1 day, 'next',"
        " category_count, attribute_count, attribute_value_count, mapping_count"
        " from taxonomy.releases"
    )
    con.execute(
        "insert into taxonomy.changes select entity_type, entity_id, change_type, old_value,"
        " new_value, r.released_at + interval 1 hour, '2026.12', r.released_at from (values"
        " ('category', 'netbooks', 'removed', 'Netbooks', null),"
        " ('category', 'jeans', 'renamed', 'Jeans', 'Denim'),"
        " ('mapping', 'm0001', 'removed', 'grey -> gray', null))"
        " as t(entity_type, entity_id, change_type, old_value, new_value),"
        " (select released_at from taxonomy.releases where taxonomy_version = '2026.12') r"
    )
    con.close()
    report = export(database, out=tmp_path / "dist")
    assert report.taxonomy_version == "2026.12"
    folder = Path(report.directory)
    assert folder.name == "echo-roots-2026.12"
    text = (folder / "CHANGELOG-2026.12.md").read_text(encoding="utf-8")
    order = [
        "## 2026.12",
        "### removed (2)",
        "- category `netbooks`: Netbooks",
        "- mapping `m0001`: grey -> gray",
        "### renamed (1)",
        "- category `jeans`: Jeans -> Denim",
        "## 2026.11",
        "### added (212)",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)


def test_exporting_again_replaces_the_folder_whole(published, tmp_path):
    out = tmp_path / "dist"
    first = export(published, out=out)
    (Path(first.directory) / "stray.txt").write_text("from an older export")
    second = export(published, out=out)
    assert second.directory == first.directory
    assert os.listdir(out) == [PREFIX]
    assert "stray.txt" not in os.listdir(second.directory)


def test_a_warehouse_that_is_not_built_is_named_with_what_is_missing(tmp_path):
    database = tmp_path / "echo_roots.duckdb"
    load_sample(database)  # raw tables only, no dbt build
    with pytest.raises(LoaderError) as error:
        export(database, out=tmp_path / "dist")
    message = str(error.value)
    assert "not built" in message and str(database) in message
    for relation in ("taxonomy.categories", "taxonomy.mappings", "taxonomy.releases"):
        assert relation in message
    assert not (tmp_path / "dist").exists() or os.listdir(tmp_path / "dist") == []
    with pytest.raises(LoaderError, match="no such warehouse file.*publish"):
        export(tmp_path / "published" / "echo_roots.duckdb", out=tmp_path / "dist")


def test_cli_export(published, tmp_path):
    done = run_loader(
        "export", "--database", str(published), "--out", str(tmp_path / "dist"), "--json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["taxonomy_version"] == VERSION
    assert (tmp_path / "dist" / PREFIX / f"CHANGELOG-{VERSION}.md").exists()
    missing = run_loader("export", "--database", str(tmp_path / "nope.duckdb"))
    assert missing.returncode == 2
    assert "no such warehouse file" in missing.stderr


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]


def test_csv_cells_that_would_run_as_formulas_are_neutralized(published, tmp_path):
    """OWASP's CSV-injection guidance: a text cell starting with = + - @ (or tab, CR) gets a
    leading ' in CSV, so a spreadsheet shows it as text; Parquet and JSON Lines keep the
    text as it is."""
    hostile = tmp_path / published.name
    shutil.copyfile(published, hostile)
    con = duckdb.connect(str(hostile))
    ids = [
        r[0] for r in con.execute("select mapping_id from taxonomy.mappings order by 1").fetchall()
    ]
    for mapping_id, formula in zip(ids, FORMULAS, strict=False):
        con.execute(
            "update taxonomy.mappings set from_term = ? where mapping_id = ?",
            [formula, mapping_id],
        )
    con.close()
    folder = Path(export(hostile, out=tmp_path / "dist").directory)
    with (folder / f"{PREFIX}-mappings.csv").open(encoding="utf-8", newline="") as handle:
        cells = {row["mapping_id"]: row["from_term"] for row in csv.DictReader(handle)}
    reader = duckdb.connect()
    parquet = dict(
        reader.execute(
            f"select mapping_id, from_term from read_parquet('{folder}/{PREFIX}-mappings.parquet')"
        ).fetchall()
    )
    with (folder / f"{PREFIX}-mappings.jsonl").open(encoding="utf-8") as handle:
        jsonl = {row["mapping_id"]: row["from_term"] for row in map(json.loads, handle)}
    for mapping_id, formula in zip(ids, FORMULAS, strict=False):
        assert cells[mapping_id] == "'" + formula
        assert parquet[mapping_id] == jsonl[mapping_id] == formula
    untouched = [i for i in ids[len(FORMULAS) :] if not cells[i].startswith("'")]
    assert untouched and all(cells[i] == parquet[i] for i in untouched)
