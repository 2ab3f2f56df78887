"""`echo-roots-load` (also `python -m loader`): the command-line face of loader/__init__.py.

Exit codes: 0 all rows loaded (or within --max-reject-rate), 1 too many rows rejected,
2 usage, I/O or warehouse-state errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

import duckdb

from loader import formats, health, load, taxonomy_import
from loader.database import DEFAULT_DATABASE, default_database
from loader.errors import LoaderError
from loader.export import export
from loader.publish import PUBLISHED_FOLDER, publish, published_path

SHOWN_REJECTS = 5


def _common(database_help: str) -> argparse.ArgumentParser:
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


def _parser() -> argparse.ArgumentParser:
    common = _common(f"warehouse file (default: $ECHO_ROOTS_DB, else {DEFAULT_DATABASE})")

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

    parser = argparse.ArgumentParser(
        prog="echo-roots-load",
        description="Load product listings and LLM extraction results into the warehouse.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for kind, text in (
        ("items", "load ingestion items (JSON Lines, JSON, CSV, Parquet) into raw.ingestion_items"),
        (
            "extractions",
            "load extraction results (any of those formats) into raw.extraction_results",
        ),
    ):
        sub = commands.add_parser(kind, parents=[common, loading], help=text, description=text)
        sub.add_argument(
            "paths", nargs="+", metavar="FILE", help="files or globs; - reads JSON Lines from stdin"
        )
        sub.add_argument(
            "--format",
            choices=formats.FORMATS,
            help="input format (default: from the extension: .jsonl .json .csv .parquet)",
        )
        sub.add_argument(
            "--alias",
            action="append",
            default=[],
            metavar="FIELD=NAME[,NAME]",
            help="the source calls FIELD by NAME, e.g. title=product_name (repeatable)",
        )
        sub.add_argument(
            "--aliases",
            metavar="YAML",
            help="aliases from a domain pack's input_mapping (field: [names])",
        )
        sub.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="value for a text field the source does not send, e.g. source=flipkart",
        )
    commands.add_parser(
        "sample",
        parents=[common, loading],
        help="load the embedded sample domain (its deliberately bad rows are expected rejects)",
    )
    importing = commands.add_parser(
        "import-taxonomy",
        help="turn an existing category tree into the domain pack's category seeds",
        description="Write domain_categories.csv and domain_labels.csv for DOMAIN from a Google "
        "Product Taxonomy text file or an echo-roots YAML tree (rows of other domains are kept).",
    )
    importing.add_argument("path", metavar="FILE")
    importing.add_argument("--domain", required=True, help="domain name for the imported rows")
    importing.add_argument(
        "--output", default="seeds/domain_pack", help="seeds folder (default: seeds/domain_pack)"
    )
    importing.add_argument(
        "--format", choices=taxonomy_import.FORMATS, help="default: from the file extension"
    )
    importing.add_argument(
        "--locale", help="locale of the names (default: from the file name, e.g. .zh-TW., else en)"
    )
    importing.add_argument("--json", action="store_true", help="print a machine-readable report")
    publishing = commands.add_parser(
        "publish",
        parents=[common],
        help="copy the built warehouse, checkpointed, to a read-only copy for analysts",
        description="Checkpoint the warehouse and swap a copy of it into DIR atomically (same "
        "file name, so its views keep working); readers of the previous copy are not disturbed.",
    )
    publishing.add_argument(
        "--to",
        metavar="DIR",
        default=None,
        help=f"folder of the copy (default: {PUBLISHED_FOLDER}/ beside the warehouse)",
    )
    exporting = commands.add_parser(
        "export",
        parents=[
            _common(
                f"warehouse file to read (default: the published copy, {PUBLISHED_FOLDER}/ beside "
                f"$ECHO_ROOTS_DB, else {published_path(DEFAULT_DATABASE)})"
            )
        ],
        help="write the current taxonomy release for integrators (Parquet, CSV, JSON Lines)",
        description="Write categories, attributes, attribute values, mappings and changes as "
        "Parquet, CSV and JSON Lines, a changelog and a manifest into OUT/echo-roots-<version>/.",
    )
    exporting.add_argument(
        "--out", metavar="DIR", default="dist", help="output folder (default: dist)"
    )
    commands.add_parser("status", parents=[common], help="loader health as JSON")
    commands.add_parser("summary", parents=[common], help="rows per layer and how to open the file")
    return parser


def _print_load(report: load.LoadReport) -> None:
    for f in report.files:
        if f.status == "skipped":
            print(f"{report.kind}: {f.path}: skipped, {f.message}")
            continue
        rules = ", ".join(f"{rule} {n}" for rule, n in f.rejects_by_rule.items())
        print(
            f"{report.kind}: {f.path}: read {f.rows_read}, loaded {f.rows_loaded}, "
            f"rejected {f.rows_rejected}" + (f" ({rules})" if rules else "")
        )


def _print_rejects(report: load.LoadReport, database: str) -> None:
    load_ids = [f.load_id for f in report.files if f.status == "loaded" and f.rows_rejected]
    if not load_ids:
        return
    con = duckdb.connect(database, read_only=True)
    try:
        rows = con.execute(
            "select file_path, line_number, coalesce(field, '-'), rule, message "
            "from raw.rejected_rows where load_id in (select unnest($ids)) "
            "order by file_path, line_number limit $n",
            {"ids": load_ids, "n": SHOWN_REJECTS},
        ).fetchall()
    finally:
        con.close()
    for path, line, field, rule, message in rows:
        print(f"  {path}:{line}: {field}: [{rule}] {message}", file=sys.stderr)
    if report.rows_rejected > len(rows):
        print(
            f"  ... {report.rows_rejected - len(rows)} more in raw.rejected_rows", file=sys.stderr
        )


def _print_summary(info: dict) -> None:
    database = info["database"]
    print(f"Warehouse: {database}")
    for layer, tables in info["layers"].items():
        cells = ", ".join(f"{name} {rows}" for name, rows in tables.items())
        print(f"  {layer:<13}{cells}")
    rejected = info["layers"].get("raw", {}).get("rejected_rows", 0)
    print(f"Rejected rows: {rejected} (see raw.rejected_rows)")
    copy = published_path(database)  # builds write the warehouse; analysts read this copy
    print("Analysts open its published copy read-only (`echo-roots-load publish` makes it):")
    print(f"  .venv/bin/duckdb -readonly {copy}")
    print(f"  python -c \"import duckdb; con = duckdb.connect('{copy}', read_only=True)\"")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    database = getattr(args, "database", None) or default_database()
    try:
        if args.command == "publish":
            published = publish(database, to=args.to, wait=args.wait)
            if args.json:
                print(json.dumps(published.to_dict(), indent=2))
            else:
                print(
                    f"published {published.database} (release {published.taxonomy_version}) "
                    f"-> {published.published}; analysts open it read-only:\n"
                    f"  .venv/bin/duckdb -readonly {published.published}"
                )
            return 0
        if args.command == "export":
            exported = export(args.database, out=args.out, wait=args.wait)
            if args.json:
                print(json.dumps(exported.to_dict(), indent=2))
            else:
                print(
                    f"exported release {exported.taxonomy_version} from {exported.database} "
                    f"-> {exported.directory}/"
                )
                for entry in exported.files:
                    rows = "" if entry["rows"] is None else f" ({entry['rows']} rows)"
                    print(f"  {entry['file']}{rows}")
            return 0
        if args.command == "import-taxonomy":
            imported = taxonomy_import.import_taxonomy(
                args.path, args.output, domain=args.domain, format=args.format, locale=args.locale
            )
            if args.json:
                print(json.dumps(asdict(imported), indent=2, ensure_ascii=False))
            else:
                print(
                    f"{imported.source}: {imported.categories} categories, {imported.roots} "
                    f"roots, {imported.max_depth + 1} levels -> domain {imported.domain!r} in "
                    + ", ".join(imported.written)
                )
                for where, new_id in imported.renamed_ids.items():
                    print(f"  duplicate id at {where} renamed to {new_id}")
            return 0
        if args.command in ("status", "summary"):
            info = getattr(health, args.command)(database)
            if args.json or args.command == "status":
                print(json.dumps(info, indent=2, ensure_ascii=False))
            else:
                _print_summary(info)
            return 0

        options = {"force": args.force, "wait": args.wait, "progress": args.progress}
        if args.command == "sample":
            reports = load.load_sample(database, **options)
            max_rate = 1.0  # the sample's bad rows are there on purpose
        else:
            mapping = formats.InputMapping.from_options(args.alias, args.set, args.aliases)
            reports = [
                load.load_files(
                    args.command,
                    args.paths,
                    database,
                    format=args.format,
                    aliases=mapping.usable(args.command),
                    **options,
                )
            ]
            max_rate = args.max_reject_rate
    except LoaderError as exc:
        print(f"echo-roots-load: error: {exc}", file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            _print_load(report)
            _print_rejects(report, database)
    too_many = [r for r in reports if r.reject_rate > max_rate]
    for report in too_many:
        print(
            f"echo-roots-load: {report.rows_rejected} of {report.rows_read} {report.kind} rows "
            f"rejected ({report.reject_rate:.2%}), more than --max-reject-rate {max_rate:.2%}",
            file=sys.stderr,
        )
    return 1 if too_many else 0
