"""The loader benchmark runs end to end on every row shape it reports (a few thousand rows):
each shape's synthetic file loads with no reject, and the report names every shape."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_loader_bench_runs_every_shape(tmp_path):
    results, report = tmp_path / "results.json", tmp_path / "BENCHMARKS.md"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "bench_loader.py"),
            "--sizes",
            "3000",
            "6000",
            "--repeat",
            "1",
            "--data",
            str(tmp_path / "data"),
            "--json",
            str(results),
            "--markdown",
            str(report),
        ],
        check=True,  # the benchmark asserts the loader rejected nothing
        capture_output=True,
        cwd=REPO,
    )
    rows = json.loads(results.read_text())
    assert [(r["shape"], r["rows"]) for r in rows][:3] == [
        ("items", 3000),
        ("items", 6000),
        ("listings", 3000),
    ]
    assert rows[3]["shape"] == "extractions" and 0 < rows[3]["rows"] <= 3000
    assert all(r["loader_seconds"] > 0 and r["bare_seconds"] > 0 for r in rows)
    assert all(r["unruled_seconds"] > 0 and r["unruled_ratio"] > 0 for r in rows)
    # CPU of the child process, not of the benchmark itself: a process that loads at least
    # imports DuckDB, which alone takes some CPU
    assert all(r["loader_cpu_seconds"] > 0 and r["bare_cpu_seconds"] > 0 for r in rows)
    text = report.read_text()
    assert "| listings | 3,000 |" in text and "Target, extractions" in text
