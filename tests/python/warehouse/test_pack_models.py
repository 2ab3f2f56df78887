"""Pack-level models (macros/pack_models.sql) are rebuilt only when the domain pack changed:
a build with the same seeds leaves them as they are, a seed edit rebuilds them, and what
they hold then equals a full rebuild's."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.python.project_copy import build_copy, copy_project, edit_seed, load_sample

PACK_MODEL = "int_value_terms_indexed"


def _compiled(tmp_path: Path) -> str:
    path = tmp_path / "target" / "compiled" / "echo_roots" / "models" / "intermediate"
    return (path / "vocabulary" / f"{PACK_MODEL}.sql").read_text(encoding="utf-8")


def _terms(database: Path) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(
            f"select attribute_id, term, value_id, match_type, pack_fingerprint "
            f"from intermediate.{PACK_MODEL} order by all"
        ).fetchall()
    finally:
        con.close()


def test_pack_models_rebuild_only_when_the_pack_changed(dbt, tmp_path):
    root = copy_project(tmp_path / "project")
    database = tmp_path / "warehouse.duckdb"
    load_sample(database)

    def build(*extra: str) -> None:
        build_copy(dbt, root, database, tmp_path, *extra)

    build()
    first = _terms(database)
    assert "where true" in _compiled(tmp_path) and len({row[-1] for row in first}) == 1

    build()  # nothing changed: the select writes nothing, the table stays
    assert "where false" in _compiled(tmp_path)
    assert _terms(database) == first

    # a reviewer adds a Korean label to a value: the pack changed, the table is rebuilt
    seeds = root / "seeds" / "domain_pack"
    edit_seed(
        seeds,
        "domain_labels",
        lambda rows: [
            *rows,
            {
                "domain": "ecommerce",
                "entity_type": "value",
                "entity_id": "color.black",
                "locale": "ko",
                "label": "검정",
            },
        ],
    )
    build()
    assert "where true" in _compiled(tmp_path)
    changed = _terms(database)
    assert ("color", "검정", "color.black", "alias") in [row[:4] for row in changed]
    assert changed[0][-1] != first[0][-1]  # a new fingerprint

    build("--full-refresh")
    assert _terms(database) == changed
