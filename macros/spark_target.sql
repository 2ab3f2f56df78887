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
