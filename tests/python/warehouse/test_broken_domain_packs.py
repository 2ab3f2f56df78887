"""The integrity tests catch broken domain packs: each case edits one seed row in a copy of
the project, rebuilds the affected models on a copy of the sample warehouse, and expects
the named test to fail."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.python.project_copy import copy_project, edit_seed

REPO = Path(__file__).resolve().parents[3]


def where(rows, key, value, **changes):
    return [{**row, **changes} if row[key] == value else row for row in rows]


def mapping(mapping_id, from_term, to_term, relation="alias", valid_from="2024-01-01", to=""):
    return {
        "domain": "ecommerce", "mapping_id": mapping_id, "scope": "value",
        "attribute_id": "color", "from_term": from_term, "to_term": to_term,
        "relation_type": relation, "valid_from": valid_from, "valid_to": to,
        "created_by": "test", "notes": "",
    }  # fmt: skip


CASES = {
    "mapping chain comes back to its start": (
        "domain_term_mappings",
        lambda rows: (
            rows + [mapping("x1", "teal blue", "ocean"), mapping("x2", "ocean", "teal blue")]
        ),
        "stg_domain_pack__term_mappings",
        "no_cycles_stg_domain_pack__term_mappings",
    ),
    "mapping window ends before it starts": (
        "domain_term_mappings",
        lambda rows: rows + [mapping("x1", "ocean", "blue", to="2023-01-01")],
        "stg_domain_pack__term_mappings",
        "valid_window_stg_domain_pack__term_mappings",
    ),
    "mapping maps a term to itself": (
        "domain_term_mappings",
        lambda rows: rows + [mapping("x1", "Blue", "blue")],
        "stg_domain_pack__term_mappings",
        "expression_is_true_stg_domain_pack__term_mappings",
    ),
    "category is its own grandparent": (
        "domain_categories",
        lambda rows: where(rows, "category_id", "computers", parent_id="laptops"),
        "stg_domain_pack__categories int_category_paths_resolved categories",
        "no_cycles_stg_domain_pack__categories_category_id",
    ),
    "merged into a deprecated category": (
        "domain_categories",
        lambda rows: where(rows, "category_id", "netbooks", merged_into="mp3_players"),
        "int_category_paths_resolved categories",
        "merged_into_active_categories",
    ),
    "value on a text attribute": (
        "domain_attribute_values",
        lambda rows: where(rows, "value_id", "color.black", attribute_id="brand"),
        "stg_domain_pack__attribute_values attribute_values",
        "relationships_where_attribute_values",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_pack_fails_its_test(case, built_warehouse, tmp_path, dbt):
    seed, change, models, failing_test = CASES[case]
    root = tmp_path / "project"
    copy_project(root)
    edit_seed(root / "seeds" / "domain_pack", seed, change)
    database = tmp_path / built_warehouse.name  # same name: views refer to their catalog
    shutil.copy(built_warehouse, database)
    built = dbt(
        ["build", "--project-dir", str(root), "--select", seed, *models.split()],
        database,
        tmp_path,
        DBT_PROFILES_DIR=str(root),
    )
    assert built.returncode == 1
    failed = re.findall(r"(?:FAIL|ERROR) \d* ?(\S+)", built.stdout)
    assert any(name.startswith(failing_test) for name in failed), built.stdout[-3000:]
