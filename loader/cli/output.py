"""What the verbs print: a line per file loaded, the first rejects, the summary."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, is_dataclass

from loader.ingestion.reports import LoadReport
from loader.release.publish import published_path


def print_json(value) -> None:
    if is_dataclass(value):
        value = value.to_dict() if hasattr(value, "to_dict") else asdict(value)
    print(json.dumps(value, indent=2, ensure_ascii=False))


def print_load(report: LoadReport) -> None:
    """A line per file on standard output; its first rejected rows on standard error."""
    for f in report.files:
        if f.status == "skipped":
            print(f"{report.kind}: {f.path}: skipped, {f.message}")
            continue
        rules = ", ".join(f"{rule} {n}" for rule, n in f.rejects_by_rule.items())
        print(
            f"{report.kind}: {f.path}: read {f.rows_read}, loaded {f.rows_loaded}, "
            f"rejected {f.rows_rejected}" + (f" ({rules})" if rules else "")
        )
        if f.message:
            print(f"  {f.path}: {f.message}", file=sys.stderr)
        for reject in f.first_rejects:
            print(
                f"  {f.path}:{reject['line_number']}: {reject['field'] or '-'}: "
                f"[{reject['rule']}] {reject['message']}",
                file=sys.stderr,
            )
        if f.rows_rejected > len(f.first_rejects):
            more = f.rows_rejected - len(f.first_rejects)
            print(f"  ... {more} more in raw.rejected_rows (load_id {f.load_id})", file=sys.stderr)


def print_too_many_rejects(prog: str, report: LoadReport, max_rate: float) -> None:
    print(
        f"{prog}: {report.rows_rejected} of {report.rows_read} {report.kind} rows "
        f"rejected ({report.reject_rate:.2%}), more than --max-reject-rate {max_rate:.2%}",
        file=sys.stderr,
    )


def print_summary(info: dict) -> None:
    database = info["database"]
    print(f"Warehouse: {database}")
    for layer, tables in info["layers"].items():
        cells = ", ".join(f"{name} {rows}" for name, rows in tables.items())
        print(f"  {layer:<13}{cells}")
    rejected = info["layers"].get("raw", {}).get("rejected_rows", 0)
    print(f"Rejected rows: {rejected} (see raw.rejected_rows)")
    copy = published_path(database)  # builds write the warehouse; analysts read this copy
    print("Analysts open its published copy read-only (`echo-roots publish` makes it):")
    print(f"  .venv/bin/duckdb -readonly {copy}")
    print(f"  python -c \"import duckdb; con = duckdb.connect('{copy}', read_only=True)\"")


def print_published(published) -> None:
    print(
        f"published {published.database} (release {published.taxonomy_version}) "
        f"-> {published.published}; analysts open it read-only:\n"
        f"  .venv/bin/duckdb -readonly {published.published}"
    )


def print_refreshed(report) -> None:
    what = "everything" if report.mode == "full" else " ".join(report.selection)
    print(f"refresh of {report.database}: built {what} ({report.nodes} nodes)")
    for reason in report.reasons:
        print(f"  - {reason}")
    if report.failures:
        print(
            "the build failed: nothing published, and the next refresh builds this selection "
            "again:\n" + "\n".join(f"  {failure}" for failure in report.failures)
        )
        return
    print(f"published -> {report.published['published']} in {report.seconds} s")


def print_exported(exported) -> None:
    print(
        f"exported release {exported.taxonomy_version} from {exported.database} "
        f"-> {exported.directory}/"
    )
    for entry in exported.files:
        rows = "" if entry["rows"] is None else f" ({entry['rows']} rows)"
        print(f"  {entry['file']}{rows}")


def print_imported(imported) -> None:
    print(
        f"{imported.source}: {imported.categories} categories, {imported.roots} "
        f"roots, {imported.max_depth + 1} levels -> domain {imported.domain!r} in "
        + ", ".join(imported.written)
    )
    if imported.attributes or imported.category_mappings:
        print(
            f"  {imported.attributes} attributes, {imported.values} values, "
            f"{imported.category_attributes} category attributes, {imported.labels} labels "
            f"({imported.locale}), {imported.category_mappings} category mappings"
        )
    if imported.skipped_mappings:
        print(
            f"  {len(imported.skipped_mappings)} mapping lines name no category of this "
            f"release and were skipped, e.g. {imported.skipped_mappings[0]}"
        )
    for where, new_id in imported.renamed_ids.items():
        print(f"  duplicate id at {where} renamed to {new_id}")
    shown = list(imported.safe_attribute_ids.items())
    if shown:
        examples = ", ".join(f"{handle} -> {new_id}" for handle, new_id in shown[:3])
        print(
            f"  {len(shown)} attribute handles are not warehouse ids and got safe ones, the "
            f"handle kept in domain_attributes.handle: {examples}"
            + (", ..." if len(shown) > 3 else "")
        )
