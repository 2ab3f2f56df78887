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

{#- A struct of the SQL expressions in `fields`, a mapping of field name to expression, the
    fields in the mapping's order (structs compare field by field in that order). -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'echo_roots')(fields)) }}
{%- endmacro %}

{% macro duckdb__struct_of(fields) -%}
    {
        {%- for name, expression in fields.items() %}'{{ name }}': {{ expression }}{{ ', ' if not loop.last }}{% endfor -%}
    }
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct(
        {%- for name, expression in fields.items() %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor -%}
    )
{%- endmacro %}

{#- `value` (text from a var, a seed or a stamp, never SQL) as a SQL string literal. -#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'echo_roots')(value)) }}
{%- endmacro %}

{% macro duckdb__text_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- (A literal on Spark cannot hold a quote when literals are taken as written, as the spark
    target sets: `'a''b'` would be the adjacent literals `'a'` and `'b'`, `ab`; and a
    backslash before the closing quote would escape it. Quotes and backslashes are chr(39)
    and chr(92), concatenated.) -#}
{% macro spark__text_literal(value) -%}
    concat('{{ value | string | replace("'", "', chr(39), '") | replace("\\", "', chr(92), '") }}')
{%- endmacro %}

{#- A timestamp with a time zone as text, as DuckDB writes it (`2026-11-01 00:00:00+00` in a
    UTC session). -#}
{% macro timestamp_text(expression) -%}
    {{ return(adapter.dispatch('timestamp_text', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_text(expression) -%}
    {{ expression }}::string
{%- endmacro %}

{#- (Spark writes the instant in the session's time zone, UTC on the spark target, with no
    offset) -#}
{% macro spark__timestamp_text(expression) -%}
    cast({{ expression }} as string) || '+00'
{%- endmacro %}
