"""A one-line progress display on standard error for large or multi-file loads."""

from __future__ import annotations

import sys
import time

LARGE = 64 << 20  # bytes: a single file at least this big shows progress


class Progress:
    """Shows `kind: file i/n name: rows so far, rows/s` on one line, redrawn at most five
    times a second. On by default when standard error is a terminal and the load is large
    or spans several files; `enabled` forces it on or off."""

    def __init__(self, sources, kind: str, *, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.sources, self.kind = sources, kind
        if enabled is None:
            big = sum(s.path.stat().st_size for s in sources) >= LARGE
            enabled = self.stream.isatty() and (len(sources) > 1 or big)
        self.enabled = enabled
        self.index, self.rows, self.started, self.drawn = 0, 0, time.monotonic(), 0.0
        self.label = ""

    def start(self, source) -> None:
        self.index += 1
        self.label = source.label
        self._draw(force=True)

    def advance(self, rows: int) -> None:
        self.rows += rows
        self._draw()

    def finish(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.drawn < 0.2):
            return
        self.drawn = now
        rate = self.rows / max(now - self.started, 1e-6)
        name = self.label if len(self.label) <= 40 else "..." + self.label[-37:]
        self.stream.write(
            f"\r{self.kind}: file {self.index}/{len(self.sources)} {name}: "
            f"{self.rows:,} rows ({rate:,.0f} rows/s)\x1b[K"
        )
        self.stream.flush()
