{#- Type names that differ between engines, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- A timestamp with a time zone (an instant): DuckDB's `timestamp with time zone`, Spark's
    `timestamp` (an instant shown in the session's time zone). -#}
{% macro type_timestamp_tz() -%}
    {{ return(adapter.dispatch('type_timestamp_tz', 'echo_roots')()) }}
{%- endmacro %}

{% macro duckdb__type_timestamp_tz() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__type_timestamp_tz() -%}
    timestamp
{%- endmacro %}

{#- A CTE computed once, not inlined where it is read: DuckDB's `materialized` hint; Spark
    decides for itself and has no such word. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'echo_roots')()) }}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized_cte() -%}
{%- endmacro %}
