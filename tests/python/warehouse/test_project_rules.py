"""Project rules, checked on the manifest `dbt parse` writes (no warehouse needed):

(a) only staging models read sources and seeds;
(b) every model (each version of a versioned one) has a description and a primary-key test:
    `unique` and `not_null` on one column (on a mart, `not_null` may be the column's enforced
    constraint instead), or `unique_combination_of_columns`;
(c) every mart enforces its contract and gives every column a data_type;
(d) names: models/staging/<source>/stg_<source>__<entity>, intermediate int_<entity>_<verb>ed,
    marts plain names (no stg_ or int_ prefix);
(e) no model depends on a model of a later layer (staging < intermediate < marts; an
    intermediate model may read another intermediate model, a mart another mart);
(f) every macro of the project (generic tests included) has a description and documents each
    argument of its signature, in order, with a type and a description, and no other;
(g) every incremental model follows the incremental protocol named in macros/incremental.sql:
    its config, a scope filter on every item-level input, one vocabulary for scope filters,
    stamp and pre-hook, a vocabulary that covers what the model reads; and only item-level
    incremental models declare the stamp columns; a pack-level one (macros/pack_models.sql)
    clears itself in a pre-hook when the pack changed, writes only then, and declares its
    fingerprint;
(h) no model writes SQL only DuckDB runs (list functions and lambdas, list and struct literals,
    slices, `* exclude`/`* replace`, `union by name`, arg_max, string_split, json_ functions,
    timestamptz, unsized varchar, printf/format, regexp_replace's 'g'): such SQL goes in a
    dispatched macro with a duckdb__ and a spark__ version (macros/, tested on both engines
    in tests/python/engines/). The models not yet ported to Spark are listed, with what they
    still use; one that is ported leaves the list.

Each rule is a function from a manifest to the violations it finds, each naming its model
(or macro). Every rule is run on the project's manifest (no violations) and on a copy with
one node broken (the violation is reported, with the node's name)."""

from __future__ import annotations

import copy
import json
import re

import jinja2
import pytest

LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}
NAME_PATTERNS = {
    "intermediate": re.compile(r"^int_[a-z0-9_]+ed$"),
    "marts": re.compile(r"^(?!stg_|int_)[a-z][a-z0-9_]*$"),
}
ENTITY = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
# Models that break (d), by name, with why: none today (int_candidate_sightings and
# int_elevated_values were renamed int_candidate_terms_sighted and int_values_elevated).
KNOWN_NAMING_EXCEPTIONS: dict[str, str] = {}


# -- reading the manifest ---------------------------------------------------------------------


def models(manifest: dict) -> dict[str, dict]:
    return {
        uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"
    }


def label(node: dict) -> str:
    """The model's name, with its version for a versioned model (`semantic_candidates.v1`)."""
    return f"{node['name']}.v{node['version']}" if node.get("version") else node["name"]


def layer(node: dict) -> str | None:
    """`staging`, `intermediate` or `marts`, from the model's folder under models/."""
    parts = node["original_file_path"].split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "models" and parts[1] in LAYERS else None


def attached_tests(manifest: dict, uid: str) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("attached_node") == uid
        and node.get("test_metadata")
    ]


def has_primary_key_test(manifest: dict, uid: str) -> bool:
    tests = attached_tests(manifest, uid)
    if any(t["test_metadata"]["name"] == "unique_combination_of_columns" for t in tests):
        return True
    by_column: dict[str, set[str]] = {}
    for test in tests:
        if test.get("column_name"):
            by_column.setdefault(test["column_name"], set()).add(test["test_metadata"]["name"])
    # a not_null constraint DuckDB enforces under the model's contract counts as the test
    node = manifest["nodes"][uid]
    if node["config"].get("contract", {}).get("enforced"):
        for name, column in node["columns"].items():
            if any(c["type"] == "not_null" for c in column.get("constraints", [])):
                by_column.setdefault(name, set()).add("not_null")
    return any({"unique", "not_null"} <= names for names in by_column.values())


def declares_no_key(node: dict) -> bool:
    """A model whose grain is one row per event (a mention, a sighting) says so with
    `meta: {primary_key: none}` and its description: there is no key to test."""
    return node["config"].get("meta", {}).get("primary_key") == "none"


# -- the rules ----------------------------------------------------------------------------------


def sources_read_outside_staging(manifest: dict) -> list[str]:
    """(a) Models outside models/staging that read a source or a seed."""
    found = []
    for node in models(manifest).values():
        if layer(node) == "staging":
            continue
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith(("source.", "seed.")):
                found.append(f"{label(node)} ({layer(node)}) reads {parent}")
    return found


def models_without_description_or_primary_key(manifest: dict) -> list[str]:
    """(b) Models (each version) without a description, or without a primary-key test."""
    found = []
    for uid, node in models(manifest).items():
        if not node["description"].strip():
            found.append(f"{label(node)} has no description")
        if not declares_no_key(node) and not has_primary_key_test(manifest, uid):
            found.append(
                f"{label(node)} has no primary-key test "
                "(unique + not_null on a column, or unique_combination_of_columns)"
            )
    return found


def marts_without_contract(manifest: dict) -> list[str]:
    """(c) Marts whose contract is not enforced, or with a column without a data_type."""
    found = []
    for node in models(manifest).values():
        if layer(node) != "marts":
            continue
        if not node["config"].get("contract", {}).get("enforced"):
            found.append(f"{label(node)} does not enforce its contract")
        if not node["columns"]:
            found.append(f"{label(node)} declares no columns")
        for column in node["columns"].values():
            if not (column.get("data_type") or "").strip():
                found.append(f"{label(node)}.{column['name']} has no data_type")
    return found


def misnamed_models(manifest: dict) -> list[str]:
    """(d) Models whose name does not follow their layer's convention, or that live outside
    models/staging, models/intermediate and models/marts."""
    found = []
    for node in models(manifest).values():
        name, where = node["name"], layer(node)
        path = node["original_file_path"]
        if where is None:
            found.append(f"{name} is in no layer folder: {path}")
        elif where == "staging":
            folder = path.split("/")[2] if path.count("/") >= 3 else ""
            prefix = f"stg_{folder}__"
            if not (folder and name.startswith(prefix) and ENTITY.match(name[len(prefix) :])):
                found.append(f"{name} in {path} is not stg_<source>__<entity> (stg_{folder}__...)")
        elif not NAME_PATTERNS[where].match(name):
            found.append(f"{name} ({where}) does not match {NAME_PATTERNS[where].pattern}")
    return found


def models_reading_a_later_layer(manifest: dict) -> list[str]:
    """(e) Models that depend on a model of a later layer, or staging models that read
    another staging model."""
    found = []
    every = models(manifest)
    for node in every.values():
        here = layer(node)
        for parent_id in node["depends_on"]["nodes"]:
            parent = every.get(parent_id)
            if parent is None or here is None or layer(parent) is None:
                continue
            there = layer(parent)
            later = LAYERS[there] > LAYERS[here]
            if later or (there == here == "staging"):
                found.append(f"{label(node)} ({here}) depends on {label(parent)} ({there})")
    return found


# -- (f) macros documented -------------------------------------------------------------------

MACRO_HEADER = re.compile(
    r"\{%-?\s*(?:macro|test|materialization)\s+(\w+)\s*\((.*?)\)\s*-?%\}", re.S
)


def project_macros(manifest: dict) -> dict[str, dict]:
    """The project's own macros (not dbt's or the adapter's), generic tests included."""
    project = manifest["metadata"]["project_name"]
    return {
        uid: macro for uid, macro in manifest["macros"].items() if macro["package_name"] == project
    }


def signature(macro: dict) -> list[str]:
    """The argument names of the macro's Jinja definition, in order (a generic test's
    `{% test name(model, ...) %}` read as a macro; a materialization takes none)."""
    if macro["name"].startswith("materialization_"):
        return []
    header = MACRO_HEADER.search(macro["macro_sql"])
    assert header, f"no macro header in {macro['original_file_path']}"
    parsed = jinja2.Environment().parse(
        "{% macro " + header[1] + "(" + header[2] + ") %}{% endmacro %}"
    )
    return [arg.name for arg in next(parsed.find_all(jinja2.nodes.Macro)).args]


def undocumented_macros(manifest: dict) -> list[str]:
    """(f) Project macros without a description, or whose documented arguments are not their
    signature (one missing, one too many, out of order), or an argument without a type or a
    description."""
    found = []
    for macro in project_macros(manifest).values():
        name = macro["name"]
        if not macro["description"].strip():
            found.append(f"{name} has no description")
        documented = [argument["name"] for argument in macro["arguments"]]
        expected = signature(macro)
        for argument in expected:
            if argument not in documented:
                found.append(f"{name}: argument {argument} is not documented")
        for argument in documented:
            if argument not in expected:
                found.append(f"{name}: argument {argument} is documented but not in its signature")
        if set(documented) == set(expected) and documented != expected:
            found.append(f"{name}: arguments documented as {documented}, defined as {expected}")
        for argument in macro["arguments"]:
            if not (argument.get("type") or "").strip():
                found.append(f"{name}: argument {argument['name']} has no type")
            if not (argument.get("description") or "").strip():
                found.append(f"{name}: argument {argument['name']} has no description")
    return found


# -- (g) the incremental protocol --------------------------------------------------------------
# What it is, is said once, in the header of macros/incremental.sql; this rule checks it.

STAMPS = ("vocabulary_hash", "raw_loaded_through")
SCOPE_MACROS = ("items_to_process", "restamped_rows")
PRE_HOOKS = {  # the pre-hook each kind of stamped model needs
    "item": "delete_items_to_process",
    "log": "retire_items_to_process",
    "candidate": "delete_candidates_losing_sightings",
}
PROTOCOL_MACROS = (*SCOPE_MACROS, "incremental_stamp", *PRE_HOOKS.values())
STAMPED = tuple(PRE_HOOKS)
MARKER = re.compile(r"\[\[(\w+):(\w+)\]\]")  # what Ref and the recorded calls render as


def incremental_kind(node: dict) -> str | None:
    """`raw` (a staging model reading a source, with its own watermark), `history` (append
    only: full_refresh false, no unique_key), `pack` (stamped with pack_fingerprint: rebuilt
    when the domain pack changed), `log` (item-level, declares retired_through: the sighting
    log, which retires rows), `candidate` (stamped, one row per candidate: the aggregate of
    the sighting log), `partition` (counts
    of an item-level table per build partition, macros/partitions.sql), `item` (every other
    incremental model: the stamped, item-level ones) or None (not incremental)."""
    config = node["config"]
    if config.get("materialized") != "incremental":
        return None
    if any(parent.startswith("source.") for parent in node["depends_on"]["nodes"]):
        return "raw"
    if config.get("full_refresh") is False and not config.get("unique_key"):
        return "history"
    if "pack_fingerprint" in node["columns"] or "pack_fingerprint()" in node["raw_code"]:
        return "pack"
    if "retired_through" in node["columns"]:
        return "log"
    if config.get("unique_key") in ("candidate_id", ["candidate_id"]):
        return "candidate"
    if config.get("unique_key") in ("build_partition", ["build_partition"]):
        return "partition"
    return "item"


class Lenient(jinja2.Undefined):
    """What the rule does not model (config, var, adapter, the SQL other macros write): renders
    as nothing, and can be called, indexed and read from."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __str__(self):
        return ""

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False


class MacroReturn(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


class Ref(str):
    """`ref('x')` as the rule reads it: renders as a marker, names the model."""

    def __new__(cls, name: str):
        ref = super().__new__(cls, f"[[ref:{name}]]")
        ref.model = name
        return ref


def model_names(relations) -> list[str]:
    return [getattr(relation, "model", str(relation)) for relation in relations or []]


class ProtocolReading:
    """A model's SQL and pre-hooks rendered with Jinja as dbt would, but with `ref` returning
    a marker and the protocol's macros recording their calls (each with its vocabulary, as a
    list of model names) and rendering as markers; the project's other macros run as written
    (so `attribute_vocabulary()` is the list its macro returns)."""

    def __init__(self, manifest: dict, node: dict):
        self.calls: list[tuple[str, str, list[str]]] = []  # (where, macro, vocabulary)
        self.where = "sql"
        env = jinja2.Environment(undefined=Lenient, extensions=["jinja2.ext.do"])
        env.globals["ref"] = lambda name, *args, **kwargs: Ref(name)
        env.globals["return"] = self._return
        for macro in project_macros(manifest).values():
            # (dbt's own: generic tests, materializations, the spark target's is_incremental)
            if macro["name"] in PROTOCOL_MACROS or macro["name"] == "is_incremental":
                continue
            if macro["name"].startswith(("test_", "materialization_")):
                continue
            env.globals[macro["name"]] = self._run(env, macro)
        env.globals["items_to_process"] = self._record(
            "items_to_process", lambda column="item_id", vocabulary=(): vocabulary
        )
        env.globals["restamped_rows"] = self._record(
            "restamped_rows", lambda vocabulary=(): vocabulary
        )
        env.globals["incremental_stamp"] = self._record(
            "incremental_stamp", lambda vocabulary=(): vocabulary
        )
        for hook in PRE_HOOKS.values():
            env.globals[hook] = self._record(hook, lambda vocabulary=(): vocabulary)
        self.sql = env.from_string(node["raw_code"]).render()
        self.where = "pre-hook"
        for hook in node["config"].get("pre-hook") or []:
            env.from_string(hook["sql"]).render()

    @staticmethod
    def _return(value):
        raise MacroReturn(value)

    @staticmethod
    def _run(env, macro):
        template = env.from_string(macro["macro_sql"])

        def run(*args, **kwargs):
            try:
                return getattr(template.module, macro["name"])(*args, **kwargs)
            except MacroReturn as returned:
                return returned.value

        return run

    def _record(self, name, vocabulary_of):
        def record(*args, **kwargs):
            self.calls.append((self.where, name, model_names(vocabulary_of(*args, **kwargs))))
            return f" [[{name}:{len(self.calls)}]] "

        return record

    def vocabularies(self, macro: str, where: str | None = None) -> list[list[str]]:
        return [v for w, name, v in self.calls if name == macro and where in (None, w)]

    def ctes(self) -> list[str]:
        """The rendered SQL cut into its CTEs and final select (one per top-level
        `name as (` ... `)`, sqlfluff's layout)."""
        return re.split(r"(?m)^(?:with )?\w+ as \(\n", self.sql)


def pack_model_breaks(name: str, node: dict) -> list[str]:
    """What a pack-level model (macros/pack_models.sql) forgets."""
    found = []
    hooks = " ".join(hook["sql"] for hook in node["config"].get("pre-hook") or [])
    if "clear_when_pack_changed()" not in hooks:
        found.append(f"{name} (pack) has no pre-hook clear_when_pack_changed()")
    if node["config"].get("on_schema_change") != "fail":
        found.append(f"{name} (pack): on_schema_change is not 'fail'")
    for call in ("pack_fingerprint()", "pack_changed()"):
        if not re.search(r"(?<!\w)" + re.escape(call), node["raw_code"]):
            found.append(f"{name} (pack) never calls {call}")
    if "pack_fingerprint" not in node["columns"]:
        found.append(f"{name} (pack) does not declare the column pack_fingerprint")
    return found


def partition_model_breaks(name: str, node: dict) -> list[str]:
    """What a model counting per build partition (macros/partitions.sql) forgets."""
    found = []
    config = node["config"]
    if config.get("incremental_strategy") != "delete+insert":
        found.append(f"{name} (partition): incremental_strategy is not 'delete+insert'")
    if config.get("on_schema_change") != "fail":
        found.append(f"{name} (partition): on_schema_change is not 'fail'")
    hooks = " ".join(hook["sql"] for hook in config.get("pre-hook") or [])
    if "delete_partitions_to_count(" not in hooks:
        found.append(f"{name} (partition) has no pre-hook delete_partitions_to_count")
    if "partitions_to_count(" not in node["raw_code"]:
        found.append(f"{name} (partition) never calls partitions_to_count")
    return found


def incremental_models_breaking_the_protocol(manifest: dict) -> list[str]:
    """(g) Incremental models that forget a part of the incremental protocol
    (macros/incremental.sql), and models that are not item-level incremental ones but declare
    the build stamps (get_where_subquery would test only a part of them)."""
    found = []
    every = models(manifest)
    kinds = {uid: incremental_kind(node) for uid, node in every.items()}
    readings = {
        uid: ProtocolReading(manifest, every[uid]) for uid, kind in kinds.items() if kind in STAMPED
    }
    for uid, node in every.items():
        name, kind, config = label(node), kinds[uid], node["config"]
        stamps = [column for column in STAMPS if column in node["columns"]]
        if kind not in STAMPED and stamps:
            found.append(
                f"{name} declares {', '.join(stamps)} but is no item-level incremental model: "
                "drop the stamps it reads (exclude, or an explicit column list)"
            )
        if kind is None:
            continue
        if kind == "history":
            if "is_incremental()" not in node["raw_code"]:
                found.append(f"{name} (history) appends without an is_incremental() guard")
            continue
        if kind == "pack":
            found += pack_model_breaks(name, node)
            continue
        if kind == "partition":
            found += partition_model_breaks(name, node)
            continue
        # item-level: the pre-hook deleted every item processed the table held, so it appends
        appends = kind in ("log", "item")
        expected = {
            "unique_key": {"log": None, "candidate": "candidate_id"}.get(kind, "item_id"),
            "incremental_strategy": "append" if appends else "delete+insert",
            "on_schema_change": "fail",
        }
        if kind == "raw" and isinstance(config.get("unique_key"), list):
            expected["unique_key"] = ["item_id", *config["unique_key"][1:]]  # its record's key
        for key, value in expected.items():
            actual = config.get(key)
            if actual != value and actual != [value]:
                found.append(f"{name}: {key} is {actual!r}, not {value!r}")
        if kind == "raw":
            if "raw_watermark()" not in node["raw_code"]:
                found.append(
                    f"{name} (raw staging) reads no watermark of its own (raw_watermark())"
                )
            continue

        reading = readings[uid]
        stamp = reading.vocabularies("incremental_stamp")
        if len(stamp) != 1:
            found.append(f"{name} calls incremental_stamp {len(stamp)} times, not once")
        # the stamp's vocabulary is the model's (without a stamp, its first protocol call's)
        vocabulary = (stamp or [v for _, _, v in reading.calls] or [[]])[0]
        for column in STAMPS:
            if column not in node["columns"]:
                found.append(f"{name} does not declare the stamp column {column}")
        for where, macro, used in reading.calls:
            if used != vocabulary:
                found.append(
                    f"{name}: {macro} ({where}) resolves against {used}, "
                    f"its stamp against {vocabulary}"
                )
        hook = PRE_HOOKS[kind]
        if kind != "item" and not reading.vocabularies(hook, "pre-hook"):
            found.append(f"{name} ({kind}) has no pre-hook {hook}")
        if kind == "item" and not reading.vocabularies(hook, "pre-hook"):
            found.append(f"{name} has no pre-hook {hook}")

        # every item-level input read under a scope filter; everything else it reads is
        # vocabulary, and the vocabulary of a stamped input is part of its own
        read = set()
        for cte in reading.ctes():
            markers = MARKER.findall(cte)
            refs = [model for macro, model in markers if macro == "ref"]
            scopes = {macro for macro, _ in markers if macro in SCOPE_MACROS}
            read.update(refs)
            for parent in refs:
                parent_kind = kinds.get(f"model.{node['package_name']}.{parent}")
                if parent_kind == "raw" and "items_to_process" not in scopes:
                    found.append(f"{name} reads {parent} without items_to_process")
                # the candidate aggregate reads the log through its own watermark
                if parent_kind in STAMPED and not scopes and kind != "candidate":
                    found.append(f"{name} reads {parent} without a scope filter")
        for parent in sorted(read):
            parent_uid = f"model.{node['package_name']}.{parent}"
            if kinds.get(parent_uid) == "raw":
                continue
            if kinds.get(parent_uid) in STAMPED:
                parent_stamp = readings[parent_uid].vocabularies("incremental_stamp")
                missing = [v for v in (parent_stamp or [[]])[0] if v not in vocabulary]
                if missing:
                    found.append(
                        f"{name} reads {parent}, whose vocabulary {missing} is not in its own: "
                        "a change there would not reprocess its items"
                    )
            elif parent not in vocabulary:
                found.append(
                    f"{name} reads {parent}, which is not in its vocabulary: "
                    "a change there would not reprocess its items"
                )
    return found


# -- (h) engine-neutral SQL ------------------------------------------------------------------

DUCKDB_ONLY = {
    "a list function": r"\blist_[a-z_]+\s*\(",
    "a lambda": r"\blambda\b",
    "* exclude / * replace": r"\*\s*(?:exclude|replace)\s*\(",
    "union by name": r"\bunion\s+(?:all\s+)?by\s+name\b",
    "arg_max / arg_min (max_by / min_by run on both)": r"\barg_(?:max|min)\s*\(",
    "string_split / regexp_split_to_array": (
        r"\b(?:string_split|str_split|regexp_split_to_array)\s*\("
    ),
    "generate_subscripts": r"\bgenerate_subscripts\s*\(",
    "unnest (explode on Spark)": r"\bunnest\s*\(",
    "array_to_string (array_join on Spark)": r"\barray_to_string\s*\(",
    "strpos (instr runs on both)": r"\bstrpos\s*\(",
    "regexp_full_match / regexp_matches": r"\bregexp_(?:full_match|matches)\s*\(",
    "timestamptz": r"\btimestamp\s+with\s+time\s+zone\b|\btimestamptz\b",
    "regexp_replace's 'g'": r",\s*'g'\s*\)",
    "printf / format": r"\b(?:printf|format)\s*\(\s*'",
    "an unsized varchar": r"\bvarchar\b(?!\s*\()",
    "a struct literal": r"\{\s*'[^']*'\s*:",
    "a list slice": r"\[\s*-?\d*\s*:\s*-?\d*\s*\]",
    "a list literal": r"(?<![\w\]\)])\[\s*(?:'|\d|[a-z_]+\s*[,\]])",
    "an ordered aggregate (a window's row_number on both)": (
        r"\b(?:first|last|list|array_agg|string_agg|arg_min|arg_max)\s*\((?:[^()]|\([^()]*\))*\border\s+by\b"
    ),
    "a two-argument trim (Spark's rtrim(a, b) trims a from b)": (
        r"\b[lr]?trim\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*,"
    ),
    "a quote doubled in a literal (\\x27 in a pattern)": r"'[^'\s]*''[^'\s,)]",
    "a json_ function or ->>": (
        r"\bjson_(?:transform|extract_string|extract|valid|type|keys)\s*\(|->>"
    ),
}


def sql_outside_jinja(code: str) -> str:
    """A model's own SQL: Jinja (macro calls included) and comments removed, lower-cased."""
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"--[^\n]*"):
        code = re.sub(pattern, " ", code, flags=re.S)
    return code.lower()


def models_with_duckdb_only_sql(manifest: dict) -> list[str]:
    found = []
    for node in models(manifest).values():
        sql = sql_outside_jinja(node["raw_code"])
        used = [name for name, pattern in DUCKDB_ONLY.items() if re.search(pattern, sql)]
        if used:
            found.append(f"{label(node)} uses {', '.join(used)} outside a dispatched macro")
    return found


def shared_macros_with_duckdb_only_sql(manifest: dict) -> list[str]:
    """Rule h for the macros every engine runs: the project's macros that are no engine's
    version of a dispatched one (`duckdb__`, `spark__`)."""
    found = []
    for macro in manifest["macros"].values():
        name = macro["name"]
        if macro["package_name"] != "echo_roots" or name.startswith(("duckdb__", "spark__")):
            continue
        sql = sql_outside_jinja(macro["macro_sql"])
        used = [rule for rule, pattern in DUCKDB_ONLY.items() if re.search(pattern, sql)]
        if used:
            found.append(f"macro {name} uses {', '.join(used)} outside a dispatched macro")
    return found


# The dbt macros the project overrides on purpose (each says why where it is defined).
DBT_MACROS_OVERRIDDEN = {
    "generate_schema_name",
    "get_where_subquery",
    "is_incremental",
    "duckdb__load_csv_rows",
    "spark__load_csv_rows",
}


def macros_shadowing_dbt_macros(manifest: dict) -> list[str]:
    """Rule i: a project macro named as one of dbt's replaces it everywhere dbt calls it by
    name (a `string_literal` of the project's once quoted the unit tests' fixtures twice)."""
    dbt_names = {
        m["name"] for m in manifest["macros"].values() if m["package_name"] != "echo_roots"
    }
    return [
        f"macro {macro['name']} replaces dbt's macro of that name"
        for macro in manifest["macros"].values()
        if macro["package_name"] == "echo_roots"
        and macro["name"] in dbt_names
        and macro["name"] not in DBT_MACROS_OVERRIDDEN
    ]


RULES = [
    sources_read_outside_staging,
    models_without_description_or_primary_key,
    marts_without_contract,
    models_reading_a_later_layer,
    undocumented_macros,
    incremental_models_breaking_the_protocol,
    models_with_duckdb_only_sql,
    shared_macros_with_duckdb_only_sql,
    macros_shadowing_dbt_macros,
]


# -- the project's manifest ------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest(dbt, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("parse")
    result = dbt(["parse"], tmp / "never.duckdb", tmp)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    return json.loads((tmp / "target" / "manifest.json").read_text(encoding="utf-8"))


def node_id(manifest: dict, name: str, version: int | None = None) -> str:
    matches = [
        uid
        for uid, node in models(manifest).items()
        if node["name"] == name and node.get("version") == version
    ]
    assert len(matches) == 1, (name, version, matches)
    return matches[0]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_project_follows_rule(manifest, rule):
    assert rule(manifest) == []


def test_project_follows_naming_rule_but_for_known_exceptions(manifest):
    found = misnamed_models(manifest)
    unexpected = [v for v in found if v.split()[0] not in KNOWN_NAMING_EXCEPTIONS]
    assert unexpected == []
    # an exception that is fixed leaves the list
    assert {v.split()[0] for v in found} == set(KNOWN_NAMING_EXCEPTIONS)


def test_rule_h_reports_duckdb_only_sql_in_a_ported_model(manifest):
    broken = broken_sql(manifest, "extraction_quality", "count(*)", "len(list_sort([1, 2]))")
    found = models_with_duckdb_only_sql(broken)
    assert [v for v in found if v.startswith("extraction_quality ")] == [
        "extraction_quality uses a list function, a list literal outside a dispatched macro"
    ]
    # SQL both engines parse, but read differently: Spark's rtrim(a, b) trims a from b, and
    # takes 'a''b' for two adjacent literals
    broken = broken_sql(manifest, "extraction_quality", "count(*)", "rtrim(x, '.') || 'a''b'")
    assert [v for v in models_with_duckdb_only_sql(broken) if "extraction_quality " in v] == [
        "extraction_quality uses a two-argument trim (Spark's rtrim(a, b) trims a from b), "
        "a quote doubled in a literal (\\x27 in a pattern) outside a dispatched macro"
    ]
    # a macro call is the way: the dispatched macro's SQL is not the model's
    fine = broken_sql(manifest, "extraction_quality", "count(*)", "{{ normalize_term('x') }}")
    assert not [v for v in models_with_duckdb_only_sql(fine) if "extraction_quality" in v]


def test_rule_h_reports_duckdb_only_sql_in_a_macro_every_engine_runs(manifest):
    # near_duplicate as it was: regexp_replace's 'g' is Spark's position argument (null rows)
    broken = copy.deepcopy(manifest)
    macro = broken["macros"]["macro.echo_roots.near_duplicate"]
    macro["macro_sql"] += "\n    regexp_replace({{ left }}, '[^0-9]', '', 'g')"
    assert shared_macros_with_duckdb_only_sql(broken) == [
        "macro near_duplicate uses regexp_replace's 'g' outside a dispatched macro"
    ]
    # an engine's own version may use its engine's SQL: duckdb__replace_pattern passes 'g'
    duckdb_version = manifest["macros"]["macro.echo_roots.duckdb__replace_pattern"]
    assert re.search(DUCKDB_ONLY["regexp_replace's 'g'"], duckdb_version["macro_sql"])
    assert shared_macros_with_duckdb_only_sql(manifest) == []


def test_rule_i_reports_a_macro_named_as_one_of_dbts(manifest):
    broken = copy.deepcopy(manifest)
    ours = copy.deepcopy(broken["macros"]["macro.echo_roots.text_literal"])
    ours.update(name="string_literal", unique_id="macro.echo_roots.string_literal")
    broken["macros"][ours["unique_id"]] = ours
    assert macros_shadowing_dbt_macros(broken) == [
        "macro string_literal replaces dbt's macro of that name"
    ]
    # the overrides on purpose are there: the list names no macro the project dropped
    ours = {m["name"] for m in manifest["macros"].values() if m["package_name"] == "echo_roots"}
    assert DBT_MACROS_OVERRIDDEN - {"spark__load_csv_rows"} <= ours


def test_the_models_without_a_key_are_the_event_grains(manifest):
    exempt = {label(node) for node in models(manifest).values() if declares_no_key(node)}
    assert exempt == {"int_extracted_terms_unnested", "int_candidate_terms_sighted"}


def test_every_layer_has_models(manifest):
    """The rules would pass vacuously if the layers moved: make sure they see them."""
    assert {layer(node) for node in models(manifest).values()} == set(LAYERS)


# -- each rule catches a broken manifest -------------------------------------------------------


def test_rule_a_reports_a_mart_reading_a_source(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "items")]["depends_on"]["nodes"].append(
        "source.echo_roots.raw.ingestion_items"
    )
    assert sources_read_outside_staging(broken) == [
        "items (marts) reads source.echo_roots.raw.ingestion_items"
    ]


def test_rule_a_reports_an_intermediate_model_reading_a_seed(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "int_labels_pivoted")]["depends_on"]["nodes"].append(
        "seed.echo_roots.domain_labels"
    )
    assert sources_read_outside_staging(broken) == [
        "int_labels_pivoted (intermediate) reads seed.echo_roots.domain_labels"
    ]


def test_rule_b_reports_a_model_without_description(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "int_items_categorized")]["description"] = " "
    assert models_without_description_or_primary_key(broken) == [
        "int_items_categorized has no description"
    ]


def test_rule_b_reports_a_model_whose_key_lost_its_unique_test(manifest):
    broken = copy.deepcopy(manifest)
    uid = node_id(broken, "categories")
    for test in attached_tests(broken, uid):
        if test["test_metadata"]["name"] == "unique" and test["column_name"] == "category_id":
            del broken["nodes"][test["unique_id"]]
    assert [v.split(" (")[0] for v in models_without_description_or_primary_key(broken)] == [
        "categories has no primary-key test"
    ]


def test_rule_b_reports_a_mart_key_that_lost_its_not_null_constraint(manifest):
    broken = copy.deepcopy(manifest)
    column = broken["nodes"][node_id(broken, "categories")]["columns"]["category_id"]
    assert {"type": "not_null"} in [{"type": c["type"]} for c in column["constraints"]]
    column["constraints"] = [c for c in column["constraints"] if c["type"] != "not_null"]
    assert [v.split(" (")[0] for v in models_without_description_or_primary_key(broken)] == [
        "categories has no primary-key test"
    ]


def test_rule_b_reports_a_version_without_a_primary_key_test(manifest):
    broken = copy.deepcopy(manifest)
    for test in attached_tests(broken, node_id(broken, "semantic_candidates", 1)):
        del broken["nodes"][test["unique_id"]]
    assert [v.split(" (")[0] for v in models_without_description_or_primary_key(broken)] == [
        "semantic_candidates.v1 has no primary-key test"
    ]


def test_rule_b_reports_a_composite_key_model_losing_its_test(manifest):
    broken = copy.deepcopy(manifest)
    for test in attached_tests(broken, node_id(broken, "changes")):
        if test["test_metadata"]["name"] == "unique_combination_of_columns":
            del broken["nodes"][test["unique_id"]]
    assert [v.split(" (")[0] for v in models_without_description_or_primary_key(broken)] == [
        "changes has no primary-key test"
    ]


def test_rule_c_reports_a_mart_without_enforced_contract(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "taxonomy_health")]["config"]["contract"]["enforced"] = False
    assert marts_without_contract(broken) == ["taxonomy_health does not enforce its contract"]


def test_rule_c_reports_a_mart_column_without_data_type(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "semantic_candidates", 2)]["columns"]["score"]["data_type"] = (
        None
    )
    assert marts_without_contract(broken) == ["semantic_candidates.v2.score has no data_type"]


@pytest.mark.parametrize(
    "name, new_name, reported",
    [
        ("stg_raw__ingestion_items", "stg_raw_ingestion_items", "is not stg_<source>__<entity>"),
        ("stg_raw__ingestion_items", "stg_items__ingestion_items", "(stg_raw__...)"),
        ("int_items_categorized", "int_items_category", "does not match ^int_"),
        ("items", "int_items", "(marts) does not match"),
        ("taxonomy_health", "stg_taxonomy_health", "(marts) does not match"),
    ],
)
def test_rule_d_reports_a_misnamed_model(manifest, name, new_name, reported):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, name)]["name"] = new_name
    found = [v for v in misnamed_models(broken) if v.split()[0] not in KNOWN_NAMING_EXCEPTIONS]
    assert len(found) == 1 and found[0].startswith(new_name) and reported in found[0], found


def test_rule_d_reports_a_model_outside_the_layers(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "items")]["original_file_path"] = "models/items.sql"
    found = [v for v in misnamed_models(broken) if v.split()[0] not in KNOWN_NAMING_EXCEPTIONS]
    assert found == ["items is in no layer folder: models/items.sql"]


def test_rule_e_reports_staging_reading_a_mart(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "stg_raw__ingestion_items")]["depends_on"]["nodes"].append(
        node_id(broken, "items")
    )
    assert models_reading_a_later_layer(broken) == [
        "stg_raw__ingestion_items (staging) depends on items (marts)"
    ]


def test_rule_e_reports_intermediate_reading_a_mart(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "int_candidates_scored")]["depends_on"]["nodes"].append(
        node_id(broken, "semantic_candidates", 2)
    )
    assert models_reading_a_later_layer(broken) == [
        "int_candidates_scored (intermediate) depends on semantic_candidates.v2 (marts)"
    ]


def test_rule_e_reports_staging_reading_staging(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "stg_raw__extraction_results")]["depends_on"]["nodes"].append(
        node_id(broken, "stg_raw__ingestion_items")
    )
    assert models_reading_a_later_layer(broken) == [
        "stg_raw__extraction_results (staging) depends on stg_raw__ingestion_items (staging)"
    ]


def macro_id(manifest: dict, name: str) -> str:
    uid = f"macro.{manifest['metadata']['project_name']}.{name}"
    assert uid in manifest["macros"], uid
    return uid


def test_rule_f_sees_every_macro_and_generic_test(manifest):
    """The rule would pass vacuously if it read no macros: the project's macro files and its
    generic tests are all there, with their arguments."""
    paths = {m["original_file_path"].split("/")[0] for m in project_macros(manifest).values()}
    assert paths == {"macros", "tests"}
    assert signature(manifest["macros"][macro_id(manifest, "test_no_cycles")]) == [
        "model",
        "column_name",
        "parent_column",
    ]
    assert signature(manifest["macros"][macro_id(manifest, "items_to_process")]) == [
        "column",
        "vocabulary",
    ]


def test_rule_f_reports_a_macro_without_description(manifest):
    broken = copy.deepcopy(manifest)
    broken["macros"][macro_id(broken, "normalize_term")]["description"] = " "
    assert undocumented_macros(broken) == ["normalize_term has no description"]


def test_rule_f_reports_a_generic_test_argument_left_undocumented(manifest):
    broken = copy.deepcopy(manifest)
    macro = broken["macros"][macro_id(broken, "test_no_cycles")]
    macro["arguments"] = [a for a in macro["arguments"] if a["name"] != "parent_column"]
    assert undocumented_macros(broken) == [
        "test_no_cycles: argument parent_column is not documented"
    ]


def test_rule_f_reports_an_argument_added_to_a_signature(manifest):
    broken = copy.deepcopy(manifest)
    macro = broken["macros"][macro_id(broken, "restamped_rows")]
    assert "restamped_rows(vocabulary=[])" in macro["macro_sql"]
    macro["macro_sql"] = macro["macro_sql"].replace(
        "restamped_rows(vocabulary=[])", "restamped_rows(vocabulary=[], column='item_id')"
    )
    assert undocumented_macros(broken) == ["restamped_rows: argument column is not documented"]


def test_rule_f_reports_an_argument_documented_but_not_in_the_signature(manifest):
    broken = copy.deepcopy(manifest)
    broken["macros"][macro_id(broken, "proposal_id")]["arguments"].append(
        {"name": "domain", "type": "string", "description": "The domain."}
    )
    assert undocumented_macros(broken) == [
        "proposal_id: argument domain is documented but not in its signature"
    ]


def test_rule_f_reports_arguments_out_of_order(manifest):
    broken = copy.deepcopy(manifest)
    macro = broken["macros"][macro_id(broken, "near_duplicate")]
    macro["arguments"].reverse()
    assert undocumented_macros(broken) == [
        "near_duplicate: arguments documented as ['right', 'left'], defined as ['left', 'right']"
    ]


def test_rule_f_reports_an_argument_without_type_or_description(manifest):
    broken = copy.deepcopy(manifest)
    macro = broken["macros"][macro_id(broken, "test_relationships_where")]
    to = next(a for a in macro["arguments"] if a["name"] == "to")
    to["type"], to["description"] = None, ""
    assert undocumented_macros(broken) == [
        "test_relationships_where: argument to has no type",
        "test_relationships_where: argument to has no description",
    ]


def test_rule_g_knows_each_incremental_model(manifest):
    """The protocol rule would pass vacuously if it classified nothing as item-level."""
    kinds = {label(node): incremental_kind(node) for node in models(manifest).values()}
    assert {name: kind for name, kind in kinds.items() if kind} == {
        "stg_raw__ingestion_items": "raw",
        "stg_raw__extraction_results": "raw",
        "int_extracted_terms_unnested": "item",
        "int_attribute_observations_resolved": "item",
        "int_attribute_values_normalized": "item",
        "int_items_categorized": "item",
        "int_candidate_terms_sighted": "log",
        "int_candidate_sightings_aggregated": "candidate",
        "observation_counts": "partition",
        "item_counts": "partition",
        "extraction_run_counts": "partition",
        "item_attributes": "item",
        "items": "item",
        "releases": "history",
        "stg_domain_pack__category_mappings": "pack",
        "int_category_paths_resolved": "pack",
        "int_category_terms_indexed": "pack",
        "int_category_attributes_inherited": "pack",
        "int_term_mappings_chained": "pack",
        "int_attribute_terms_indexed": "pack",
        "int_value_terms_indexed": "pack",
        "int_labels_pivoted": "pack",
    }
    # and reads each one's vocabulary: the lists the vocabulary macros return
    reading = ProtocolReading(manifest, manifest["nodes"][node_id(manifest, "item_attributes")])
    assert reading.vocabularies("incremental_stamp") == [
        [
            "stg_domain_pack__category_mappings",
            "int_category_terms_indexed",
            "int_category_paths_resolved",
            "stg_domain_pack__attributes",
            "int_attribute_terms_indexed",
            "int_value_terms_indexed",
            "int_category_attributes_inherited",
            "stg_domain_pack__units",
            "stg_domain_pack__number_words",
            "stg_domain_pack__number_formats",
            "stg_domain_pack__value_rules",
            "stg_domain_pack__value_families",
            "int_term_mappings_chained",
            "int_values_elevated",
            "attribute_values",
        ]
    ]


def broken_sql(manifest: dict, name: str, old: str, new: str) -> dict:
    """A copy of `manifest` with `old` replaced by `new` in model `name`'s SQL."""
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, name)]
    assert old in node["raw_code"], (name, old)
    node["raw_code"] = node["raw_code"].replace(old, new)
    return broken


def test_rule_g_reports_a_raw_input_read_without_scope_filter(manifest):
    broken = broken_sql(
        manifest,
        "int_items_categorized",
        "    where {{ items_to_process(vocabulary=vocabulary) }}\n",
        "",
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "int_items_categorized reads stg_raw__ingestion_items without items_to_process"
    ]


def test_rule_g_reports_a_stamped_input_read_without_scope_filter(manifest):
    broken = broken_sql(
        manifest,
        "items",
        "select * from {{ ref('item_attributes') }}\n    where {{ restamped }}",
        "select * from {{ ref('item_attributes') }}",
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "items reads item_attributes without a scope filter"
    ]


def test_rule_g_reports_a_raw_input_scoped_by_stamps_it_lacks(manifest):
    broken = broken_sql(
        manifest,
        "int_extracted_terms_unnested",
        "{%- set in_scope = items_to_process() %}",
        "{%- set in_scope = restamped_rows() %}",
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "int_extracted_terms_unnested reads stg_raw__ingestion_items without items_to_process",
        "int_extracted_terms_unnested reads stg_raw__extraction_results without items_to_process",
    ]


def test_rule_g_reports_a_pre_hook_with_another_vocabulary(manifest):
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, "item_attributes")]
    node["config"]["pre-hook"][0]["sql"] = "{{ delete_items_to_process(attribute_vocabulary()) }}"
    found = incremental_models_breaking_the_protocol(broken)
    assert len(found) == 1 and found[0].startswith(
        "item_attributes: delete_items_to_process (pre-hook) resolves against "
        "['stg_domain_pack__category_mappings', 'int_category_terms_indexed', "
        "'int_category_paths_resolved', 'stg_domain_pack__attributes', "
        "'int_attribute_terms_indexed', 'int_value_terms_indexed', "
        "'int_category_attributes_inherited'], its stamp against"
    ), found


def test_rule_g_reports_a_scope_filter_with_another_vocabulary(manifest):
    broken = broken_sql(
        manifest,
        "int_candidate_terms_sighted",
        "{%- set restamped = restamped_rows(vocabulary) %}",
        "{%- set restamped = restamped_rows(elevated_vocabulary()) %}",
    )
    found = incremental_models_breaking_the_protocol(broken)
    assert len(found) == 1 and found[0].startswith(
        "int_candidate_terms_sighted: restamped_rows (sql) resolves against"
    ), found


def test_rule_g_reports_a_model_that_does_not_stamp(manifest):
    broken = broken_sql(
        manifest,
        "int_items_categorized",
        ",\n        {{ incremental_stamp(vocabulary) }}",
        "",
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "int_items_categorized calls incremental_stamp 0 times, not once"
    ]


def test_rule_g_reports_an_undeclared_stamp_column(manifest):
    broken = copy.deepcopy(manifest)
    del broken["nodes"][node_id(broken, "int_candidate_terms_sighted")]["columns"][
        "vocabulary_hash"
    ]
    assert incremental_models_breaking_the_protocol(broken) == [
        "int_candidate_terms_sighted does not declare the stamp column vocabulary_hash"
    ]


@pytest.mark.parametrize(
    "key, value",
    [
        ("unique_key", "observation_id"),
        ("incremental_strategy", "merge"),
        ("on_schema_change", "append_new_columns"),
    ],
)
def test_rule_g_reports_an_item_level_model_configured_otherwise(manifest, key, value):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "items")]["config"][key] = value
    expected = {"unique_key": "item_id", "incremental_strategy": "append"}
    assert incremental_models_breaking_the_protocol(broken) == [
        f"items: {key} is {value!r}, not {expected.get(key, 'fail')!r}"
    ]


@pytest.mark.parametrize("model", ["item_attributes", "items"])
def test_rule_g_reports_an_item_level_model_replaced_twice(manifest, model):
    # its pre-hook has deleted the items processed: delete+insert would scan it again
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, model)]["config"]["incremental_strategy"] = "delete+insert"
    assert incremental_models_breaking_the_protocol(broken) == [
        f"{model}: incremental_strategy is 'delete+insert', not 'append'"
    ]


@pytest.mark.parametrize("model", ["int_attribute_observations_resolved", "int_items_categorized"])
def test_rule_g_reports_an_item_level_model_without_the_pre_hook(manifest, model):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, model)]["config"]["pre-hook"] = []
    assert incremental_models_breaking_the_protocol(broken) == [
        f"{model} has no pre-hook delete_items_to_process"
    ]


@pytest.mark.parametrize(
    "model, kind, hook",
    [
        ("int_candidate_terms_sighted", "log", "retire_items_to_process"),
        ("int_candidate_sightings_aggregated", "candidate", "delete_candidates_losing_sightings"),
    ],
)
def test_rule_g_reports_the_sighting_log_or_its_aggregate_without_its_pre_hook(
    manifest, model, kind, hook
):
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, model)]
    node["config"]["pre-hook"] = [h for h in node["config"]["pre-hook"] if hook not in h["sql"]]
    assert incremental_models_breaking_the_protocol(broken) == [
        f"{model} ({kind}) has no pre-hook {hook}"
    ]


def test_rule_g_reports_a_partition_count_without_its_pre_hook(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "observation_counts")]["config"]["pre-hook"] = []
    assert incremental_models_breaking_the_protocol(broken) == [
        "observation_counts (partition) has no pre-hook delete_partitions_to_count"
    ]


def test_rule_g_reports_a_pack_model_that_forgets_its_guard(manifest):
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, "int_value_terms_indexed")]
    node["config"]["pre-hook"] = []
    node["raw_code"] = node["raw_code"].replace("where {{ pack_changed() }}", "")
    assert incremental_models_breaking_the_protocol(broken) == [
        "int_value_terms_indexed (pack) has no pre-hook clear_when_pack_changed()",
        "int_value_terms_indexed (pack) never calls pack_changed()",
    ]


def test_rule_g_reports_an_input_outside_the_vocabulary(manifest):
    broken = broken_sql(
        manifest,
        "items",
        "select * from {{ ref('int_category_attributes_inherited') }}",
        "select * from {{ ref('stg_domain_pack__labels') }}",
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "items reads stg_domain_pack__labels, which is not in its vocabulary: "
        "a change there would not reprocess its items"
    ]


def test_rule_g_reports_a_stamped_input_whose_vocabulary_is_not_included(manifest):
    broken = broken_sql(
        manifest,
        "items",
        "{%- set vocabulary = elevated_vocabulary() %}",
        "{%- set vocabulary = attribute_vocabulary() %}",
    )
    for hook in broken["nodes"][node_id(broken, "items")]["config"]["pre-hook"]:
        hook["sql"] = hook["sql"].replace("elevated_vocabulary()", "attribute_vocabulary()")
    assert incremental_models_breaking_the_protocol(broken) == [
        "items reads item_attributes, whose vocabulary ['stg_domain_pack__units', "
        "'stg_domain_pack__number_words', 'stg_domain_pack__number_formats', "
        "'stg_domain_pack__value_rules', 'stg_domain_pack__value_families', "
        "'int_term_mappings_chained', 'int_values_elevated', 'attribute_values'] "
        "is not in its own: a change there would not reprocess its items"
    ]


def test_rule_g_reports_a_mart_that_passes_the_stamps_on(manifest):
    broken = copy.deepcopy(manifest)
    columns = broken["nodes"][node_id(broken, "taxonomy_health")]["columns"]
    columns["raw_loaded_through"] = {**next(iter(columns.values())), "name": "raw_loaded_through"}
    assert incremental_models_breaking_the_protocol(broken) == [
        "taxonomy_health declares raw_loaded_through but is no item-level incremental model: "
        "drop the stamps it reads (exclude, or an explicit column list)"
    ]


def test_rule_g_reports_a_stamped_model_no_longer_incremental(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"][node_id(broken, "int_items_categorized")]["config"]["materialized"] = "table"
    assert sorted(incremental_models_breaking_the_protocol(broken)) == [
        # a table rebuilt whole, it is vocabulary to its readers now, which it is not
        "int_attribute_observations_resolved reads int_items_categorized, which is not in its "
        "vocabulary: a change there would not reprocess its items",
        "int_candidate_terms_sighted reads int_items_categorized, which is not in its "
        "vocabulary: a change there would not reprocess its items",
        "int_items_categorized declares vocabulary_hash, raw_loaded_through but is no item-level "
        "incremental model: drop the stamps it reads (exclude, or an explicit column list)",
        "items reads int_items_categorized, which is not in its vocabulary: "
        "a change there would not reprocess its items",
    ]


def test_rule_g_reports_raw_staging_without_its_watermark(manifest):
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, "stg_raw__ingestion_items")]
    node["raw_code"] = node["raw_code"].replace(
        "{%- set staged_through = raw_watermark() %}", "{%- set staged_through = none %}"
    )
    assert incremental_models_breaking_the_protocol(broken) == [
        "stg_raw__ingestion_items (raw staging) reads no watermark of its own (raw_watermark())"
    ]


def test_rule_g_reports_a_history_table_appending_unguarded(manifest):
    broken = copy.deepcopy(manifest)
    node = broken["nodes"][node_id(broken, "releases")]
    node["raw_code"] = node["raw_code"].replace("is_incremental()", "false")
    assert incremental_models_breaking_the_protocol(broken) == [
        "releases (history) appends without an is_incremental() guard"
    ]
