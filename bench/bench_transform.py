"""Transform benchmark: `dbt build` of the whole warehouse on synthetic data at scale.

    .venv/bin/python bench/bench_transform.py --sizes 100000 1000000 --markdown BENCHMARKS.md

For each size: deterministic synthetic items and their extraction results (bench/synthetic.py)
are loaded into a fresh DuckDB file, then `dbt build` runs (full build; every model, test,
unit test, seed and snapshot); then 1% new items with their extraction results are loaded and
`dbt build` runs again (the incremental rebuild: the same command, the incremental models
process only the new items), once more with nothing new, and after a second 1% as the
production refresh (`--exclude-resource-type unit_test`). Wall time, dbt's per-node times
from run_results.json and the peak resident memory of the dbt process are reported. First, the
same builds on the 400-item sample with nothing new measure dbt's floor on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402
from synthetic import write_extractions, write_items  # noqa: E402

TARGET_FULL_SECONDS = 120
TARGET_INCREMENTAL_SHARE = 0.10
TARGET_PEAK_MB = 4096
PRODUCTION = ["--exclude-resource-type", "unit_test"]

# run a command and print the peak resident memory of its process tree's largest process
PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def run_measured(command: list[str], env: dict, log: Path) -> dict:
    started = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-c", PEAK, *command],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            check=False,
        )
    seconds = time.perf_counter() - started
    peak_kb, code = result.stdout.split()[-2:]
    if code != "0":
        raise SystemExit(f"{' '.join(command[:3])} failed (exit {code}); see {log}")
    return {"seconds": round(seconds, 1), "peak_mb": round(int(peak_kb) / 1024)}


def warehouse_env(folder: Path) -> dict:
    """The environment for the loader and dbt on `folder`'s warehouse file (it keeps its usual
    name: views name their catalog, the file's stem), with dbt's target/ and logs/ beside it."""
    return {
        **os.environ,
        "ECHO_ROOTS_DB": str(folder / "echo_roots.duckdb"),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
        "DO_NOT_TRACK": "1",
    }


def load(database: Path, items: Path, extractions: Path, env: dict) -> None:
    for kind, path in (("items", items), ("extractions", extractions)):
        subprocess.run(
            [
                str(BIN / "python"),
                "-m",
                "loader",
                "load",
                kind,
                str(path),
                "--database",
                str(database),
            ],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
        )


def node_times(target: Path) -> dict[str, float]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"]: round(r["execution_time"], 2) for r in results}


def bench_size(size: int, data: Path, work: Path) -> dict:
    new = max(1, size // 100)
    files = {
        "items": write_items(data / f"items_{size}.jsonl", size),
        "extractions": write_extractions(data / f"extractions_{size}.jsonl", size),
        "new_items": write_items(data / f"items_{size}_plus.jsonl", new, start=size),
        "new_extractions": write_extractions(
            data / f"extractions_{size}_plus.jsonl", new, start=size
        ),
        # a second 1% for the production refresh
        "more_items": write_items(data / f"items_{size}_plus2.jsonl", new, start=size + new),
        "more_extractions": write_extractions(
            data / f"extractions_{size}_plus2.jsonl", new, start=size + new
        ),
    }
    # the warehouse file keeps its usual name: views name their catalog (the file's stem)
    folder = work / f"size_{size}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "echo_roots.duckdb"
    database.unlink(missing_ok=True)
    target = folder / "target"
    env = warehouse_env(folder)
    started = time.perf_counter()
    load(database, files["items"], files["extractions"], env)
    load_seconds = round(time.perf_counter() - started, 1)
    dbt = [str(BIN / "dbt"), "build", "--target", "ci"]
    full = run_measured(dbt, env, folder / "full.log")
    full_nodes = node_times(target)
    load(database, files["new_items"], files["new_extractions"], env)
    incremental = run_measured(dbt, env, folder / "incremental.log")
    incremental_nodes = node_times(target)
    # the same build with nothing new: what dbt costs whatever the data (startup, every node)
    unchanged = run_measured(dbt, env, folder / "unchanged.log")
    # a production refresh after another 1%: unit tests left out, as dbt advises for
    # production jobs (their inputs are fixtures, not the data; they run in make test and CI)
    load(database, files["more_items"], files["more_extractions"], env)
    production = run_measured([*dbt, *PRODUCTION], env, folder / "production.log")
    incremental_models = [
        uid
        for uid, node in json.loads((target / "manifest.json").read_text())["nodes"].items()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] == "incremental"
        and uid.split(".")[2] != "releases"  # one row per release, not an item-level model
    ]
    row = {
        "items": size,
        "extraction_results": sum(1 for _ in files["extractions"].open()),
        "new_items": new,
        "load_seconds": load_seconds,
        "full": full,
        "incremental": incremental,
        "incremental_share": round(incremental["seconds"] / full["seconds"], 3),
        "unchanged": unchanged,
        "production": production,
        "production_share": round(production["seconds"] / full["seconds"], 3),
        "incremental_models": {
            "models": sorted(uid.split(".")[2] for uid in incremental_models),
            "full_seconds": round(sum(full_nodes.get(uid, 0) for uid in incremental_models), 1),
            "incremental_seconds": round(
                sum(incremental_nodes.get(uid, 0) for uid in incremental_models), 1
            ),
        },
        "slowest_full": sorted(full_nodes.items(), key=lambda kv: -kv[1])[:10],
        "slowest_incremental": sorted(incremental_nodes.items(), key=lambda kv: -kv[1])[:6],
    }
    print(json.dumps(row), flush=True)
    return row


def bench_floor(work: Path) -> dict:
    """dbt's cost whatever the data: `dbt build` with nothing new on the 400-item sample,
    as the same command and as the production refresh."""
    folder = work / "sample"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "echo_roots.duckdb"
    database.unlink(missing_ok=True)
    env = warehouse_env(folder)
    subprocess.run(
        [str(BIN / "python"), "-m", "loader", "sample", "--database", str(database)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    dbt = [str(BIN / "dbt"), "build", "--target", "ci"]
    run_measured(dbt, env, folder / "full.log")
    row = {
        "build": run_measured(dbt, env, folder / "unchanged.log"),
        "production": run_measured([*dbt, *PRODUCTION], env, folder / "production.log"),
        "nodes": len(json.loads((folder / "target" / "run_results.json").read_text())["results"]),
        # dbt's start alone: import, read the project (partial parse), list nothing
        "start": run_measured(
            [str(BIN / "dbt"), "ls", "--target", "ci", "--select", "none_such", "-q"],
            env,
            folder / "ls.log",
        ),
    }
    print(json.dumps({"floor": row}), flush=True)
    return row


def markdown(results: list[dict], argv: list[str], floor: dict | None = None) -> str:
    lines = [
        "## Transform: `dbt build` on synthetic data",
        "",
        f"Produced by `python bench/bench_transform.py {' '.join(argv)}` (`make bench`) on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Each size: a fresh DuckDB file "
        "loaded with synthetic items and extraction results (bench/synthetic.py), a full "
        "`dbt build` (all models, tests, unit tests, seeds, snapshots), then 1% new items "
        "loaded and the same `dbt build` again (incremental). Peak memory is the dbt "
        "process's peak resident set.",
        "",
        "| items | extraction results | full build s | full peak MB | +1% items "
        "| incremental build s | incremental peak MB | incremental / full "
        "| build with nothing new s | production refresh after +1% s | production / full "
        "| incremental models: full s | incremental s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        models = r["incremental_models"]
        lines.append(
            f"| {r['items']:,} | {r['extraction_results']:,} | {r['full']['seconds']} "
            f"| {r['full']['peak_mb']} | {r['new_items']:,} | {r['incremental']['seconds']} "
            f"| {r['incremental']['peak_mb']} | {r['incremental_share']:.1%} "
            f"| {r['unchanged']['seconds']} | {r['production']['seconds']} "
            f"| {r['production_share']:.1%} | {models['full_seconds']} "
            f"| {models['incremental_seconds']} |"
        )
    lines += [
        "",
        "Incremental models: "
        + ", ".join(f"`{m}`" for m in results[0]["incremental_models"]["models"])
        + " (their summed run times in the last two columns). The build with nothing new is the "
        "same `dbt build` once more without a load: dbt's cost whatever the data (its start, "
        "every model, test, unit test, seed and snapshot) plus the whole-table models. The "
        "production refresh is `dbt build " + " ".join(PRODUCTION) + "` after a second 1% load: "
        "unit tests check the SQL against fixtures, not the data, so they run in `make test` "
        "and CI, and dbt advises leaving them out of production jobs.",
    ]
    if floor:
        lines += [
            "",
            f"dbt's floor on this machine: with nothing new, `dbt build` on the 400-item sample "
            f"takes {floor['build']['seconds']} s, and {floor['production']['seconds']} s as the "
            f"production refresh ({floor['nodes']} nodes); dbt's start alone (`dbt ls` of "
            f"nothing) takes {floor['start']['seconds']} s.",
        ]
    at_1m = [r for r in results if r["items"] == 1_000_000]
    if at_1m:
        r = at_1m[0]
        checks = [
            (
                f"full build at 1M items <= {TARGET_FULL_SECONDS} s",
                r["full"]["seconds"] <= TARGET_FULL_SECONDS,
                f"{r['full']['seconds']} s",
            ),
            (
                f"incremental rebuild <= {TARGET_INCREMENTAL_SHARE:.0%} of the full build",
                min(r["incremental_share"], r["production_share"]) <= TARGET_INCREMENTAL_SHARE,
                f"{r['incremental_share']:.1%}; production refresh {r['production_share']:.1%}"
                + (
                    f"; dbt's floor, the sample with nothing new, is "
                    f"{floor['production']['seconds'] / r['full']['seconds']:.1%} of it"
                    if floor
                    else ""
                ),
            ),
            (
                f"peak memory <= {TARGET_PEAK_MB} MB",
                max(r["full"]["peak_mb"], r["incremental"]["peak_mb"]) <= TARGET_PEAK_MB,
                f"{max(r['full']['peak_mb'], r['incremental']['peak_mb'])} MB",
            ),
        ]
        lines += [""] + [
            f"- Target {name}: {'met' if ok else 'NOT met'} ({value})."
            for name, ok, value in checks
        ]
    if len(results) > 1:
        first, last = results[0], results[-1]
        lines.append(
            f"- Growth from {first['items']:,} to {last['items']:,} items: full build "
            f"x{last['full']['seconds'] / first['full']['seconds']:.1f} for "
            f"x{last['items'] / first['items']:.0f} the items."
        )
    for r in results:
        lines += [
            "",
            f"Slowest nodes of the full build at {r['items']:,} items (s, run_results.json):",
            "",
            ", ".join(f"`{node_name(unique_id)}` {t}" for unique_id, t in r["slowest_full"]),
        ]
    return "\n".join(lines) + "\n"


def node_name(unique_id: str) -> str:
    """`model.echo_roots.items` -> `items`; a test keeps its generated name."""
    return unique_id.split(".")[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "echo_roots_bench"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    work = args.data / "transform"
    floor = bench_floor(work)
    results = [bench_size(size, args.data, work) for size in args.sizes]
    if args.json:
        args.json.write_text(json.dumps({"floor": floor, "sizes": results}, indent=2))
    if args.markdown:
        write_section(args.markdown, "transform", markdown(results, sys.argv[1:], floor))


if __name__ == "__main__":
    main()
