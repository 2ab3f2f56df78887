"""Loader benchmark: the loader against a bare DuckDB `read_json` insert of the same file,
on rows of three shapes (bench/synthetic.py):

- `items`: the sample's listings under new ids (long multilingual descriptions), at every
  `--sizes` (the larger ones show how memory grows);
- `listings`: short marketplace rows (no description, four raw attributes one of them a
  number, `Z` timestamps, a third `language: auto`), at the first size;
- `extractions`: the extraction results of the `items` rows, at the first size.

A third process, the loader's own insert with its rules left out, shows how much of the gap
is the rules and how much the shape `raw` keeps (each field's JSON text, the extra columns).

    .venv/bin/python bench/bench_loader.py --sizes 1000000 4000000

Each measurement runs in a fresh process into a fresh DuckDB file; wall time, CPU time and
the process's peak resident memory are reported, and the loader's time as a ratio of the bare
insert's measured in the same run. Bare insert and loader alternate `--repeat` times and the
medians are reported, so one noisy run does not decide the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402
from synthetic import write_extractions, write_items, write_listings  # noqa: E402

TARGET_RATIO = 1.25

BARE = """
import duckdb, resource, sys
con = duckdb.connect(sys.argv[2])
con.execute("set TimeZone = 'UTC'")
con.execute(
    "create table bare as select * from read_json(?, format = 'newline_delimited')",
    [sys.argv[1]],
)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
LOADER = """
import resource, sys
import loader
report = getattr(loader, sys.argv[3])([sys.argv[1]], database=sys.argv[2])
assert report.rows_rejected == 0, report.to_dict()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
# The loader's own insert with its rules left out (every row kept, arrays not parsed): the
# raw shape alone (each field's JSON text, strings unescaped, the record hash, the extra
# columns), in a fresh warehouse, without the loader's file scan, ledger and line numbers.
# Between the bare insert and the loader, it shows how much of the gap is the rules.
UNRULED = """
import resource, sys
from loader.ingestion import statements
from loader.ingestion.load import open_for_loading
con, _ = open_for_loading(sys.argv[2])
kind = "items" if sys.argv[3] == "load_items" else "extractions"
con.execute("begin transaction")
con.execute(
    statements.fast_insert_sql(kind, rules=False),
    {"path": sys.argv[1], "load_id": "bench", "loaded_at": "2026-01-01 00:00:00+00"},
)
con.execute("commit")
con.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
# shape: (file name, writer of `size` rows (extractions: of `size` items), loader, what a row is)
SHAPES = {
    "items": ("items", write_items, "load_items", "sample-shaped items"),
    "listings": ("listings", write_listings, "load_items", "short marketplace listings"),
    "extractions": ("extractions", write_extractions, "load_extractions", "extraction results"),
}


def measure(code: str, source: Path, workdir: Path, name: str, *args: str) -> dict:
    database = workdir / f"{name}.duckdb"
    database.unlink(missing_ok=True)
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, str(source), str(database), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    database.unlink(missing_ok=True)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_mb": round(int(result.stdout.split()[-1]) / 1024),
    }


def _children_cpu() -> float:
    """CPU seconds (user and system, every thread) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument("--shapes", nargs="+", choices=list(SHAPES), default=list(SHAPES))
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "echo_roots_bench"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, medians reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    results = []
    for shape in args.shapes:
        for size in args.sizes if shape == "items" else args.sizes[:1]:
            results.append(bench_shape(shape, size, args.data, args.repeat))
            print(json.dumps(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.markdown:
        write_section(args.markdown, "loader", markdown(results, sys.argv[1:]))


def bench_shape(shape: str, size: int, data: Path, repeat: int) -> dict:
    """Bare insert and loader, alternating `repeat` times, on `size` rows of `shape`."""
    name, write, load_function, _ = SHAPES[shape]
    source = write(data / f"{name}_{size}.jsonl", size)  # extractions: of `size` items
    runs = {"bare": [], "unruled": [], "loader": []}
    for _ in range(repeat):  # alternate, so drift in the machine hits all alike
        runs["bare"].append(measure(BARE, source, data, "bare"))
        runs["unruled"].append(measure(UNRULED, source, data, "unruled", load_function))
        runs["loader"].append(measure(LOADER, source, data, "loader", load_function))
    with source.open("rb") as handle:
        rows = sum(1 for _ in handle)

    def median(name, key):
        return statistics.median(run[key] for run in runs[name])

    def seconds(name, pick):
        return pick(run["seconds"] for run in runs[name])

    return {
        "shape": shape,
        "rows": rows,
        "file_mb": round(source.stat().st_size / 2**20),
        "bare_seconds": median("bare", "seconds"),
        "loader_seconds": median("loader", "seconds"),
        "ratio": round(median("loader", "seconds") / median("bare", "seconds"), 2),
        "unruled_seconds": median("unruled", "seconds"),
        "unruled_ratio": round(median("unruled", "seconds") / median("bare", "seconds"), 2),
        "ratio_range": [
            round(seconds("loader", min) / seconds("bare", max), 2),
            round(seconds("loader", max) / seconds("bare", min), 2),
        ],
        # CPU beside wall time: whether a gap is work or cores left idle
        "bare_cpu_seconds": median("bare", "cpu_seconds"),
        "loader_cpu_seconds": median("loader", "cpu_seconds"),
        "bare_peak_mb": median("bare", "peak_mb"),
        "loader_peak_mb": median("loader", "peak_mb"),
    }


def markdown(results: list[dict], argv: list[str]) -> str:
    lines = [
        "## Loader: `echo-roots load` against a bare DuckDB `read_json` insert",
        "",
        f"Produced by `python bench/bench_loader.py {' '.join(argv)}` (`make bench`) on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Each run is a fresh process "
        "writing a fresh DuckDB file; bare insert and loader alternate and the medians of "
        "the runs are shown; the ratio is the loader's median / the bare insert's median, "
        "with the extreme ratios the runs allow; CPU is the process's user and system time, "
        "all threads. The raw shape with no rules is the loader's own insert with its rules "
        "left out (every row kept, arrays not parsed; no file scan, ledger or line numbers): "
        "how much of the gap the rules are. Rows of three shapes (bench/synthetic.py): "
        + "; ".join(f"`{shape}`: {spec[3]}" for shape, spec in SHAPES.items())
        + ".",
        "",
        "| shape | rows | file MB | bare insert s | raw shape, no rules s | its ratio "
        "| loader s | ratio | ratio range | bare CPU s | loader CPU s | bare peak MB "
        "| loader peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['shape']} | {r['rows']:,} | {r['file_mb']} | {r['bare_seconds']} "
            f"| {r['unruled_seconds']} | {r['unruled_ratio']} "
            f"| {r['loader_seconds']} | {r['ratio']} "
            f"| {r['ratio_range'][0]}-{r['ratio_range'][1]} "
            f"| {r['bare_cpu_seconds']} | {r['loader_cpu_seconds']} "
            f"| {r['bare_peak_mb']} | {r['loader_peak_mb']} |"
        )
    lines.append("")
    for shape in dict.fromkeys(r["shape"] for r in results):
        first = next(r for r in results if r["shape"] == shape)
        met = "met" if first["ratio"] <= TARGET_RATIO else "NOT met"
        lines.append(
            f"- Target, {shape}: loader at most {TARGET_RATIO}x the bare insert at "
            f"{first['rows']:,} rows: {met} ({first['ratio']}x)."
        )
    items = [r for r in results if r["shape"] == "items"]
    if len(items) > 1:
        first, last = items[0], items[-1]
        growth = last["loader_peak_mb"] / first["loader_peak_mb"]
        lines.append(
            f"- Peak memory from {first['rows']:,} to {last['rows']:,} items: "
            f"x{growth:.2f} for x{last['rows'] / first['rows']:.0f} the rows."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
