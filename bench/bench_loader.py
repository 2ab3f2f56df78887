"""Loader benchmark: the loader against a bare DuckDB `read_json` insert of the same file.

    .venv/bin/python bench/bench_loader.py --sizes 1000000 4000000

Each measurement runs in a fresh process into a fresh DuckDB file; wall time and the
process's peak resident memory are reported, and the loader's time as a ratio of the bare
insert's measured in the same run. Bare insert and loader alternate `--repeat` times and the
medians are reported, so one noisy run does not decide the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402
from synthetic import write_items  # noqa: E402

TARGET_RATIO = 1.25

BARE = """
import duckdb, resource, sys
con = duckdb.connect(sys.argv[2])
con.execute("set TimeZone = 'UTC'")
con.execute(
    "create table ingestion_items as "
    "select * from read_json(?, format = 'newline_delimited')", [sys.argv[1]]
)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
LOADER = """
import resource, sys
from loader import load_items
report = load_items([sys.argv[1]], database=sys.argv[2])
assert report.rows_rejected == 0, report.to_dict()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str, source: Path, workdir: Path, name: str) -> dict:
    database = workdir / f"{name}.duckdb"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, str(source), str(database)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    database.unlink(missing_ok=True)
    return {"seconds": round(seconds, 2), "peak_mb": round(int(result.stdout.split()[-1]) / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "echo_roots_bench"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, medians reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        source = write_items(args.data / f"items_{size}.jsonl", size)
        runs = {"bare": [], "loader": []}
        for _ in range(args.repeat):  # alternate, so drift in the machine hits both alike
            runs["bare"].append(measure(BARE, source, args.data, "bare"))
            runs["loader"].append(measure(LOADER, source, args.data, "loader"))

        def median(name, key, runs=runs):
            return statistics.median(run[key] for run in runs[name])

        row = {
            "items": size,
            "file_mb": round(source.stat().st_size / 2**20),
            "bare_seconds": median("bare", "seconds"),
            "loader_seconds": median("loader", "seconds"),
            "ratio": round(median("loader", "seconds") / median("bare", "seconds"), 2),
            "ratio_range": [
                round(
                    min(r["seconds"] for r in runs["loader"])
                    / max(r["seconds"] for r in runs["bare"]),
                    2,
                ),
                round(
                    max(r["seconds"] for r in runs["loader"])
                    / min(r["seconds"] for r in runs["bare"]),
                    2,
                ),
            ],
            "bare_peak_mb": median("bare", "peak_mb"),
            "loader_peak_mb": median("loader", "peak_mb"),
        }
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.markdown:
        write_section(args.markdown, "loader", markdown(results, sys.argv[1:]))


def markdown(results: list[dict], argv: list[str]) -> str:
    lines = [
        "## Loader: `echo-roots load items` against a bare DuckDB `read_json` insert",
        "",
        f"Produced by `python bench/bench_loader.py {' '.join(argv)}` (`make bench`) on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Each run is a fresh process "
        "writing a fresh DuckDB file; bare insert and loader alternate and the medians of "
        "the runs are shown; the ratio is the loader's median / the bare insert's median, "
        "with the extreme ratios the runs allow.",
        "",
        "| items | file MB | bare insert s | loader s | ratio | ratio range | bare peak MB "
        "| loader peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['items']:,} | {r['file_mb']} | {r['bare_seconds']} | {r['loader_seconds']} "
            f"| {r['ratio']} | {r['ratio_range'][0]}-{r['ratio_range'][1]} "
            f"| {r['bare_peak_mb']} | {r['loader_peak_mb']} |"
        )
    at_1m = [r for r in results if r["items"] == 1_000_000]
    if at_1m:
        met = "met" if at_1m[0]["ratio"] <= TARGET_RATIO else "not met"
        lines += [
            "",
            f"Target: loader at most {TARGET_RATIO}x the bare insert at 1M items: "
            f"{met} ({at_1m[0]['ratio']}x).",
        ]
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = last["loader_peak_mb"] / first["loader_peak_mb"]
        lines += [
            f"Peak memory from {first['items']:,} to {last['items']:,} items: "
            f"x{growth:.2f} for x{last['items'] / first['items']:.0f} the rows."
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
