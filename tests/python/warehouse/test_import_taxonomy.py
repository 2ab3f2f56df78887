"""import-taxonomy: real external trees become the domain pack's category seeds, and the
category layer builds on them with every integrity test passing."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from loader import LoaderError, import_taxonomy
from tests.python.project_copy import build_copy, copy_project, load_sample

REPO = Path(__file__).resolve().parents[3]
# the shared datasets sit beside the checkout (CI puts them there); ECHO_ROOTS_SHARED overrides
DATASETS = Path(os.environ.get("ECHO_ROOTS_SHARED", REPO.parent / "shared")) / "datasets"
GOOGLE = DATASETS / "google_product_taxonomy_2021-09-21.en-US.txt"
ECHO_ROOTS = DATASETS / "echo_roots_ecommerce_taxonomy.zh-TW.yaml"
needs_datasets = pytest.mark.skipif(
    not GOOGLE.exists(), reason="../shared/datasets is not beside the checkout"
)


def test_google_lines_become_a_tree(tmp_path):
    source = tmp_path / "taxonomy.en-US.txt"
    source.write_text(
        "# Google_Product_Taxonomy_Version: 2021-09-21\n"
        "1 - Animals & Pet Supplies\n"
        "2 - Animals & Pet Supplies > Pet Supplies\n"
        "3 - Animals & Pet Supplies > Pet Supplies > Bird Supplies\n",
        encoding="utf-8",
    )
    report = import_taxonomy(source, tmp_path / "seeds", domain="pets")
    assert (report.categories, report.roots, report.max_depth, report.locale) == (3, 1, 2, "en-US")
    with (tmp_path / "seeds" / "domain_categories.csv").open(encoding="utf-8") as handle:
        rows = [(r["category_id"], r["parent_id"], r["name"]) for r in csv.DictReader(handle)]
    assert rows == [
        ("gpt-1", "", "Animals & Pet Supplies"),
        ("gpt-2", "gpt-1", "Pet Supplies"),
        ("gpt-3", "gpt-2", "Bird Supplies"),
    ]


def test_bad_google_line_says_where(tmp_path):
    source = tmp_path / "taxonomy.txt"
    source.write_text("1 - Animals\nnot a category line\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"taxonomy.txt:2: expected `<id> - Top > Sub > Leaf`"):
        import_taxonomy(source, tmp_path / "seeds", domain="pets")


def test_other_domains_are_kept(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REPO / "seeds" / "domain_pack" / "domain_categories.csv", seeds)
    source = tmp_path / "t.txt"
    source.write_text("1 - Animals\n", encoding="utf-8")
    import_taxonomy(source, seeds, domain="pets")
    import_taxonomy(source, seeds, domain="pets")  # again: replaces, does not duplicate
    with (seeds / "domain_categories.csv").open(encoding="utf-8") as handle:
        domains = [r["domain"] for r in csv.DictReader(handle)]
    assert domains.count("pets") == 1
    assert domains.count("ecommerce") == 82


@pytest.fixture(scope="module")
def project_with_imports(tmp_path_factory):
    """A copy of the dbt project with both real trees imported beside the sample domain,
    and the sample loaded so the raw layer exists (the whole DAG builds for any domain)."""
    root = tmp_path_factory.mktemp("project")
    copy_project(root)
    seeds = root / "seeds" / "domain_pack"
    google = import_taxonomy(GOOGLE, seeds, domain="google")
    echo_roots = import_taxonomy(ECHO_ROOTS, seeds, domain="echo_roots")
    database = root / "warehouse.duckdb"
    load_sample(database)
    return root, database, google, echo_roots


@needs_datasets
@pytest.mark.parametrize(
    ("domain", "categories", "roots", "levels"),
    [("google", 5595, 21, 7), ("echo_roots", 299, 73, 3)],
)
def test_imported_tree_builds_with_integrity_tests(
    project_with_imports, dbt, tmp_path, domain, categories, roots, levels
):
    root, database, *_ = project_with_imports
    result = build_copy(dbt, root, database, tmp_path, "--vars", f"{{domain: {domain}}}")
    assert "no_cycles_categories" in result.stdout and "level_follows_parent" in result.stdout
    con = duckdb.connect(str(database), read_only=True)
    try:
        built = con.execute(
            "select count(*), count(*) filter (where parent_id is null), max(level) + 1 "
            "from taxonomy.categories"
        ).fetchone()
        example = con.execute(
            "select path, label_en, label_zh_tw from taxonomy.categories "
            "where category_id in ('gpt-3', 'pc_peripherals.keyboards')"
        ).fetchone()
    finally:
        con.close()
    assert built == (categories, roots, levels)
    if domain == "google":
        assert example == (
            "Animals & Pet Supplies > Pet Supplies > Bird Supplies",
            "Bird Supplies",
            None,
        )
    else:
        assert example[1:] == (None, "鍵盤")
