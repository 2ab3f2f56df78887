"""Google Product Taxonomy text files: one category per line, `<id> - Top > Sub > Leaf`,
`#` lines are comments. Ids are kept (`gpt-<id>`)."""

from __future__ import annotations

import re
from pathlib import Path

from loader.curation.category_tree import Category
from loader.warehouse import LoaderError


def read_google(path: Path) -> list[Category]:
    by_path: dict[str, Category] = {}
    categories = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = re.fullmatch(r"(\d+)\s+-\s+(.+)", line)
            if not match:
                raise LoaderError(
                    f"{path}:{number}: expected `<id> - Top > Sub > Leaf`, got {line[:80]!r}"
                )
            levels = [level.strip() for level in match[2].split(" > ")]
            full_path = " > ".join(levels)
            parent_path = " > ".join(levels[:-1])
            if len(levels) > 1 and parent_path not in by_path:
                raise LoaderError(
                    f"{path}:{number}: parent {parent_path!r} of {levels[-1]!r} is not defined "
                    "on an earlier line"
                )
            parent = by_path[parent_path] if len(levels) > 1 else None
            category = Category(f"gpt-{match[1]}", parent, levels[-1], f"{path}:{number}")
            by_path[full_path] = category
            categories.append(category)
    return categories
