"""What a load reports: per file, and for all the files of one call."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SHOWN_REJECTS = 5  # rejected rows a report carries per file, to show where to look


@dataclass
class FileReport:
    path: str
    status: str  # loaded | rejected (every row rejected: not marked as loaded) | skipped
    sha256: str
    load_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects_by_rule: dict[str, int] = field(default_factory=dict)
    # the first rejected rows (line order): line_number, field, rule, message
    first_rejects: list[dict] = field(default_factory=list)
    message: str = ""


@dataclass
class LoadReport:
    kind: str
    database: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def reject_rate(self) -> float:
        return self.rows_rejected / self.rows_read if self.rows_read else 0.0

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "database": self.database,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "reject_rate": round(self.reject_rate, 6),
            "files": [asdict(f) for f in self.files],
        }
