"""What a load reads: files and globs, standard input, and the embedded sample."""

from __future__ import annotations

import glob
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from loader.ingestion.formats import detect_format
from loader.warehouse import LoaderError


@dataclass
class Source:
    path: Path  # what is read
    label: str  # what the ledger and the rejects call it
    format: str


def expand_sources(
    paths: list[str | Path], fmt: str | None, stdin_copy: Path | None
) -> list[Source]:
    """Expand globs, check files exist, tell formats; `-` is standard input (JSON Lines)."""
    sources = []
    for given in paths:
        text = str(given)
        if text == "-":
            if stdin_copy is None:
                raise LoaderError("`-` (standard input) can be given once")
            sources.append(Source(stdin_copy, "<stdin>", fmt or "jsonl"))
            continue
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
        if not matches:
            raise LoaderError(f"{text}: no file matches")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                raise LoaderError(
                    f"{path}: is a directory; pass its files or a glob such as '{path}/*.jsonl'"
                )
            if not path.exists():
                raise LoaderError(f"{path}: no such file")
            if not path.is_file():
                raise LoaderError(f"{path}: not a regular file")
            sources.append(Source(path.resolve(), str(path.resolve()), detect_format(path, fmt)))
    return sources


def copy_stdin(folder: Path) -> Path:
    """Standard input, copied to a file in chunks: the ledger needs its sha256 and a
    file can be read in parallel."""
    copy = folder / "stdin.jsonl"
    with copy.open("wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 4 << 20)
    return copy


def sample_paths() -> dict[str, Path]:
    """The embedded sample shipped with the package (see scripts/generate_sample.py)."""
    folder = resources.files("loader.ingestion").joinpath("sample")
    return {
        "items": Path(str(folder.joinpath("items.jsonl"))),
        "extractions": Path(str(folder.joinpath("extractions.jsonl"))),
    }
