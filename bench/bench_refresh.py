"""Refresh benchmark: `echo-roots refresh` after a 1% load, beside the full build, at scale.

    .venv/bin/python bench/bench_refresh.py --sizes 1000000 4000000 --markdown BENCHMARKS.md

For each size: synthetic items and extraction results (bench/synthetic.py) loaded into a fresh
warehouse; the first `echo-roots refresh` builds everything (no refresh state yet: every model,
test, seed and snapshot; unit tests are left out, as in every refresh) and publishes, and the
warehouse is published once more (a scheduled job has published before); then 1% new items
with their extraction results are loaded and `echo-roots refresh` builds what the load
reached and publishes; then the same load at every size (10,000 items, 1% of 1M) and another
refresh, three times (new items each time): the median of the three is reported (one refresh
varies by seconds from run to run, with DuckDB's checkpoints). All are the same command,
timed whole (wall clock, peak memory of the process), with dbt's build and the publication
also timed apart (the refresh's report).

A refresh's cost that follows the change grows with the load, and 1% of 4M items is four
times 1% of 1M: the growth target (cost follows the change, not the warehouse) is judged on
the same load at both sizes; the +1% refreshes are reported beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_transform import BIN, load, run_measured, warehouse_env  # noqa: E402
from report import write_section  # noqa: E402
from synthetic import write_extractions, write_items  # noqa: E402

TARGET_SHARE = 0.15  # refresh after +1% at 1M items, of the full build
TARGET_GROWTH = 1.3  # refresh at 4M items, of the refresh at 1M, after the same load
SAME_LOAD = 10_000  # items: the same change at every size (1% of 1M)
SAME_LOAD_REPEATS = 3  # same loads in a row at every size, the median refresh reported


def refresh(folder: Path, env: dict, log: str) -> dict:
    report = folder / f"{log}.json"
    command = [str(BIN / "python"), "-c", REFRESH, str(report)]
    measured = run_measured(command, env, folder / f"{log}.log")
    details = json.loads(report.read_text())
    return {
        **measured,
        "build_seconds": details["build_seconds"],
        "publish_seconds": details["publish_seconds"],
        "nodes": details["nodes"],
    }


# the refresh, its report written as JSON (the command prints dbt's log on standard output)
REFRESH = """
import json, sys
from loader.release.refresh import refresh
report = refresh(target="ci")
open(sys.argv[1], "w").write(json.dumps(report.to_dict()))
sys.exit(1 if report.failures else 0)
"""


def bench_size(size: int, data: Path, work: Path) -> dict:
    new = max(1, size // 100)
    files = {
        "items": write_items(data / f"items_{size}.jsonl", size),
        "extractions": write_extractions(data / f"extractions_{size}.jsonl", size),
        "new_items": write_items(data / f"items_{size}_plus.jsonl", new, start=size),
        "new_extractions": write_extractions(
            data / f"extractions_{size}_plus.jsonl", new, start=size
        ),
    }
    same_loads = [
        (
            write_items(data / f"items_{size}_same{k}.jsonl", SAME_LOAD, start=first),
            write_extractions(data / f"extractions_{size}_same{k}.jsonl", SAME_LOAD, start=first),
        )
        for k in range(SAME_LOAD_REPEATS)
        for first in [size + new + k * SAME_LOAD]
    ]
    folder = work / f"size_{size}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "echo_roots.duckdb"  # views name their catalog: the usual file name
    for leftover in [*folder.glob("echo_roots*"), folder / "published"]:  # file, WAL, state
        if leftover.exists():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    env = warehouse_env(folder)
    load(database, files["items"], files["extractions"], env)
    full = refresh(folder, env, "full")
    # published once more, as a scheduled job has: the refresh's publication then finds the
    # copy this one replaces, to bring up to date (loader/release/copies.py)
    subprocess.run(
        [str(BIN / "echo-roots"), "publish", "--database", str(database)],
        env=env,
        check=True,
        capture_output=True,
    )
    load(database, files["new_items"], files["new_extractions"], env)
    after_load = refresh(folder, env, "refresh")
    # then the same load at every size: what the refresh costs beyond the change itself
    same_load_runs = []
    for k, (items, extractions) in enumerate(same_loads):
        load(database, items, extractions, env)
        same_load_runs.append(refresh(folder, env, f"same_load{k}"))
    same_load = sorted(same_load_runs, key=lambda run: run["seconds"])[len(same_load_runs) // 2]
    same_load["range"] = [
        min(r["seconds"] for r in same_load_runs),
        max(r["seconds"] for r in same_load_runs),
    ]
    row = {
        "items": size,
        "new_items": new,
        "full": full,
        "refresh": after_load,
        "same_load": same_load,
        "share": round(after_load["seconds"] / full["seconds"], 3),
    }
    print(json.dumps(row), flush=True)
    return row


def markdown(results: list[dict], argv: list[str]) -> str:
    lines = [
        "## Refresh: `make refresh` after a 1% load",
        "",
        f"Produced by `python bench/bench_refresh.py {' '.join(argv)}` (`make bench`) on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, in one run. Each size: a fresh "
        "warehouse loaded with synthetic data; the first `echo-roots refresh` builds everything "
        "(no state yet) and publishes; after 1% new items and their extraction results, "
        "`echo-roots refresh` builds what the load reached and publishes (after one more "
        "publication, as a scheduled job has published before: it brings up to date the copy "
        "the previous publication replaced); then the same load at every size "
        f"({SAME_LOAD:,} items with their extraction results) and another refresh, "
        f"{SAME_LOAD_REPEATS} times (new items each time; the median refresh is shown, and the "
        "range of the whole command). Wall clock of the whole command, then dbt's build and the "
        "publication (the copy written and checked where it changed) apart.",
        "",
        "| items | full: s | dbt build s | publish s | nodes | peak MB "
        "| +1% refresh: s | dbt build s | publish s | nodes | peak MB | refresh / full "
        f"| +{SAME_LOAD:,} refresh (median of {SAME_LOAD_REPEATS}): s | range s "
        "| dbt build s | publish s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f, x, y = r["full"], r["refresh"], r["same_load"]
        lines.append(
            f"| {r['items']:,} | {f['seconds']} | {f['build_seconds']} | {f['publish_seconds']} "
            f"| {f['nodes']} | {f['peak_mb']} | {x['seconds']} | {x['build_seconds']} "
            f"| {x['publish_seconds']} | {x['nodes']} | {x['peak_mb']} | {r['share']:.1%} "
            f"| {y['seconds']} | {y['range'][0]}-{y['range'][1]} | {y['build_seconds']} "
            f"| {y['publish_seconds']} |"
        )
    by_size = {r["items"]: r for r in results}
    lines.append("")
    if 1_000_000 in by_size:
        r = by_size[1_000_000]
        ok = r["share"] <= TARGET_SHARE
        lines.append(
            f"- Target refresh after +1% at 1M items <= {TARGET_SHARE:.0%} of the full build: "
            f"{'met' if ok else 'NOT met'} ({r['share']:.1%}; dbt's build alone "
            f"{r['refresh']['build_seconds'] / r['full']['build_seconds']:.1%})."
        )
    if 1_000_000 in by_size and 4_000_000 in by_size:
        small, big = by_size[1_000_000]["same_load"], by_size[4_000_000]["same_load"]
        growth = big["seconds"] / small["seconds"]
        build = big["build_seconds"] / small["build_seconds"]
        publication = big["publish_seconds"] / max(small["publish_seconds"], 0.1)
        lines.append(
            f"- Target refresh at 4M items <= {TARGET_GROWTH}x the refresh at 1M, after the same "
            f"load ({SAME_LOAD:,} items): {'met' if growth <= TARGET_GROWTH else 'NOT met'} "
            f"({growth:.2f}x; dbt's build alone {build:.2f}x, the publication {publication:.2f}x)."
        )
        plus = by_size[4_000_000]["refresh"]["seconds"] / by_size[1_000_000]["refresh"]["seconds"]
        lines.append(
            f"- After +1% at each size (four times the items at 4M): the 4M refresh is "
            f"{plus:.2f}x the 1M one."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "echo_roots_bench"
    )
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    results = [bench_size(size, args.data, args.data / "refresh") for size in args.sizes]
    if args.markdown:
        write_section(args.markdown, "refresh", markdown(results, sys.argv[1:]))


if __name__ == "__main__":
    main()
