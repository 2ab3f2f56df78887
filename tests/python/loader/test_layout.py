"""The Python side's layout: one folder per job (ingestion, release, curation, engines) over one
shared module (warehouse.py), the CLI on top. No import runs back up, no job imports another,
and no module or function grows past the size a reader takes in at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "loader"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
SHARED = {"loader.warehouse", "loader.version"}
JOBS = ("ingestion", "release", "curation", "engines")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The loader modules `path` imports (`from loader.x import y` counts as loader.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "loader" or name.startswith("loader.")}


def allowed(importer: str, imported: str) -> bool:
    """Whether module `importer` may import `imported` (both dotted loader names)."""
    if imported in SHARED:
        return importer not in SHARED or imported == "loader.version"
    if importer.startswith("loader.cli") or importer == "loader.__main__":
        return True  # the top (`python -m loader` is the CLI): it may use everything below
    if importer == "loader":
        return not imported.startswith("loader.cli")  # the public API, under the CLI
    for job in JOBS:
        if importer.startswith(f"loader.{job}"):
            return imported.startswith(f"loader.{job}")  # its own room, and the shared module
    return False  # the shared modules import nothing of the loader but the version


def test_no_import_runs_back_up_and_no_job_imports_another():
    wrong = [
        f"{_name(path)} imports {imported}"
        for path in _modules()
        for imported in sorted(_imports(path))
        if not allowed(_name(path), imported)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("loader.ingestion.load", "loader"),  # back up to the package's public API
        ("loader.ingestion.load", "loader.cli.main"),  # back up to the CLI
        ("loader.release.export", "loader.ingestion.load"),  # one job into another
        ("loader.warehouse", "loader.ingestion.rules"),  # the shared module into a job
        ("loader", "loader.cli.verbs"),  # the API into the CLI
    ],
)
def test_the_rule_reports_each_kind_of_wrong_import(importer, imported):
    assert not allowed(importer, imported)


def test_modules_and_functions_stay_small():
    too_long = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(PACKAGE.parent)}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{_name(path)}.{node.name}: {length} lines")
    assert too_long == []
