"""Ids the warehouse can use for ids real taxonomies use.

An attribute id must match `[a-z][a-z0-9_]*` (it is a column-like name in the marts and in
queries). Shopify's handles do not always: `skirt/dress_length_type`, `3d_glasses_material`.
Such a handle gets a safe id (`skirt_dress_length_type`, `attr_3d_glasses_material`) and
keeps the original as its `handle`. Two handles never share an id: a safe id already taken
gets `_2`, `_3`, ... in handle order.
"""

from __future__ import annotations

import re

SAFE_ID = re.compile(r"[a-z][a-z0-9_]*")


def safe_id(handle: str) -> str:
    """`handle` lower-cased, each run of other characters an underscore, and `attr_` before
    one that does not start with a letter."""
    text = re.sub(r"[^a-z0-9_]+", "_", handle.strip().lower()).strip("_")
    return text if re.match(r"[a-z]", text) else f"attr_{text}"


def safe_ids(handles: list[str]) -> dict[str, str]:
    """handle -> a unique safe id. Handles that are already safe keep themselves; the others
    take their safe id, or that id with the first free suffix when it is taken."""
    if len(set(handles)) < len(handles):
        twice = sorted({h for h in handles if handles.count(h) > 1})
        raise ValueError(f"handles used twice: {', '.join(twice[:5])}")
    ids = {h: h for h in handles if SAFE_ID.fullmatch(h)}
    taken = set(ids.values())
    for handle in sorted(h for h in handles if h not in ids):
        candidate, n = safe_id(handle), 1
        while candidate in taken:
            n += 1
            candidate = f"{safe_id(handle)}_{n}"
        ids[handle] = candidate
        taken.add(candidate)
    return ids


def value_suffix(value_handle: str) -> str:
    """The value's own part of a Shopify value handle (`color__black` -> `black`), as it is
    written: `a+` and `a++` are different energy classes."""
    return value_handle.split("__", 1)[1] if "__" in value_handle else value_handle
