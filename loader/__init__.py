"""echo-roots: a product-taxonomy warehouse. This package is its Python side, by job:

- ingestion/: files of items and extraction results into raw.*, every row loaded or kept
  with the reason it was rejected (load_items, load_extractions, load_sample, status);
- release/: the built warehouse to its readers (publish, export, summary);
- curation/: existing taxonomies into the domain pack's seeds (import_taxonomy);
- warehouse.py: the warehouse file, its one-writer lock and LoaderError, for all of them;
- cli/: the `echo-roots` command, whose verbs mirror the functions below.

The functions are imported when first used (`loader.load_items` does not import the release
side and its numpy): a script that loads a file starts in a third of the time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from loader.version import __version__
from loader.warehouse import LoaderError

if TYPE_CHECKING:
    from loader.curation.import_taxonomy import import_taxonomy
    from loader.ingestion.load import load_extractions, load_items, load_sample
    from loader.ingestion.reports import LoadReport
    from loader.ingestion.status import status
    from loader.release.export import export
    from loader.release.publish import publish, published_path
    from loader.release.refresh import refresh
    from loader.release.summary import summary

# name -> the module that defines it
_DEFINED_IN = {
    "import_taxonomy": "loader.curation.import_taxonomy",
    "load_extractions": "loader.ingestion.load",
    "load_items": "loader.ingestion.load",
    "load_sample": "loader.ingestion.load",
    "LoadReport": "loader.ingestion.reports",
    "status": "loader.ingestion.status",
    "export": "loader.release.export",
    "publish": "loader.release.publish",
    "published_path": "loader.release.publish",
    "refresh": "loader.release.refresh",
    "summary": "loader.release.summary",
}

__all__ = [
    "LoadReport",
    "LoaderError",
    "__version__",
    "export",
    "import_taxonomy",
    "load_extractions",
    "load_items",
    "load_sample",
    "publish",
    "published_path",
    "refresh",
    "status",
    "summary",
]


def __getattr__(name: str):
    if name not in _DEFINED_IN:
        raise AttributeError(f"module 'loader' has no attribute {name!r}")
    value = getattr(importlib.import_module(_DEFINED_IN[name]), name)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_DEFINED_IN})
