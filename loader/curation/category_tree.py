"""A category tree as the importers read it: categories that point at their parent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from loader.warehouse import LoaderError


@dataclass(eq=False)
class Category:
    category_id: str
    parent: Category | None  # a reference, so renaming a parent's id renames it everywhere
    name: str
    where: str  # file:line, for messages

    @property
    def parent_id(self) -> str | None:
        return self.parent.category_id if self.parent else None


def unique_ids(categories: list[Category]) -> dict[str, str]:
    """Ids used more than once (the echo-roots tree has `keyboards` under music and under
    computers) are qualified with their parent: `computers.keyboards`. Returns the renames."""
    counts = Counter(c.category_id for c in categories)
    renames: dict[str, str] = {}
    for category in categories:
        if counts[category.category_id] > 1:
            new_id = f"{category.parent_id or 'root'}.{category.category_id}"
            renames[category.where] = new_id
            category.category_id = new_id
    if len(set(c.category_id for c in categories)) < len(categories):
        raise LoaderError("category ids are not unique even when qualified by their parent")
    return renames


def depth(category: Category) -> int:
    """Levels above the category: 0 for a root."""
    steps = 0
    while category.parent:
        category, steps = category.parent, steps + 1
    return steps
