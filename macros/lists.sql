{#- Lists, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- The first `n` elements of a list. -#}
{% macro list_head(expression, n) -%}
    {{ return(adapter.dispatch('list_head', 'echo_roots')(expression, n)) }}
{%- endmacro %}

{% macro duckdb__list_head(expression, n) -%}
    {{ expression }}[1:{{ n }}]
{%- endmacro %}

{% macro spark__list_head(expression, n) -%}
    slice({{ expression }}, 1, {{ n }})
{%- endmacro %}

{#- One row per part of the text split at `delimiter` (a literal string, not a pattern); empty
    parts included. Use at the top of a select list. -#}
{% macro unnest_split(expression, delimiter) -%}
    {{ return(adapter.dispatch('unnest_split', 'echo_roots')(expression, delimiter)) }}
{%- endmacro %}

{% macro duckdb__unnest_split(expression, delimiter) -%}
    unnest(string_split({{ expression }}, '{{ delimiter | replace("'", "''") }}'))
{%- endmacro %}

{#- (Spark splits at a Java pattern: the delimiter quoted as \Q...\E. A literal taken as
    written cannot hold a quote: such a delimiter is refused.) -#}
{% macro spark__unnest_split(expression, delimiter) -%}
    {%- if "'" in delimiter or "\\E" in delimiter -%}
        {{ exceptions.raise_compiler_error("unnest_split on Spark: a delimiter with a quote or \\E") }}
    {%- endif -%}
    explode(split({{ expression }}, '\Q{{ delimiter }}\E'))
{%- endmacro %}
