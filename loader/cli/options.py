"""The options the verbs share, as argparse parent parsers."""

from __future__ import annotations

import argparse

from loader.ingestion.formats import FORMATS
from loader.release.publish import PUBLISHED_FOLDER, published_path
from loader.warehouse import DEFAULT_DATABASE

WAREHOUSE_HELP = f"warehouse file (default: $ECHO_ROOTS_DB, else {DEFAULT_DATABASE})"
PUBLISHED_HELP = (
    f"warehouse file to read (default: the published copy, {PUBLISHED_FOLDER}/ beside "
    f"$ECHO_ROOTS_DB, else {published_path(DEFAULT_DATABASE)})"
)


def warehouse_options(database_help: str = WAREHOUSE_HELP) -> argparse.ArgumentParser:
    """--database, --wait and --json: every verb that opens the warehouse has them."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="PATH", default=None, help=database_help)
    common.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=0,
        help="wait this long for another process to release the file (default: fail at once)",
    )
    common.add_argument("--json", action="store_true", help="print a machine-readable report")
    return common


def loading_options() -> argparse.ArgumentParser:
    loading = argparse.ArgumentParser(add_help=False)
    loading.add_argument("--force", action="store_true", help="load files already loaded")
    loading.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress (default: on a terminal, for large or multi-file loads)",
    )
    loading.add_argument(
        "--max-reject-rate",
        metavar="RATE",
        type=float,
        default=0.0,
        help="exit 1 when more than this share of rows is rejected (default: 0)",
    )
    return loading


def file_options() -> argparse.ArgumentParser:
    """What to read and how to map its fields, for `load items|extractions`."""
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument(
        "paths", nargs="+", metavar="FILE", help="files or globs; - reads JSON Lines from stdin"
    )
    files.add_argument(
        "--format",
        choices=FORMATS,
        help="input format (default: from the extension: .jsonl .json .csv .parquet)",
    )
    files.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="FIELD=NAME[,NAME]",
        help="the source calls FIELD by NAME, e.g. title=product_name (repeatable)",
    )
    files.add_argument(
        "--aliases",
        metavar="YAML",
        help="aliases from a domain pack's input_mapping (field: [names])",
    )
    files.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="value for a text field the source does not send, e.g. source=flipkart",
    )
    return files
