"""BENCHMARKS.md holds one section per benchmark; each run rewrites its own section only."""

from __future__ import annotations

import re
from pathlib import Path


def write_section(path: Path, name: str, text: str) -> None:
    """Replace this benchmark's section of BENCHMARKS.md (between its markers), keep the rest."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text}{end}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    updated = pattern.sub(lambda _: block, current) if begin in current else current + "\n" + block
    path.write_text(updated, encoding="utf-8")
