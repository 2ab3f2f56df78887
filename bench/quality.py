"""Normalization quality: the warehouse's canonical values against the WDC-PAVE gold.

    .venv/bin/python bench/quality.py --markdown BENCHMARKS.md

Loads the WDC-PAVE dev offers and their extraction results (../shared/datasets/, beside the
checkout) into a fresh DuckDB file, runs `dbt build` (with `--vars`, e.g. a domain pack),
and compares `taxonomy.item_attributes.canonical_value` with the gold normalized value of
each (offer, attribute, raw value): exact text, after trimming. The pass-through baseline
(the raw value as it came) is measured in the same run. A gold value the warehouse has no
row for counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_transform import BIN, load, warehouse_env  # noqa: E402
from report import write_section  # noqa: E402

DATASETS = REPO.parent / "shared" / "datasets"
TARGET = 0.75

# one row per gold value: is the canonical value right, is the raw value right as it is
SCORED = """
    with gold as (
        select row_number() over () as gold_id, *
        from read_json(?, format = 'newline_delimited', columns = {
            item_id: 'varchar', category: 'varchar', attribute: 'varchar',
            raw_value: 'varchar', normalized_value: 'varchar'})
    )
    select
        gold.category,
        gold.attribute,
        coalesce(bool_or(trim(a.canonical_value) = trim(gold.normalized_value)), false)
            as canonical_right,
        trim(gold.raw_value) = trim(gold.normalized_value) as raw_right,
        coalesce(bool_or(lower(trim(a.canonical_value)) = lower(trim(gold.normalized_value))),
            false) as canonical_right_any_case,
        lower(trim(gold.raw_value)) = lower(trim(gold.normalized_value)) as raw_right_any_case,
        bool_or(a.canonical_value is not null) as has_canonical
    from gold
    left join taxonomy.item_attributes as a
        on a.item_id = gold.item_id
        and a.raw_name = gold.attribute
        and a.raw_value = gold.raw_value
    group by gold.gold_id, gold.category, gold.attribute, gold.raw_value, gold.normalized_value
"""
SUMMARY = f"""
    select
        category,
        attribute,
        count(*) as gold_values,
        round(avg(canonical_right::int), 3) as canonical,
        round(avg(raw_right::int), 3) as pass_through,
        round(avg(canonical_right_any_case::int), 3) as canonical_any_case,
        round(avg(raw_right_any_case::int), 3) as pass_through_any_case,
        round(avg(coalesce(has_canonical, false)::int), 3) as with_canonical
    from ({SCORED})
    group by grouping sets ((category, attribute), ())
    order by category nulls first, attribute
"""


def build(folder: Path, dbt_vars: str | None) -> None:
    env = warehouse_env(folder)
    database = Path(env["ECHO_ROOTS_DB"])
    load(
        database,
        DATASETS / "wdc_pave_dev.items.jsonl",
        DATASETS / "wdc_pave_dev.extractions.jsonl",
        env,
    )
    command = [str(BIN / "dbt"), "build", "--quiet"]
    if dbt_vars:
        command += ["--vars", dbt_vars]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed on the WDC-PAVE dev files:\n{result.stdout[-3000:]}")


def measure(dbt_vars: str | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder), dbt_vars)
        con = duckdb.connect(str(Path(folder) / "echo_roots.duckdb"), read_only=True)
        return score(con, DATASETS / "wdc_pave_dev.value_normalization.jsonl")


def score(con: duckdb.DuckDBPyConnection, gold: Path) -> list[dict]:
    """The overall row first, then one per (category, attribute)."""
    cursor = con.execute(SUMMARY, [str(gold)])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def markdown(rows: list[dict], argv: list[str]) -> str:
    overall, per_attribute = rows[0], rows[1:]
    met = "met" if overall["canonical"] >= TARGET else "NOT met"
    lines = [
        "## Normalization quality: canonical values against the WDC-PAVE dev gold",
        "",
        f"Produced by `python bench/quality.py {' '.join(argv)}` (`make quality`), "
        f"{time.strftime('%Y-%m-%d')}: {overall['gold_values']:,} gold values of the "
        "WDC-PAVE dev offers; a value is right when `item_attributes.canonical_value` equals "
        "the gold (trimmed). Pass-through: the raw value as it came, in the same run.",
        "",
        f"Overall: canonical {overall['canonical']:.1%}, pass-through "
        f"{overall['pass_through']:.1%}, values with a canonical value "
        f"{overall['with_canonical']:.1%}; ignoring case, canonical "
        f"{overall['canonical_any_case']:.1%} and pass-through "
        f"{overall['pass_through_any_case']:.1%}. Target (exact, held-out offers) "
        f"{TARGET:.0%}: {met} on the dev half.",
        "",
        "| category | attribute | gold values | canonical | pass-through | with a canonical |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in per_attribute:
        lines.append(
            f"| {r['category']} | {r['attribute']} | {r['gold_values']} | {r['canonical']:.1%} "
            f"| {r['pass_through']:.1%} | {r['with_canonical']:.1%} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vars", dest="dbt_vars", help="passed to dbt build, e.g. a domain")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="write the results into this file's section")
    args = parser.parse_args()
    if not (DATASETS / "wdc_pave_dev.value_normalization.jsonl").exists():
        raise SystemExit(f"{DATASETS}: the WDC-PAVE dev files are not there")
    rows = measure(args.dbt_vars)
    print(json.dumps(rows[0]))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.markdown:
        write_section(args.markdown, "quality", markdown(rows, sys.argv[1:]))


if __name__ == "__main__":
    main()
