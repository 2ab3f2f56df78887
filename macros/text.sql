{#- Text helpers, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- Split a raw category string into its levels, whatever the shop's convention:
    `A > B`, `A >> B`, `A / B`, `A › B`, `A | B`. Returns a list of trimmed strings. -#}
{% macro split_category_path(expression) -%}
    {{ return(adapter.dispatch('split_category_path', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__split_category_path(expression) -%}
    list_filter(
        list_transform(regexp_split_to_array({{ expression }}, '\s*(?:>>|>|/|›|\|)\s*'), lambda s: trim(s)),
        lambda s: s <> ''
    )
{%- endmacro %}

{#- The leading number of a measurement (`256GB`, `1.5 kg`, `15,6"`) as a double. -#}
{% macro parse_number(expression) -%}
    {{ return(adapter.dispatch('parse_number', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_number(expression) -%}
    try_cast(replace(nullif(regexp_extract({{ expression }}, '^\s*(-?\d+(?:[.,]\d+)?)', 1), ''), ',', '.') as double)
{%- endmacro %}

{#- The unit written after the number (`GB`, `kg`, `"`, `吋`), lower-cased; null when none. -#}
{% macro parse_unit(expression) -%}
    {{ return(adapter.dispatch('parse_unit', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_unit(expression) -%}
    nullif(lower(regexp_extract({{ expression }}, '^\s*-?\d+(?:[.,]\d+)?\s*("|''|[^\s\d.,]+)', 1)), '')
{%- endmacro %}
