"""The original echo-roots category tree: YAML, nested `{id, name, level, children}` with
roots at `level: 1`."""

from __future__ import annotations

from pathlib import Path

import yaml

from loader.curation.category_tree import Category
from loader.warehouse import LoaderError


def read_echo_roots_yaml(path: Path) -> list[Category]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LoaderError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("categories"), list):
        raise LoaderError(f"{path}: expected a top-level `categories:` list")
    categories: list[Category] = []

    def walk(nodes: list, parent: Category | None, level: int, trail: str) -> None:
        for index, node in enumerate(nodes):
            where = f"{path}: {trail}[{index}]"
            if not isinstance(node, dict) or not node.get("id") or not node.get("name"):
                raise LoaderError(f"{where}: each category needs an `id` and a `name`")
            if node.get("level") is not None and node["level"] != level:
                raise LoaderError(
                    f"{where} ({node['id']}): level {node['level']}, but it is at depth {level}"
                )
            category = Category(str(node["id"]), parent, str(node["name"]), where)
            categories.append(category)
            walk(node.get("children") or [], category, level + 1, f"{trail}[{index}].children")

    walk(document["categories"], None, 1, "categories")
    return categories
