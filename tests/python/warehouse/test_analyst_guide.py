"""The SQL of the README's analyst guide runs on a published copy of the built sample, and
each answer is checked against figures recomputed another way."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from loader import publish

REPO = Path(__file__).resolve().parents[3]
SECTION = "## Querying the warehouse (analysts)"


def guide_queries() -> dict[str, str]:
    """The section's ```sql blocks, keyed by their first line (a `-- ` comment)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    return {block.splitlines()[0].removeprefix("-- "): block for block in blocks}


@pytest.fixture(scope="module")
def published(tmp_path_factory, built_warehouse):
    """A read-only connection to a published copy of the built sample warehouse."""
    source = tmp_path_factory.mktemp("guide") / built_warehouse.name
    shutil.copyfile(built_warehouse, source)
    con = duckdb.connect(publish(source).published, read_only=True)
    yield con
    con.close()


def run(con, title: str) -> tuple[list[str], list[tuple]]:
    result = con.execute(guide_queries()[title])
    return [column[0] for column in result.description], result.fetchall()


def domain_pack(name: str) -> list[dict]:
    with (REPO / "seeds" / "domain_pack" / f"{name}.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["domain"] == "ecommerce"]


def test_the_guide_has_one_check_per_query():
    assert set(guide_queries()) == set(CHECKS)


def check_release(con, columns, rows):
    assert columns == ["taxonomy_version", "released_at", "published_at"]
    releases = con.execute("select taxonomy_version, released_at from taxonomy.releases").fetchall()
    assert [row[:2] for row in rows] == releases == [("2026.11", releases[0][1])]
    assert rows[0][2] >= rows[0][1]


def check_candidates(con, columns, rows):
    by_status = dict(
        con.execute(
            "select status, count(*) from taxonomy.semantic_candidates_v2 group by all"
        ).fetchall()
    )
    assert len(rows) == by_status["active"] == 129
    candidates = [dict(zip(columns, row, strict=True)) for row in rows]
    assert (candidates[0]["candidate_type"], candidates[0]["normalized_term"]) == (
        "attribute",
        "fabric",
    )
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    terms = {c["normalized_term"]: c for c in candidates}
    assert terms["watchos"]["attribute_id"] == "operating_system"
    assert terms["stainles steel"]["canonical_term"] == "stainless steel"
    # decided terms are not awaiting review: android 14 rejected, recycled polyester elevated
    assert "android 14" not in terms and "recycled polyester" not in terms


def check_missing_attributes(con, columns, rows):
    assert columns == ["item_id", "source", "category_id", "missing_attribute"]
    missing, incomplete = con.execute(
        "select sum(required_attribute_count - required_attributes_present),"
        " count(*) filter (where completeness < 1) from taxonomy.items"
    ).fetchone()
    assert len(rows) == missing == 69
    assert len({row[0] for row in rows}) == incomplete
    assert ("bz-000029", "bazaar_in", "jeans", "color") in rows
    assert ("bz-000029", "bazaar_in", "jeans", "size") in rows


def check_category_tree(con, columns, rows):
    assert columns == ["category", "label_zh_tw", "category_id", "status", "item_count"]
    seeded = {row["category_id"] for row in domain_pack("domain_categories")}
    zh_tw = {
        row["entity_id"]: row["label"]
        for row in domain_pack("domain_labels")
        if row["entity_type"] == "category" and row["locale"] == "zh-TW"
    }
    assert len(rows) == len(seeded) == 82
    assert {row[2]: row[1] for row in rows} == {cid: zh_tw.get(cid) for cid in seeded}
    assert rows[0][:3] == ("Apparel", "服飾", "apparel")
    assert ("    Backpacks", "後背包", "backpacks") in [row[:3] for row in rows]
    # a tree: every category comes after its parent, indented one level deeper
    parents = dict(con.execute("select category_id, parent_id from taxonomy.categories").fetchall())
    position = {row[2]: i for i, row in enumerate(rows)}
    depth = {row[2]: (len(row[0]) - len(row[0].lstrip())) // 2 for row in rows}
    for cid, parent in parents.items():
        if parent is not None:
            assert position[parent] < position[cid]
            assert depth[cid] == depth[parent] + 1


def check_coverage_by_source(con, columns, rows):
    assert columns[:3] == ["source", "items", "items_with_category"]
    recounted = con.execute(
        "select source, count(*), count(category_id) from taxonomy.items group by source"
    ).fetchall()
    assert sorted(row[:3] for row in rows) == sorted(recounted)
    assert [row[0] for row in rows] == ["north_mall", "taipei_market", "bazaar_in", "tokyo_select"]
    assert sum(row[1] for row in rows) == 400
    for row in rows:
        figures = dict(zip(columns, row, strict=True))
        assert 0 <= figures["category_coverage"] <= 1
        assert figures["candidate_backlog"] > 0


def check_least_normalized_attributes(con, columns, rows):
    assert columns == ["attribute_id", "observations", "normalization_rate"]
    recounted = con.execute(
        "select attribute_id, count(*), round(count(canonical_value) / count(*), 4)"
        " from taxonomy.item_attributes where attribute_id is not null group by all"
    ).fetchall()
    assert sorted(rows) == sorted(recounted)
    rates = [row[2] for row in rows]
    assert rates == sorted(rates)
    # the sample's numeric attributes are read with their units (weight, screen size, ...)
    assert dict((row[0], row[2]) for row in rows)["weight"] > 0.9


CHECKS = {
    "which release am I reading, published when": check_release,
    "candidates awaiting review, strongest evidence first": check_candidates,
    "items missing a required attribute of their category (inherited requirements included)": (
        check_missing_attributes
    ),
    "the category tree with its Traditional Chinese (zh-TW) labels": check_category_tree,
    "coverage by source: items, how many found a category, completeness, vocabulary, backlog": (
        check_coverage_by_source
    ),
    "the attributes whose values the rules normalize least": check_least_normalized_attributes,
}


@pytest.mark.parametrize("title", list(CHECKS))
def test_guide_query(published, title):
    columns, rows = run(published, title)
    assert rows, title
    CHECKS[title](published, columns, rows)
