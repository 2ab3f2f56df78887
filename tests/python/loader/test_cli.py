"""The command line: `echo-roots` and the older `echo-roots-load` mirror the Python API (each
verb calls the function of its name with the same arguments), `--wait` works on every verb
that opens the warehouse, and a held warehouse names the program that holds it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import loader
from loader.cli.main import main, main_legacy
from loader.ingestion.aliases import InputMapping
from loader.ingestion.reports import LoadReport
from loader.warehouse import LoaderError, connect, lock_holder

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def test_version_is_one_fact():
    shown = subprocess.run(
        [str(BIN / "echo-roots"), "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"echo-roots {loader.__version__}"
    from importlib.metadata import version

    assert version("echo-roots") == loader.__version__  # pyproject.toml reads loader/version.py
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["version"] == loader.__version__


@dataclass
class Recorded:
    name: str
    args: tuple
    kwargs: dict


def _returns(name: str, args: tuple):
    """What the recorded API function gives back, enough for the verb to print it."""
    if name.startswith("load_"):
        kind = "items" if name == "load_items" else "extractions"
        report = LoadReport(kind=kind, database=str(args[-1]))
        return [report, report] if name == "load_sample" else report
    return {"database": "w.duckdb", "layers": {}}


@pytest.fixture
def calls(monkeypatch):
    """The public API functions replaced by recorders: what each verb called, with what."""
    seen: list[Recorded] = []
    for name in (
        "load_items",
        "load_extractions",
        "load_sample",
        "status",
        "summary",
        "publish",
        "export",
        "import_taxonomy",
    ):

        def record(*args, _name=name, **kwargs):
            seen.append(Recorded(_name, args, kwargs))
            return _returns(_name, args)

        monkeypatch.setattr(loader, name, record)
    return seen


LOAD_OPTIONS = {"format": None, "aliases": InputMapping(), "force": False, "wait": 0}
# argv after the verb -> the API call it must make
VERBS = [
    (
        ["items", "a.csv", "b.csv", "--database", "w.duckdb", "--format", "csv"]
        + ["--alias", "title=product_name", "--set", "source=shop", "--force", "--wait", "3"]
        + ["--no-progress", "--json"],
        Recorded(
            "load_items",
            (["a.csv", "b.csv"], "w.duckdb"),
            {
                "format": "csv",
                "aliases": InputMapping({"title": ["product_name"]}, {"source": "shop"}),
                "force": True,
                "wait": 3.0,
                "progress": False,
            },
        ),
    ),
    (
        ["extractions", "x.jsonl", "--json"],
        Recorded("load_extractions", (["x.jsonl"], None), {**LOAD_OPTIONS, "progress": None}),
    ),
    (
        ["sample", "--database", "w.duckdb", "--wait", "2", "--progress", "--json"],
        Recorded("load_sample", ("w.duckdb",), {"force": False, "wait": 2.0, "progress": True}),
    ),
    (["status", "--wait", "2"], Recorded("status", (None,), {"wait": 2.0})),
    (
        ["summary", "--database", "w.duckdb", "--wait", "2", "--json"],
        Recorded("summary", ("w.duckdb",), {"wait": 2.0}),
    ),
    (
        ["publish", "--database", "w.duckdb", "--to", "pub", "--wait", "1", "--json"],
        Recorded("publish", ("w.duckdb",), {"to": "pub", "wait": 1.0}),
    ),
    (
        ["export", "--database", "p.duckdb", "--out", "out", "--wait", "1", "--json"],
        Recorded("export", ("p.duckdb",), {"out": "out", "wait": 1.0}),
    ),
    (
        ["import-taxonomy", "g.txt", "--domain", "shop", "--output", "seeds", "--format"]
        + ["google", "--locale", "en-US", "--json"],
        Recorded(
            "import_taxonomy",
            ("g.txt", "seeds"),
            {"domain": "shop", "format": "google", "locale": "en-US"},
        ),
    ),
]


@pytest.mark.parametrize(("argv", "expected"), VERBS, ids=[v[1].name for v in VERBS])
def test_each_verb_calls_the_api_function_of_its_name(argv, expected, calls, capsys):
    # echo-roots says `load items`; echo-roots-load says `items`, as scripts call it
    new_argv = ["load", *argv] if argv[0] in ("items", "extractions") else argv
    assert main(new_argv) == 0
    assert main_legacy(argv) == 0
    assert calls == [expected, expected]
    assert hasattr(loader, expected.name) and expected.name in loader.__all__
    if "--json" in argv:  # each run printed one JSON document
        printed = capsys.readouterr().out
        half = len(printed) // 2
        assert json.loads(printed[:half]) == json.loads(printed[half:])


def test_the_two_commands_offer_the_same_options():
    from loader.cli.main import parser

    def options(top) -> dict[str, set[str]]:
        found = {}
        for action in top._subparsers._group_actions[0].choices.items():
            name, sub = action
            if name == "load":
                found.update(options(sub))
                continue
            found[name] = {o for a in sub._actions for o in a.option_strings}
        return found

    new, legacy = options(parser("echo-roots")), options(parser("echo-roots-load", legacy=True))
    assert new == legacy
    opens_warehouse = {"items", "extractions", "sample", "status", "summary", "publish", "export"}
    assert {verb for verb, flags in new.items() if "--wait" in flags} == opens_warehouse


def test_a_warehouse_error_is_exit_2_with_the_command_named(tmp_path, capsys):
    missing = str(tmp_path / "nope.duckdb")
    assert main(["status", "--database", missing]) == 2
    assert main_legacy(["summary", "--database", missing]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("echo-roots: error: ") and "no such warehouse file" in err[0]
    assert err[1].startswith("echo-roots-load: error: ")


HOLD = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()  # holds the file until the test closes this pipe
"""


def _program(folder: Path, name: str) -> Path:
    """A script called `name`, run as the venv runs dbt or echo-roots-load: `python <path>`."""
    script = folder / name
    script.write_text(HOLD, encoding="utf-8")
    return script


def _hold(argv: list[str]) -> subprocess.Popen:
    """Start `argv`, which opens a warehouse for writing; return once it says `locked`."""
    holder = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if Path(argv[0]).name == "duckdb":  # the CLI opens its file first, then reads commands
        holder.stdin.write(".print locked\n")
        holder.stdin.flush()
    assert holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    holder.wait(timeout=60)


@pytest.mark.parametrize(
    ("program", "named"),
    [("dbt", "dbt"), ("echo-roots-load", "the echo-roots loader"), ("duckdb", "a DuckDB CLI")],
)
def test_a_held_warehouse_names_its_holder(program, named, tmp_path):
    database = tmp_path / "w.duckdb"
    if program == "duckdb":  # the real DuckDB CLI the venv installs for analysts
        holder = _hold([str(BIN / "duckdb"), str(database)])
    else:
        holder = _hold([sys.executable, str(_program(tmp_path, program)), str(database)])
    try:
        with pytest.raises(LoaderError) as error:
            connect(database, read_only=True)
    finally:
        _release(holder)
    message = str(error.value)
    assert f"another process holds this warehouse file: {named} (PID " in message
    if program != "duckdb":  # the command line as its user typed it, not `python3.11`
        assert f"(PID {holder.pid}: {program} {database})" in message
    assert "--wait SECONDS" in message


def test_lock_holder_without_a_pid_or_process():
    assert lock_holder("IO Error: Could not set lock on file") is None
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = gone.stdout.strip()
    assert lock_holder(f"Conflicting lock is held in /usr/bin/python3 (PID {pid})") == (
        f"process {pid}"
    )


@pytest.mark.parametrize("verb", ["status", "summary"])
def test_status_and_summary_wait_for_the_writer(verb, tmp_path):
    database = tmp_path / "w.duckdb"
    loader.load_items([_one_item(tmp_path)], database=database)
    holder = _hold([sys.executable, str(_program(tmp_path, "dbt")), str(database)])
    read = getattr(loader, verb)
    try:
        with pytest.raises(LoaderError, match="holds this warehouse file: dbt"):
            read(database)  # no --wait: fails at once, naming dbt
        waiting = subprocess.Popen(
            [str(BIN / "echo-roots"), verb, "--database", str(database), "--wait", "60", "--json"],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(2)  # lets the verb start and find the file held (a pass does not need it)
    finally:
        _release(holder)  # the writer finishes while the verb waits
    out, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    info = json.loads(out)
    if verb == "status":
        assert info["tables"]["ingestion_items"] == 1
    else:
        assert info["layers"]["raw"]["ingestion_items"] == 1


def _one_item(folder: Path) -> Path:
    source = folder / "one.jsonl"
    item = {"item_id": "w-1", "title": "Kettle", "source": "shop", "language": "en"}
    source.write_text(json.dumps(item) + "\n", encoding="utf-8")
    return source
