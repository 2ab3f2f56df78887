"""echo-roots loader: moves product listings and LLM extraction results into raw.* fast,
and proves nothing was lost. The CLI (`echo-roots-load`) mirrors this API."""

__version__ = "0.1.0"

from loader.errors import LoaderError  # noqa: E402
from loader.export import export  # noqa: E402
from loader.health import status, summary  # noqa: E402
from loader.load import LoadReport, load_extractions, load_items, load_sample  # noqa: E402
from loader.publish import publish, published_path  # noqa: E402
from loader.taxonomy_import import import_taxonomy  # noqa: E402

__all__ = [
    "LoadReport",
    "LoaderError",
    "export",
    "import_taxonomy",
    "load_extractions",
    "load_items",
    "load_sample",
    "publish",
    "published_path",
    "status",
    "summary",
]
