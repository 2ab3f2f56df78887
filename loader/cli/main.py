"""`echo-roots` (also `python -m loader`) and `echo-roots-load`: the parsers, and the one
place a LoaderError becomes a message and exit code 2.

`echo-roots load items FILE` is `echo-roots-load items FILE`: the two commands share every
verb and option; only where loading sits differs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from loader.cli import verbs
from loader.cli.options import (
    PUBLISHED_HELP,
    WAREHOUSE_HELP,
    file_options,
    loading_options,
    warehouse_options,
)
from loader.curation.import_taxonomy import FORMATS as TAXONOMY_FORMATS
from loader.release.publish import PUBLISHED_FOLDER
from loader.version import __version__
from loader.warehouse import LoaderError

LOADS = {
    "items": (
        "load ingestion items (JSON Lines, JSON, CSV, Parquet) into raw.ingestion_items",
        verbs.load_items,
    ),
    "extractions": (
        "load extraction results (any of those formats) into raw.extraction_results",
        verbs.load_extractions,
    ),
}


# What each exit code means; `--help` prints it and the README says the same (a test checks).
EXIT_CODES = """\
exit codes:
  0  every file loaded (or skipped: already loaded), rejects within --max-reject-rate
  1  more rows rejected than --max-reject-rate allows; the rows that passed and the
     rejects are committed (raw.rejected_rows), and loading the file again is skipped
     unless every row was rejected
  2  the load stopped on an error (usage, a file that cannot be read, the warehouse,
     memory or disk): the message names the file, which committed nothing unless the
     message says its rows are committed; files before it in the same call stay loaded
"""


def _add(commands, name: str, run: Callable, text: str, parents=(), **kwargs):
    verb = commands.add_parser(name, parents=list(parents), help=text, **kwargs)
    verb.set_defaults(run=run)
    return verb


def _add_loads(commands) -> None:
    for kind, (text, run) in LOADS.items():
        parents = (warehouse_options(), loading_options(), file_options())
        _add(
            commands,
            kind,
            run,
            text,
            parents,
            description=text,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )


def _add_import_taxonomy(commands) -> None:
    verb = _add(
        commands,
        "import-taxonomy",
        verbs.import_taxonomy,
        "turn an existing taxonomy into the domain pack's seeds",
        description="Write the domain pack's seeds for DOMAIN from Shopify's product taxonomy "
        "source folder (categories, attributes, values, category attributes, labels in every "
        "locale, its mapping from Google paths), or the categories and their names from a "
        "Google Product Taxonomy text file or an echo-roots YAML tree. Rows of other domains "
        "are kept.",
    )
    verb.add_argument("path", metavar="PATH", help="Shopify's folder, or a taxonomy file")
    verb.add_argument("--domain", required=True, help="domain name for the imported rows")
    verb.add_argument(
        "--output", default="seeds/domain_pack", help="seeds folder (default: seeds/domain_pack)"
    )
    verb.add_argument(
        "--format",
        choices=TAXONOMY_FORMATS,
        help="default: shopify for a folder, else from the file extension",
    )
    verb.add_argument(
        "--locale",
        help="Shopify: the locales to import, comma-separated (default: every one present); "
        "a file: the locale of its names (default: from the file name, e.g. .zh-TW., else en)",
    )
    verb.add_argument("--json", action="store_true", help="print a machine-readable report")


def _add_release_verbs(commands) -> None:
    publish = _add(
        commands,
        "publish",
        verbs.publish,
        "copy the built warehouse, checkpointed, to a read-only copy for analysts",
        [warehouse_options()],
        description="Checkpoint the warehouse and swap a copy of it into DIR atomically (same "
        "file name, so its views keep working); readers of the previous copy are not disturbed.",
    )
    publish.add_argument(
        "--to",
        metavar="DIR",
        default=None,
        help=f"folder of the copy (default: {PUBLISHED_FOLDER}/ beside the warehouse)",
    )
    export = _add(
        commands,
        "export",
        verbs.export,
        "write the current taxonomy release for integrators (Parquet, CSV, JSON Lines)",
        [warehouse_options(PUBLISHED_HELP)],
        description="Write categories, attributes, attribute values, mappings and changes as "
        "Parquet, CSV and JSON Lines, a changelog and a manifest into OUT/echo-roots-<version>/.",
    )
    export.add_argument(
        "--out", metavar="DIR", default="dist", help="output folder (default: dist)"
    )
    refresh = _add(
        commands,
        "refresh",
        verbs.refresh,
        "after a load: build what the load (or a project change) reached, then publish",
        description="Run `dbt source freshness`, then `dbt build` of what changed since the "
        "last refresh (source_status:fresher+ state:modified+, with the state kept in "
        "<warehouse>.refresh/ beside the file), unit tests left out; then publish. The first "
        "refresh builds everything. Exit 1 when the build fails (nothing published).",
    )
    refresh.add_argument("--database", metavar="PATH", default=None, help=WAREHOUSE_HELP)
    refresh.add_argument("--json", action="store_true", help="print a machine-readable report")
    refresh.add_argument("--full", action="store_true", help="build everything")
    refresh.add_argument(
        "--target", default=None, help="dbt target (default: profiles.yml's, $ECHO_ROOTS_TARGET)"
    )
    refresh.add_argument(
        "--project-dir", default=".", help="the dbt project (default: the current folder)"
    )
    _add(commands, "status", verbs.status, "loader health as JSON", [warehouse_options()])
    _add(
        commands,
        "summary",
        verbs.summary,
        "rows per layer and how to open the file",
        [warehouse_options()],
    )


def parser(prog: str = "echo-roots", *, legacy: bool = False) -> argparse.ArgumentParser:
    """The command's parser; `legacy` puts `items` and `extractions` at the top level, as
    `echo-roots-load` has them, instead of under `load`."""
    top = argparse.ArgumentParser(
        prog=prog,
        description="echo-roots: load product listings and LLM extraction results into the "
        "warehouse, publish and export what dbt built, import existing taxonomies.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if legacy:
        _add_loads(commands)
    else:
        loading = commands.add_parser(
            "load", help="load files of items or extraction results into raw.*"
        )
        _add_loads(loading.add_subparsers(dest="kind", required=True, metavar="KIND"))
    _add(
        commands,
        "sample",
        verbs.sample,
        "load the embedded sample domain (its deliberately bad rows are expected rejects)",
        [warehouse_options(), loading_options()],
    )
    _add_import_taxonomy(commands)
    _add_release_verbs(commands)
    return top


def main(argv: list[str] | None = None, *, prog: str = "echo-roots", legacy: bool = False) -> int:
    """Run one verb; the exit code as EXIT_CODES says."""
    args = parser(prog, legacy=legacy).parse_args(argv)
    args.prog = prog
    try:
        return args.run(args)
    except LoaderError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `| head` closed standard output: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def main_legacy(argv: list[str] | None = None) -> int:
    """`echo-roots-load`: the same verbs, with `items` and `extractions` at the top level."""
    return main(argv, prog="echo-roots-load", legacy=True)
