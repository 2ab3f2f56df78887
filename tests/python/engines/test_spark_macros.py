"""The dispatched macros give the same results on Spark as on DuckDB, on real text.

Each macro's `duckdb__` and `spark__` versions are rendered from macros/ (plain Jinja, as
dbt would) and evaluated over the same values in both engines: titles, raw categories,
attribute names and values from the real files in ../shared/datasets/ (WDC-PAVE offers and
their extractions, Flipkart listings, Google's taxonomy, Shopify's localized values, the
zh-TW taxonomy), and their raw JSON lines. Spark runs in this process (pyspark, local),
with the functions loader/engines/spark_functions.py registers, as the spark target does.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import timezone
from pathlib import Path

import duckdb
import jinja2
import pytest

from loader.engines import spark_functions

REPO = Path(__file__).resolve().parents[3]
DATASETS = REPO.parent / "shared" / "datasets"
MACRO_FILES = (
    "text.sql",
    "normalize_term.sql",
    "json.sql",
    "json_text.sql",
    "candidates.sql",
    "types.sql",
    "lists.sql",
)

pytestmark = pytest.mark.skipif(
    not (DATASETS / "wdc_pave_dev.items.jsonl").exists(), reason=f"{DATASETS}: files absent"
)


class Macros:
    """The project's macros for one engine: `macros.normalize_term("text")` renders the
    dispatched macro as dbt does on that adapter."""

    def __init__(self, engine: str):
        self.engine = engine
        source = "\n".join((REPO / "macros" / name).read_text() for name in MACRO_FILES)
        env = jinja2.Environment(extensions=["jinja2.ext.do"])
        env.globals.update({"return": lambda value: value, "tojson": json.dumps, "adapter": self})
        self.module = env.from_string(source).make_module()

    def dispatch(self, name: str, namespace: str):
        return getattr(self.module, f"{self.engine}__{name}")

    def __getattr__(self, name: str):
        macro = getattr(self.module, name)
        return lambda *args: str(macro(*args)).strip()


@pytest.fixture(scope="module")
def spark():
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="the spark extra: make test")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the registered functions' workers: this venv
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.parser.escapedStringLiterals", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    spark_functions.register(session)
    yield session
    session.stop()


def _real_texts() -> list[str]:
    """Distinct real strings, a few thousand: what the normalization sees in production."""
    con = duckdb.connect()
    wdc, flipkart = DATASETS / "wdc_pave_dev.items.jsonl", DATASETS / "flipkart_sample.items.jsonl"
    gold = DATASETS / "wdc_pave_dev.value_normalization.jsonl"
    sample = "using sample reservoir(600 rows) repeatable (7)"  # the same rows every run
    queries = [  # (query, the file it reads: bound, never formatted in)
        ("select title from read_json(?)", wdc),
        ("select raw_category from read_json(?)", wdc),
        (
            "select unnest(map_values(cast(raw_attributes as map(varchar, varchar)))) "
            "from read_json(?, columns = {raw_attributes: 'JSON'})",
            wdc,
        ),
        ("select raw_value from read_json(?)", gold),
        ("select normalized_value from read_json(?)", gold),
        ("select attribute from read_json(?)", gold),
        (f"select title from read_json(?) {sample}", flipkart),
        (f"select raw_category from read_json(?) {sample}", flipkart),
    ]
    texts = {
        row[0]
        for query, path in queries
        for row in con.execute(query, [str(path)]).fetchall()
        if row[0]
    }
    google = DATASETS / "google_product_taxonomy_2021-09-21.en-US.txt"
    texts |= {
        line.split(" - ", 1)[1]
        for line in google.read_text(encoding="utf-8").splitlines()[1:800]
        if " - " in line
    }
    for yaml_file in (
        DATASETS / "echo_roots_ecommerce_taxonomy.zh-TW.yaml",
        *sorted((DATASETS / "shopify_product_taxonomy_2025-08/data/localizations").glob("*/*.yml")),
    ):
        lines = yaml_file.read_text(encoding="utf-8").splitlines()[:400]
        texts |= {m.group(1) for line in lines if (m := re.search(r":\s+(\S.*)$", line))}
    # measurement spellings the rules read that the sample above may lack
    texts |= {'8-1/2"', "½ inch", "10 x 20 x 5 cm", '24"W x 30"D', "1/4", '15,6"', "-3.5 kg"}
    return [*sorted(texts), None]  # and a missing value


def _raw_lines() -> list[str]:
    lines = []
    for name in ("wdc_pave_dev.items.jsonl", "flipkart_sample.items.jsonl"):
        lines += (DATASETS / name).read_text(encoding="utf-8").splitlines()[:300]
    return [*lines, "not json", '{"a": ', '["A >> B"]', "[1, 2]", "null", '{"title": null}']


TEXTS = _real_texts()


def _both(
    spark, expression, values: list, *, extra: str = "", key: str = "id"
) -> tuple[list, list]:
    """`expression` (a function of the column `value`, one version per engine) over `values`,
    in DuckDB and in Spark, row by row (`key`, by `id`; or by group, with a group by in
    `extra`)."""
    con = duckdb.connect()
    con.execute("create table v (id integer, value varchar)")
    con.executemany("insert into v values (?, ?)", list(enumerate(values)))
    frame = spark.createDataFrame(list(enumerate(values)), "id int, value string")
    frame.createOrReplaceTempView("v")
    duck_sql, spark_sql = (
        f"select {key}, {expression(Macros(engine))} as result from v {extra} order by 1"
        for engine in ("duckdb", "spark")
    )
    return (
        [tuple(row) for row in con.execute(duck_sql).fetchall()],
        [(row[0], _python(row[1])) for row in spark.sql(spark_sql).collect()],
    )


def _python(value):
    """A Spark value as DuckDB's Python client gives it (rows as dicts, arrays as lists)."""
    if hasattr(value, "asDict"):
        return {key: _python(item) for key, item in value.asDict().items()}
    if isinstance(value, list):
        return [_python(item) for item in value]
    return value


def _assert_same(duck: list, spark_rows: list, values: list) -> None:
    assert len(duck) == len(spark_rows)
    differ = [(values[i], d, s) for (i, d), (_, s) in zip(duck, spark_rows, strict=True) if d != s]
    assert not differ, f"{len(differ)} of {len(values)} differ, e.g. {differ[:5]}"


TEXT_MACROS = {
    "normalize_term": lambda m: m.normalize_term("value"),
    "normalize_category_term": lambda m: m.normalize_category_term("value"),
    "split_category_path": lambda m: m.split_category_path("value"),
    "parse_number": lambda m: m.parse_number("value"),
    "parse_unit": lambda m: m.parse_unit("value"),
    "extract_quantity": lambda m: m.extract_quantity("value"),
    "dimension_part 1": lambda m: m.dimension_part("value", "1"),
    "dimension_part 3": lambda m: m.dimension_part("value", "3"),
    "matches_pattern": lambda m: m.matches_pattern("value", r"'(?i)^\d+(\.\d+)?\s*(gb|tb|mm)$'"),
    "replace_pattern": lambda m: m.replace_pattern("value", r"'[^\pL\pN]+'", "' '"),
    # groups and a dollar, as the value rules' replacements write them (RE2's spelling)
    "replace_pattern groups": lambda m: m.replace_pattern(
        "value", r"'(\pL+) +(\pL+)'", r"'\2 $ \1'"
    ),
    "format_decimals": lambda m: m.format_decimals(m.parse_number("value"), "2"),
    "unwrap_json_list": lambda m: m.unwrap_json_list("value"),
}


@pytest.mark.parametrize("name", TEXT_MACROS)
def test_text_macros_agree_on_real_values(spark, name):
    duck, spark_rows = _both(spark, TEXT_MACROS[name], TEXTS)
    _assert_same(duck, spark_rows, TEXTS)
    assert len({row[1] for row in duck if not isinstance(row[1], (list, dict))}) > 1 or any(
        row[1] for row in duck
    ), "the macro gave one result for every value: the comparison says nothing"


def test_gs1_check_digits_agree(spark):
    """GTINs from the offers' titles and attributes (runs of 8-14 digits), and each with its
    last digit changed: both engines accept and refuse the same ones."""
    codes = sorted({m for t in TEXTS if t for m in re.findall(r"(?<!\d)\d{8,14}(?!\d)", t)})
    codes += [code[:-1] + str((int(code[-1]) + 1) % 10) for code in codes]
    duck, spark_rows = _both(spark, lambda m: m.gs1_check_digit_ok("value"), codes)
    _assert_same(duck, spark_rows, codes)
    assert {row[1] for row in duck} == {True, False}


def test_term_similarity_agrees(spark):
    """Jaro-Winkler of neighbouring normalized terms (sorted, so most pairs share a start)."""
    con = duckdb.connect()
    terms = sorted(
        {
            row[0]
            for row in con.execute(
                f"select {Macros('duckdb').normalize_term('t')} from unnest(?) as u(t)", [TEXTS]
            ).fetchall()
            if row[0] and len(row[0]) < 40
        }
    )
    pairs = [f"{left}\t{right}" for left, right in zip(terms, terms[1:], strict=False)]
    duck, spark_rows = _both(
        spark,
        lambda m: m.term_similarity("split_part(value, '\t', 1)", "split_part(value, '\t', 2)"),
        pairs,
    )
    _assert_same(duck, spark_rows, pairs)
    assert sum(1 for row in duck if row[1] >= 0.85) > 10


RAW_MACROS = {
    "is_json": lambda m: m.is_json("value"),
    "json_text_or_null title": lambda m: m.json_text_or_null("value", "$.title"),
    "json_text_or_null source": lambda m: m.json_text_or_null("value", "$.source"),
}


@pytest.mark.parametrize("name", RAW_MACROS)
def test_json_text_macros_agree_on_raw_lines(spark, name):
    lines = _raw_lines()
    duck, spark_rows = _both(spark, RAW_MACROS[name], lines)
    _assert_same(duck, spark_rows, lines)


def _json_column(macros: Macros) -> str:
    return "value::json" if macros.engine == "duckdb" else "value"


def test_json_unnesting_agrees_on_real_records(spark):
    """raw_attributes objects (one row per key) and extraction attribute arrays (one row per
    element) of the real files unnest to the same rows."""
    records = [json.loads(line) for line in _raw_lines() if line.startswith('{"item_id')]
    items = [json.dumps(r["raw_attributes"]) for r in records if r.get("raw_attributes")]
    extractions = [
        json.dumps(json.loads(line)["attributes"])
        for line in (DATASETS / "wdc_pave_dev.extractions.jsonl").read_text().splitlines()[:300]
    ]
    fields = {"name": "VARCHAR", "value": "VARCHAR", "evidence": "VARCHAR", "confidence": "DOUBLE"}
    for values, unnest in (
        # raw.* holds them as DuckDB's JSON type; Spark reads JSON from strings
        (items, lambda m: m.unnest_json_object(_json_column(m))),
        (extractions, lambda m: m.unnest_json_array(_json_column(m), fields)),
    ):
        duck, spark_rows = _both(spark, unnest, values)
        assert len(duck) > len(values)
        assert sorted(duck, key=repr) == sorted(spark_rows, key=repr)


def test_timestamps_with_a_time_zone_are_the_same_instants(spark):
    """Timestamps as the files give them (offsets, `Z`, none: UTC) cast to the type
    type_timestamp_tz names: the same instants on both engines (DuckDB gives them with their
    zone, Spark in the session's, UTC)."""
    stamps = ["2026-01-02 03:04:05+02:00", "2026-01-02T03:04:05Z", "2025-12-31 23:59:59", None]
    duck, spark_rows = _both(spark, lambda m: f"cast(value as {m.type_timestamp_tz()})", stamps)
    as_utc = [
        (i, None if t is None else t.astimezone(timezone.utc).replace(tzinfo=None)) for i, t in duck
    ]
    _assert_same(as_utc, spark_rows, stamps)
    assert as_utc[0][1].hour == 1


def test_timestamps_as_text_agree_in_a_utc_session(spark):
    """A build partition's stamp (`2026-01-02 01:04:05+00|...`): the same text on both engines
    when both sessions are in UTC, fractions of a second included."""
    stamps = ["2026-01-02 03:04:05+02:00", "2026-01-02T03:04:05.25Z", "2025-12-31 23:59:59.123456"]
    texts = {}
    for engine in ("duckdb", "spark"):
        macros = Macros(engine)
        listed = ", ".join(
            macros.timestamp_text(f"cast('{stamp}' as {macros.type_timestamp_tz()})")
            for stamp in stamps
        )
        if engine == "duckdb":
            con = duckdb.connect()
            con.execute("set TimeZone = 'UTC'")
            texts[engine] = list(con.execute(f"select [{listed}]").fetchone()[0])
        else:
            texts[engine] = spark.sql(f"select array({listed})").collect()[0][0]
    assert texts["duckdb"][0] == "2026-01-02 01:04:05+00"
    assert texts["spark"] == texts["duckdb"]


def test_list_macros_agree_on_real_values(spark):
    """The first two levels of each real category path, and the words of each real text, one
    row per word (empty parts included: two spaces in a row)."""
    head, head_spark = _both(
        spark, lambda m: m.list_head(m.split_category_path("value"), "2"), TEXTS
    )
    _assert_same(head, head_spark, TEXTS)
    assert any(row[1] and len(row[1]) == 2 for row in head)
    words, words_spark = _both(spark, lambda m: m.unnest_list(m.split_text("value", " ")), TEXTS)
    assert len(words) > 2 * len(TEXTS)
    assert sorted(words, key=repr) == sorted(words_spark, key=repr)


LIST_MACROS = {
    # each level of a category path normalized, as the category mappings' staging does
    "list_map": lambda m: m.list_map(
        m.split_category_path("value"), "level", m.normalize_category_term("level")
    ),
    # the non-empty trimmed parts between commas, as the attribute values' aliases
    "list_where split_text": lambda m: m.list_where(
        m.list_map(m.split_text("value", ","), "a", "trim(a)"), "a", "a <> ''"
    ),
    "list_of": lambda m: m.list_of(["value", "upper(value)"]),
    # a category path written back from its levels, as the categories mart's `path`
    "list_join": lambda m: m.list_of([m.list_join(m.split_category_path("value"), " > "), "'x'"]),
}


@pytest.mark.parametrize("name", LIST_MACROS)
def test_list_building_macros_agree_on_real_values(spark, name):
    duck, spark_rows = _both(spark, LIST_MACROS[name], TEXTS)
    _assert_same(duck, spark_rows, TEXTS)
    assert any(row[1] and len(row[1]) > 1 for row in duck), "no list of two: says nothing"


def test_sorting_structs_and_empty_lists_agree_on_real_values(spark):
    """The words of each text, longest first, then in sort order (a struct per word sorts
    field by field), as the candidates' most common spelling is picked; an empty list where
    a text has no word of eight letters."""
    by_length = lambda m: m.list_sorted(  # noqa: E731
        m.list_map(m.split_text("value", " "), "w", m.struct_of({"n": "-length(w)", "w": "w"}))
    )
    duck, spark_rows = _both(spark, by_length, TEXTS)
    _assert_same(duck, spark_rows, TEXTS)
    assert any(row[1] and row[1][0]["n"] < row[1][-1]["n"] for row in duck)
    long_words = lambda m: m.list_of(  # noqa: E731
        [
            "coalesce("
            + m.list_where(m.split_text("value", " "), "w", "length(w) >= 8")
            + ", "
            + m.empty_list("string")
            + ")"
        ]
    )
    duck, spark_rows = _both(spark, long_words, TEXTS)
    _assert_same(duck, spark_rows, TEXTS)
    assert [[]] in [row[1] for row in duck] and any(row[1][0] for row in duck)


AGGREGATE_MACROS = {
    "sorted_set_agg": lambda m: m.sorted_set_agg("lower(left(value, 2))"),
    "sorted_list_agg struct_of": lambda m: m.sorted_list_agg(
        "case when value is not null then "
        + m.struct_of({"first": "left(value, 1)", "size": "length(value)"})
        + " end"
    ),
    "sorted_set_union_agg": lambda m: m.sorted_set_union_agg(m.split_text("value", " ")),
}


@pytest.mark.parametrize("name", AGGREGATE_MACROS)
def test_aggregating_macros_agree_on_real_values(spark, name):
    """Real texts in 13 groups (nulls among them), each group's list as the candidates'
    evidence is summed up: the same lists, in the same order, on both engines."""
    group = "group by id % 13"
    duck, spark_rows = _both(spark, AGGREGATE_MACROS[name], TEXTS, extra=group, key="id % 13 as id")
    assert len(duck) == 13
    _assert_same(duck, spark_rows, TEXTS)
    assert all(len(row[1]) > 5 for row in duck)


def test_string_literals_read_back_as_the_text(spark):
    """Texts with quotes, backslashes and doubled quotes, written as literals by each engine's
    text_literal, read back unchanged (Spark takes literals as written, as its target sets)."""
    texts = [t for t in TEXTS if t and ("'" in t or "\\" in t)][:40]
    texts += ["men's", "''", "a''b", "\\'", "it's 24\" wide"]
    assert len(texts) > 10
    for engine in ("duckdb", "spark"):
        literals = ", ".join(Macros(engine).text_literal(t) for t in texts)
        if engine == "duckdb":
            read = list(duckdb.sql(f"select [{literals}]").fetchone()[0])
        else:
            read = spark.sql(f"select array({literals})").collect()[0][0]
        assert read == texts, engine
