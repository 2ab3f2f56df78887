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
