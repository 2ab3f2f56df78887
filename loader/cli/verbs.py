"""One function per verb: it calls the public API function of the same name with the same
arguments, prints the result, and returns the exit code (0 done, 1 too many rows rejected;
a LoaderError is exit 2, in main.py)."""

from __future__ import annotations

import argparse

import loader
from loader.cli import output
from loader.ingestion.aliases import InputMapping
from loader.ingestion.reports import LoadReport


def _aliases(args: argparse.Namespace, kind: str) -> InputMapping:
    """--alias, --set and --aliases as the `aliases` argument (a domain pack's
    input_mapping maps fields of other kinds too: only this kind's are kept)."""
    return InputMapping.from_options(args.alias, args.set, args.aliases).usable(kind)


def _loaded(args: argparse.Namespace, reports: list[LoadReport], max_rate: float) -> int:
    if args.json:
        output.print_json([r.to_dict() for r in reports])
    else:
        for report in reports:
            output.print_load(report)
    too_many = [r for r in reports if r.reject_rate > max_rate]
    for report in too_many:
        output.print_too_many_rejects(args.prog, report, max_rate)
    return 1 if too_many else 0


def _load_options(args: argparse.Namespace, kind: str) -> dict:
    return {
        "format": args.format,
        "aliases": _aliases(args, kind),
        "force": args.force,
        "wait": args.wait,
        "progress": args.progress,
    }


def load_items(args: argparse.Namespace) -> int:
    report = loader.load_items(args.paths, args.database, **_load_options(args, "items"))
    return _loaded(args, [report], args.max_reject_rate)


def load_extractions(args: argparse.Namespace) -> int:
    report = loader.load_extractions(
        args.paths, args.database, **_load_options(args, "extractions")
    )
    return _loaded(args, [report], args.max_reject_rate)


def sample(args: argparse.Namespace) -> int:
    reports = loader.load_sample(
        args.database, force=args.force, wait=args.wait, progress=args.progress
    )
    return _loaded(args, reports, max_rate=1.0)  # the sample's bad rows are there on purpose


def status(args: argparse.Namespace) -> int:
    output.print_json(loader.status(args.database, wait=args.wait))
    return 0


def summary(args: argparse.Namespace) -> int:
    info = loader.summary(args.database, wait=args.wait)
    output.print_json(info) if args.json else output.print_summary(info)
    return 0


def publish(args: argparse.Namespace) -> int:
    published = loader.publish(args.database, to=args.to, wait=args.wait)
    output.print_json(published) if args.json else output.print_published(published)
    return 0


def refresh(args: argparse.Namespace) -> int:
    report = loader.refresh(
        args.database, project=args.project_dir, target=args.target, full=args.full
    )
    output.print_json(report.to_dict()) if args.json else output.print_refreshed(report)
    return 0 if not report.failures else 1


def export(args: argparse.Namespace) -> int:
    exported = loader.export(args.database, out=args.out, wait=args.wait)
    output.print_json(exported) if args.json else output.print_exported(exported)
    return 0


def import_taxonomy(args: argparse.Namespace) -> int:
    imported = loader.import_taxonomy(
        args.path, args.output, domain=args.domain, format=args.format, locale=args.locale
    )
    output.print_json(imported) if args.json else output.print_imported(imported)
    return 0
