"""`echo-roots refresh`: what a scheduled job runs after a load.

It builds what the change can reach, with dbt's own selection against the state of the last
refresh (kept in `<warehouse>.refresh/` beside the warehouse file):

- `source_status:fresher+`: the models, snapshots and tests downstream of the raw tables that
  received rows since then (`dbt source freshness` measures each table's latest `_loaded_at`);
- `state:modified+`: what a change to the project (SQL, YAML, macros, seeds) reaches;
- and what dbt's state comparison cannot see: a seed over 1 MiB (dbt compares those by path
  only) whose content changed, and the models that judge mappings by the build date when the
  date moved on. A change to the project's vars rebuilds everything.

No state yet (the first refresh, or `--full`): everything is built. The state advances only
after a build that passed, so a failed refresh is retried whole by the next one. Then the
warehouse is published for analysts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from loader.warehouse import LoaderError, default_database

STATE_SUFFIX = ".refresh"
DATE_MACRO = "macro.echo_roots.as_of_date"
RAW_TABLES = ("source.echo_roots.raw.ingestion_items", "source.echo_roots.raw.extraction_results")


@dataclass
class RefreshReport:
    database: str
    state: str
    mode: str  # `full` (no state, or asked for) or `changes`
    selection: list[str]
    reasons: list[str]
    nodes: int
    seconds: float  # the whole refresh
    build_seconds: float = 0.0  # dbt build alone
    publish_seconds: float = 0.0
    published: dict | None = None
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def state_folder(database: str | os.PathLike) -> Path:
    path = Path(database)
    return path.with_name(path.stem + STATE_SUFFIX)


def refresh(
    database: str | os.PathLike | None = None,
    *,
    project: str | os.PathLike = ".",
    target: str | None = None,
    full: bool = False,
    publish: bool = True,
) -> RefreshReport:
    """Build what changed since the last refresh of `database`, then publish it."""
    started = time.perf_counter()
    database = Path(database or default_database())
    if not database.exists():
        raise LoaderError(f"{database}: no such warehouse file (load data first)")
    with _warehouse_variable(database):  # profiles.yml reads ECHO_ROOTS_DB
        report = _build(database, Path(project).resolve(), target, full)
    if publish and not report.failures:
        from loader.release.publish import publish as publish_warehouse

        publish_started = time.perf_counter()
        report.published = publish_warehouse(database).to_dict()
        report.publish_seconds = round(time.perf_counter() - publish_started, 1)
    report.seconds = round(time.perf_counter() - started, 1)
    return report


@contextmanager
def _warehouse_variable(database: Path):
    before = os.environ.get("ECHO_ROOTS_DB")
    os.environ["ECHO_ROOTS_DB"] = str(database)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ECHO_ROOTS_DB", None)
        else:
            os.environ["ECHO_ROOTS_DB"] = before


def _build(database: Path, project: Path, target: str | None, full: bool) -> RefreshReport:
    """Freshness, the selection, `dbt build`; the state saved when the build passed."""
    from dbt.cli.main import dbtRunner

    state = state_folder(database)
    common = ["--project-dir", str(project), *(["--target", target] if target else [])]
    parsed = dbtRunner().invoke(["parse", "--quiet", *common])
    if not parsed.success:
        raise LoaderError(f"dbt parse failed: {parsed.exception or 'see the log above'}")
    runner = dbtRunner(manifest=parsed.result)  # parsed once for both commands
    freshness = runner.invoke(["source", "freshness", "--quiet", *common])
    if freshness.exception is not None:
        raise LoaderError(f"dbt source freshness failed: {freshness.exception}")
    inputs = _inputs(project, parsed.result)
    previous = None if full else _read_state(state)
    selection, reasons = _selection(previous, inputs, parsed.result)
    build = ["build", *common, "--exclude-resource-type", "unit_test"]
    if selection:
        build += ["--select", *selection, "--state", str(state)]
        if previous["raw_through"]:  # reconcile the raw rows loaded since the last refresh
            build += ["--vars", json.dumps({"reconcile_loaded_after": previous["raw_through"]})]
    build_started = time.perf_counter()
    result = runner.invoke(build)
    report = RefreshReport(
        database=str(database),
        state=str(state),
        mode="changes" if selection else "full",
        selection=selection,
        reasons=reasons,
        nodes=len(result.result.results) if result.result is not None else 0,
        seconds=0.0,
        build_seconds=round(time.perf_counter() - build_started, 1),
        failures=_failures(result) or ([] if result.success else ["dbt build failed"]),
    )
    if result.success:
        target_path = Path(os.environ.get("DBT_TARGET_PATH") or "target")
        _save_state(
            state, target_path if target_path.is_absolute() else project / target_path, inputs
        )
    return report


def _selection(previous: dict | None, inputs: dict, manifest) -> tuple[list[str], list[str]]:
    """dbt selectors for what changed since `previous` (empty: build everything), and why."""
    if previous is None:
        return [], ["no refresh state yet: everything is built"]
    if previous.get("vars") != inputs["vars"]:
        return [], ["the project's vars changed (dbt does not compare vars): everything is built"]
    selection = ["source_status:fresher+", "state:modified+"]
    reasons = ["raw tables with new rows", "what the project's changes reach"]
    for seed, digest in inputs["large_seeds"].items():
        if (previous.get("large_seeds") or {}).get(seed) != digest:
            selection.append(f"{seed}+")
            reasons.append(f"seed {seed} changed (over 1 MiB: dbt compares its path only)")
    if inputs["as_of_date"] != previous.get("as_of_date"):
        for node in manifest.nodes.values():
            if node.resource_type == "model" and DATE_MACRO in node.depends_on.macros:
                selection.append(f"{node.name}+")
                reasons.append(f"{node.name} judges mappings by date, and the date moved on")
    return selection, reasons


def _inputs(project: Path, manifest) -> dict:
    """What decides a build that dbt's state comparison does not see."""
    from dbt.constants import MAXIMUM_SEED_SIZE

    large_seeds = {}
    for node in manifest.nodes.values():
        if node.resource_type != "seed":
            continue
        path = project / node.original_file_path
        if path.stat().st_size > MAXIMUM_SEED_SIZE:  # dbt compares it by its path only
            large_seeds[node.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    variables = _project_vars(project)
    text = json.dumps(variables, sort_keys=True, default=str)
    return {
        "vars": hashlib.sha256(text.encode()).hexdigest(),
        "large_seeds": large_seeds,
        # the date mappings are judged in force on (macros/as_of_date.sql)
        "as_of_date": str(variables.get("as_of_date") or date.today().isoformat()),
        "raw_through": None,
    }


def _project_vars(project: Path) -> dict:
    import yaml

    document = yaml.safe_load((project / "dbt_project.yml").read_text(encoding="utf-8"))
    return document.get("vars") or {}


def _read_state(state: Path) -> dict | None:
    try:
        inputs = json.loads((state / "inputs.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not ((state / "manifest.json").exists() and (state / "sources.json").exists()):
        return None
    try:  # timestamps, written again as such: nothing else reaches the SQL
        through = inputs.get("raw_through") or {}
        through = {table: datetime.fromisoformat(at).isoformat() for table, at in through.items()}
    except (AttributeError, TypeError, ValueError):
        return None  # a state that does not read back is no state: everything is built
    # both raw tables, or the reconciliation checks every item
    complete = set(through) == {uid.rsplit(".", 1)[-1] for uid in RAW_TABLES}
    inputs["raw_through"] = through if complete else None
    return inputs


def _save_state(state: Path, target_path: Path, inputs: dict) -> None:
    """The manifest of this build and the freshness measured before it: the next refresh
    builds what changed after them. Written beside the old state, then swapped in."""
    sources = json.loads((target_path / "sources.json").read_text(encoding="utf-8"))
    measured = {
        result["unique_id"].rsplit(".", 1)[-1]: result.get("max_loaded_at")
        for result in sources["results"]
        if result["unique_id"] in RAW_TABLES
    }
    pending = state.with_name(state.name + ".new")
    shutil.rmtree(pending, ignore_errors=True)
    pending.mkdir(parents=True)
    shutil.copyfile(target_path / "manifest.json", pending / "manifest.json")
    shutil.copyfile(target_path / "sources.json", pending / "sources.json")
    # the raw rows this build saw: the next refresh reconciles the rows loaded after them
    # (a timestamp as dbt measured it, written again by Python: nothing else reaches the SQL)
    through = {
        table: datetime.fromisoformat(at).isoformat() for table, at in measured.items() if at
    }
    complete = len(through) == len(RAW_TABLES)
    state_inputs = {**inputs, "raw_through": through if complete else None}
    (pending / "inputs.json").write_text(json.dumps(state_inputs, indent=2), encoding="utf-8")
    old = state.with_name(state.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if state.exists():
        state.rename(old)
    pending.rename(state)
    shutil.rmtree(old, ignore_errors=True)


def _failures(result) -> list[str]:
    if result.exception is not None:
        return [str(result.exception)]
    if result.result is None:
        return []
    return [
        f"{entry.node.unique_id}: {entry.message}"
        for entry in result.result.results
        if str(entry.status) in ("error", "fail")
    ]
