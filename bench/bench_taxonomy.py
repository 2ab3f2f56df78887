"""Taxonomy benchmark: Shopify's product taxonomy imported whole, built beside the sample pack
on the same real items (the WDC-PAVE dev offers and their extractions, the Flipkart listings;
all from ../shared/datasets).

    .venv/bin/python bench/bench_taxonomy.py --markdown BENCHMARKS.md

Two copies of the dbt project: one as it is (the sample pack, domain `ecommerce`), one with
`import-taxonomy` of Shopify's folder (domain `shopify`, every locale present). Each gets a
fresh warehouse with the same items; then a full `dbt build` and a `dbt build` with nothing
new, alternating between the packs `--repeat` times (medians reported). Wall time and the
dbt process's peak resident memory are measured; the nothing-new build is reported as a ratio
of the sample pack's, measured in the same run.
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

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from bench_transform import BIN, REPO, run_measured  # noqa: E402
from report import write_section  # noqa: E402

from tests.python.project_copy import copy_project  # noqa: E402

DATASETS = Path(os.environ.get("ECHO_ROOTS_SHARED", REPO.parent / "shared")) / "datasets"
SHOPIFY = DATASETS / "shopify_product_taxonomy_2025-08"
ITEMS = [DATASETS / "wdc_pave_dev.items.jsonl", DATASETS / "flipkart_sample.items.jsonl"]
EXTRACTIONS = [DATASETS / "wdc_pave_dev.extractions.jsonl"]
RATIO_TARGET = 2.0
FULL_TARGET_SECONDS, FULL_TARGET_MB = 60, 1024


def prepare(root: Path, domain: str) -> dict:
    """A warehouse in `root` with the real items loaded."""
    database = root / "warehouse.duckdb"
    env = {"ECHO_ROOTS_DB": str(database)}
    load = [str(BIN / "echo-roots"), "load"]
    subprocess.run(
        [*load, "items", *map(str, ITEMS), "--max-reject-rate", "0.01"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*load, "extractions", *map(str, EXTRACTIONS)],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return {
        "root": root,
        "database": database,
        "domain": domain,
        "env": {
            **env,
            "DBT_PROFILES_DIR": str(root),
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
            "DO_NOT_TRACK": "1",
        },
    }


def build(pack: dict, *, fresh: bool) -> dict:
    if fresh:  # the items stay; everything dbt made goes
        con = duckdb.connect(str(pack["database"]))
        schemas = con.execute(
            "select distinct schema_name from duckdb_schemas() "
            "where schema_name not in ('raw', 'main', 'information_schema', 'pg_catalog') "
            "and not internal"
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')
        con.close()
    args = [
        str(BIN / "dbt"),
        "build",
        "--project-dir",
        str(pack["root"]),
        "--target",
        "dev",
        "--vars",
        f"{{domain: {pack['domain']}}}",
    ]
    return run_measured(args, {**os.environ, **pack["env"]}, pack["root"] / "build.log")


def categorized(pack: dict) -> dict:
    con = duckdb.connect(str(pack["database"]), read_only=True)
    try:
        rows = con.execute(
            "select source, count(*), count(category_id) from taxonomy.items group by source"
        ).fetchall()
    finally:
        con.close()
    return {source: [with_category, total] for source, total, with_category in sorted(rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, medians reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    if not SHOPIFY.exists():  # the real datasets sit beside the checkout, or nowhere
        print(f"taxonomy benchmark skipped: {SHOPIFY} not found", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory(prefix="echo_roots_taxonomy_") as folder:
        work = Path(folder)
        sample = prepare(copy_project(work / "sample"), "ecommerce")
        shopify_root = copy_project(work / "shopify")
        imported = run_measured(
            [
                str(BIN / "echo-roots"),
                "import-taxonomy",
                str(SHOPIFY),
                "--domain",
                "shopify",
                "--output",
                str(shopify_root / "seeds" / "domain_pack"),
            ],
            dict(os.environ),
            work / "import.log",
        )
        shopify = prepare(shopify_root, "shopify")
        runs = {name: {"full": [], "again": []} for name in ("sample", "shopify")}
        for _ in range(args.repeat):
            for name, pack in (("sample", sample), ("shopify", shopify)):
                runs[name]["full"].append(build(pack, fresh=True))
                runs[name]["again"].append(build(pack, fresh=False))
        result = {
            "import": imported,
            "seed_rows": seed_rows(shopify_root / "seeds" / "domain_pack", "shopify"),
            "categorized": {"sample": categorized(sample), "shopify": categorized(shopify)},
        }
        for name, kinds in runs.items():
            for kind, measured in kinds.items():
                result[f"{name}_{kind}"] = {
                    "seconds": round(statistics.median(m["seconds"] for m in measured), 1),
                    "peak_mb": round(statistics.median(m["peak_mb"] for m in measured)),
                }
    result["again_ratio"] = round(
        result["shopify_again"]["seconds"] / result["sample_again"]["seconds"], 2
    )
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.markdown:
        write_section(args.markdown, "taxonomy", markdown(result, args.repeat))


def seed_rows(seeds: Path, domain: str) -> dict:
    counts = {}
    for path in sorted(seeds.glob("domain_*.csv")):
        with path.open(encoding="utf-8") as handle:
            counts[path.stem] = sum(1 for line in handle if line.startswith(f"{domain},"))
    return {name: count for name, count in counts.items() if count}


def markdown(r: dict, repeat: int) -> str:
    def row(label: str, key: str) -> str:
        return (
            f"| {label} | {r['sample_' + key]['seconds']} | {r['shopify_' + key]['seconds']} "
            f"| {r['sample_' + key]['peak_mb']} | {r['shopify_' + key]['peak_mb']} |"
        )

    sizes = ", ".join(f"{name} {count:,}" for name, count in r["seed_rows"].items())
    covered = "; ".join(
        f"{source}: {r['categorized']['sample'][source][0]} (sample pack) and "
        f"{r['categorized']['shopify'][source][0]} (Shopify) of {total}"
        for source, (_, total) in r["categorized"]["shopify"].items()
    )
    full, again = r["shopify_full"], r["shopify_again"]
    return "\n".join(
        [
            "## Taxonomy: Shopify's product taxonomy beside the sample pack",
            "",
            f"Produced by `python bench/bench_taxonomy.py` on {os.cpu_count()} cores, "
            f"{time.strftime('%Y-%m-%d')}: the same real items (WDC-PAVE dev offers with their "
            "extractions, Flipkart listings) in two project copies, the sample pack as it is "
            "and Shopify's 2025-08 release imported whole (three locales); a full `dbt build` "
            f"and a build with nothing new, alternating, medians of {repeat} runs.",
            "",
            f"- Import: {r['import']['seconds']} s, peak {r['import']['peak_mb']} MB; seed rows: "
            f"{sizes}.",
            "",
            "| build | sample pack s | Shopify s | sample pack peak MB | Shopify peak MB |",
            "|---|---:|---:|---:|---:|",
            row("full", "full"),
            row("nothing new", "again"),
            "",
            f"- Target, nothing new: Shopify within {RATIO_TARGET}x the sample pack's: "
            f"{'met' if r['again_ratio'] <= RATIO_TARGET else 'NOT met'} ({r['again_ratio']}x).",
            f"- Target, full Shopify build under {FULL_TARGET_SECONDS} s and "
            f"{FULL_TARGET_MB} MB: "
            + (
                "met"
                if full["seconds"] < FULL_TARGET_SECONDS and full["peak_mb"] < FULL_TARGET_MB
                else "NOT met"
            )
            + f" ({full['seconds']} s, {full['peak_mb']} MB; nothing new {again['seconds']} s).",
            f"- Items with a category: {covered}.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
