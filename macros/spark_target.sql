{#- The spark target keeps its tables as plain Parquet (Delta's jars are not installable here),
    which cannot delete or merge rows: on Spark every incremental model is built whole on each
    run, as a table, and is_incremental() is false, so the models' incremental branches
    (watermarks, the pre-hooks' deletes, the stamps' comparisons) never run there. DuckDB's
    builds are unchanged. -#}
{% materialization incremental, adapter='spark' %}
    {{ return(materialization_table_spark()) }}
{% endmaterialization %}

{% macro is_incremental() -%}
    {{ return(target.type != 'spark' and dbt.is_incremental()) }}
{%- endmacro %}

{#- Spark's snapshots need a table format that merges rows (Delta, Iceberg, Hudi); plain Parquet
    cannot. On the spark target a snapshot is taken anew each run, as dbt takes a first one:
    every current row once, valid from this build. Spark keeps no history: `changes` there
    shows what the build holds, not what changed since the build before. -#}
{% materialization snapshot, adapter='spark' %}
    {%- set exists, target_relation = get_or_create_relation(
        database=none, schema=model.schema, identifier=model.alias, type='table') -%}
    {%- if not adapter.check_schema_exists(model.database, model.schema) %}
        {%- do create_schema(model.schema) %}
    {%- endif %}
    {{ run_hooks(pre_hooks) }}
    {%- set strategy = strategy_dispatch(config.get('strategy'))(
        model, 'snapshotted_data', 'source_data', model['config'], false) %}
    {%- if exists %}
        {%- do adapter.drop_relation(target_relation) %}
    {%- endif %}
    {% call statement('main') %}
        {{ create_table_as(false, target_relation, build_snapshot_table(strategy, model['compiled_code'])) }}
    {% endcall %}
    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- Unit-test fixtures on Spark: dbt casts each fixture value with safe_cast, the text of a
    YAML string in quotes (dbt-spark escapes its quotes with backslashes, which a literal taken
    as written keeps), a YAML list or mapping as Python writes it (a DuckDB literal). Text is
    written again as text_literal writes it; a list or mapping as array(...) and
    named_struct(...) (spark_fixture_literal); text cast to a list or struct is read as JSON
    (single quotes allowed, as DuckDB's list literals write them: `['a', 'b']`). -#}
{% macro spark__safe_cast(field, type) -%}
    {%- set quoted = field is string and field | length >= 2
        and field[0] == "'" and field[-1] == "'" -%}
    {%- set text = spark__text_literal(field[1:-1] | replace("\\'", "'")) if quoted -%}
    {%- if quoted and type.lower().startswith(('array', 'struct', 'map')) -%}
        from_json({{ text }}, '{{ type }}')
    {%- elif quoted -%}
        cast({{ text }} as {{ type }})
    {%- elif field is string -%}
        cast({{ field }} as {{ type }})
    {%- else -%}
        cast({{ spark_fixture_literal(field) }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#- A YAML fixture value (text, number, boolean, null, list, mapping) as a Spark SQL literal. -#}
{% macro spark_fixture_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is string -%}
        {{ spark__text_literal(value) }}
    {%- elif value is mapping -%}
        named_struct(
        {%- for key, item in value.items() -%}
            '{{ key }}', {{ spark_fixture_literal(item) }}{{ ', ' if not loop.last }}
        {%- endfor -%}
        )
    {%- elif value is sequence -%}
        array(
        {%- for item in value -%}
            {{ spark_fixture_literal(item) }}{{ ', ' if not loop.last }}
        {%- endfor -%}
        )
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}
