"""Taxonomy releases: the `taxonomy_version` var is checked at parse time, and two builds of a
project copy (release 2026.11, seed edits, release 2026.12) leave two rows in
taxonomy.releases and exactly the edits in taxonomy.changes."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.python.project_copy import copy_project, edit_seed
from tests.python.query_helpers import query


def set_vars(version) -> list[str]:
    return ["--vars", json.dumps({"taxonomy_version": version})]


@pytest.mark.parametrize(
    "command, version, shown",
    [
        ("parse", "2026.13", '"2026.13"'),  # no month 13
        ("build", "26.11", '"26.11"'),  # two-digit year; build stops before writing anything
        ("parse", "2026.11-", '"2026.11-"'),  # empty suffix
        ("parse", "2026.11-RC1", '"2026.11-RC1"'),  # suffix is lower case
        ("parse", 2026.10, "2026.1 (a number, not text: quote it)"),  # YAML's float
    ],
)
def test_bad_taxonomy_version_fails_naming_value_and_format(command, version, shown, tmp_path, dbt):
    result = dbt([command, *set_vars(version)], tmp_path / "never.duckdb", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Invalid taxonomy_version {shown}: expected YYYY.MM with a month 01-12" in output
    assert not (tmp_path / "never.duckdb").exists()


def test_version_with_suffix_parses(tmp_path, dbt):
    result = dbt(["parse", *set_vars("2026.11-rc1.2")], tmp_path / "never.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]


def changed(rows, key, edits=None, removed=(), added=()):
    """Rows with `edits[id]` applied, the `removed` ids dropped and the `added` rows appended."""
    edits = edits or {}
    return [{**row, **edits.get(row[key], {})} for row in rows if row[key] not in removed] + [
        *added
    ]


def edit_domain_pack(seeds) -> None:
    """The curators' pull request between the two releases."""
    e_readers = {
        "domain": "ecommerce", "category_id": "e_readers", "parent_id": "electronics",
        "name": "E-Readers", "status": "active", "merged_into": "",
        "description": "Devices for reading e-books.",
    }  # fmt: skip
    category_edits = {
        "pillows": {"name": "Bed Pillows"},
        "kettles": {"parent_id": "cookware"},
        "fitness_trackers": {"status": "merged", "merged_into": "smartwatches"},
    }
    value_edits = {
        "pattern.paisley": {"status": "deprecated"},
        "pattern.polka_dot": {"value": "polka dots"},
    }
    edit_seed(
        seeds,
        "domain_categories",
        lambda rows: changed(rows, "category_id", category_edits, added=[e_readers]),
    )
    edit_seed(
        seeds,
        "domain_attribute_values",
        lambda rows: changed(rows, "value_id", value_edits, removed={"pattern.herringbone"}),
    )
    edit_seed(
        seeds,
        "domain_term_mappings",
        lambda rows: changed(rows, "mapping_id", removed={"m0014"}),
    )


@pytest.fixture(scope="module")
def releases(tmp_path_factory, dbt, built_warehouse):
    """A fresh warehouse built as release 2026.11, the domain pack edited, built as 2026.12,
    then 2026.12 rebuilt. Returns (database, releases as they were before the rebuild).
    2026.11 is the project's taxonomy_version: its build is the session's, copied."""
    tmp = tmp_path_factory.mktemp("versioning")
    root = copy_project(tmp / "project")
    database = tmp / "echo_roots.duckdb"
    shutil.copy(built_warehouse, database)
    assert query(database, "select taxonomy_version from taxonomy.releases") == [("2026.11",)]

    def build(version, *select):
        # unit tests check SQL against fixed inputs, whatever the data: the session build runs them
        built = dbt(
            ["build", "--project-dir", str(root), "--exclude-resource-type", "unit_test"]
            + [*set_vars(version), *select],
            database,
            tmp,
            DBT_PROFILES_DIR=str(root),
        )
        assert built.returncode == 0, built.stdout[-5000:]

    edit_domain_pack(root / "seeds" / "domain_pack")
    build("2026.12")
    before_rebuild = query(database, "select * from taxonomy.releases order by released_at")
    build("2026.12", "--select", "releases+")
    return database, before_rebuild


CHANGES_IN_2026_12 = [
    ("category", "e_readers", "added", None, "E-Readers"),
    ("category", "fitness_trackers", "merged", None, "smartwatches"),
    ("category", "kettles", "moved", "kitchen_appliances", "cookware"),
    ("category", "pillows", "renamed", "Pillows", "Bed Pillows"),
    ("mapping", "m0014", "removed", "screen -> screen_size", None),
    ("value", "pattern.herringbone", "removed", "herringbone", None),
    ("value", "pattern.paisley", "deprecated", "active", "deprecated"),
    ("value", "pattern.polka_dot", "renamed", "polka dot", "polka dots"),
]


def test_second_release_lists_exactly_its_changes(releases):
    database, _ = releases
    assert CHANGES_IN_2026_12 == query(
        database,
        "select entity_type, entity_id, change_type, old_value, new_value"
        " from taxonomy.changes where taxonomy_version = '2026.12' order by all",
    )


def test_first_release_lists_every_entity_as_added(releases):
    database, _ = releases
    added = query(
        database,
        "select entity_type, count(*) filter (where change_type = 'added'), count(*)"
        " from taxonomy.changes where taxonomy_version = '2026.11' group by all order by all",
    )
    # the sample: 18 attributes, 82 categories, 21 mappings in force, 90 curated values
    # + recycled polyester, elevated by the sample decisions
    assert added == [
        ("attribute", 18, 18),
        ("category", 82, 82),
        ("mapping", 21, 21),
        ("value", 91, 91),
    ]


def test_releases_keep_one_row_per_version(releases):
    database, before_rebuild = releases
    rows = query(
        database,
        "select taxonomy_version, category_count, attribute_count, attribute_value_count,"
        " mapping_count from taxonomy.releases order by released_at",
    )
    assert rows == [("2026.11", 82, 18, 91, 21), ("2026.12", 83, 18, 90, 20)]
    # the rebuild of 2026.12 kept the first row: same time, same invocation
    assert query(database, "select * from taxonomy.releases order by released_at") == before_rebuild
    first, second = before_rebuild
    assert first[1] < second[1] and first[2] != second[2]


def test_changes_between_releases_and_since_a_date(releases):
    """The two queries of the README."""
    database, _ = releases
    between = query(
        database,
        """
        select entity_type, entity_id, change_type, old_value, new_value
        from taxonomy.changes
        where released_at > (select released_at from taxonomy.releases
                             where taxonomy_version = '2026.11')
          and released_at <= (select released_at from taxonomy.releases
                              where taxonomy_version = '2026.12')
        order by all
        """,
    )
    assert between == CHANGES_IN_2026_12
    since_release = query(
        database,
        """
        select count(*) from taxonomy.changes
        where changed_at >= (select released_at from taxonomy.releases
                             where taxonomy_version = '2026.12')
        """,
    )
    assert since_release == [(len(CHANGES_IN_2026_12),)]
    # both builds ran today: since a week ago is every change
    since_date = query(
        database,
        "select count(*) from taxonomy.changes where changed_at >= current_date - interval 7 days",
    )
    assert since_date == [(18 + 82 + 21 + 91 + len(CHANGES_IN_2026_12),)]


def test_snapshots_keep_the_removed_value(releases):
    database, _ = releases
    versions = query(
        database,
        """
        select value, status, dbt_is_deleted, dbt_valid_to is null
        from snapshots.attribute_values_snapshot
        where value_id = 'pattern.herringbone'
        order by dbt_valid_from
        """,
    )
    assert versions == [
        ("herringbone", "active", "False", False),
        ("herringbone", "active", "True", True),
    ]
