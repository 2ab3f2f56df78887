{#- Text that may or may not be JSON (a rejected line, kept verbatim), behind adapter.dispatch
    (see macros/normalize_term.sql). -#}

{#- True when the text parses as JSON. -#}
{% macro is_json(expression) -%}
    {{ return(adapter.dispatch('is_json', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__is_json(expression) -%}
    coalesce(json_valid({{ expression }}), false)
{%- endmacro %}

{% macro spark__is_json(expression) -%}
    coalesce(try_parse_json({{ expression }}) is not null, false)
{%- endmacro %}

{#- The value at a JSON path as text; null when the text does not parse, the path is missing
    or the value is JSON null (never an error, unlike a plain extract). -#}
{% macro json_text_or_null(expression, path) -%}
    {{ return(adapter.dispatch('json_text_or_null', 'echo_roots')(expression, path)) }}
{%- endmacro %}

{% macro duckdb__json_text_or_null(expression, path) -%}
    json_extract_string(try_cast({{ expression }} as json), '{{ path }}')
{%- endmacro %}

{% macro spark__json_text_or_null(expression, path) -%}
    get_json_object({{ expression }}, '{{ path }}')
{%- endmacro %}
