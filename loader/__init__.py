"""echo-roots: a product-taxonomy warehouse. This package is its Python side, by job:

- ingestion/: files of items and extraction results into raw.*, every row loaded or kept
  with the reason it was rejected (load_items, load_extractions, load_sample, status);
- release/: the built warehouse to its readers (publish, export, summary);
- curation/: existing taxonomies into the domain pack's seeds (import_taxonomy);
- warehouse.py: the warehouse file, its one-writer lock and LoaderError, for all of them;
- cli/: the `echo-roots` command, whose verbs mirror the functions below.
"""

from loader.curation.import_taxonomy import import_taxonomy
from loader.ingestion.load import load_extractions, load_items, load_sample
from loader.ingestion.reports import LoadReport
from loader.ingestion.status import status
from loader.release.export import export
from loader.release.publish import publish, published_path
from loader.release.refresh import refresh
from loader.release.summary import summary
from loader.version import __version__
from loader.warehouse import LoaderError

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
