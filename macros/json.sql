{#- JSON access, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- One row per key of a JSON object, as a struct (key, value) with the value as text
    (nested objects and arrays as JSON text). Use in a select list. -#}
{% macro unnest_json_object(expression) -%}
    {{ return(adapter.dispatch('unnest_json_object', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__unnest_json_object(expression) -%}
    unnest(map_entries(cast({{ expression }} as map(varchar, varchar))))
{%- endmacro %}

{#- One row per element of a JSON array of objects, as a struct with the given fields
    ({'name': 'VARCHAR', 'confidence': 'DOUBLE'}); keys not named are ignored. -#}
{% macro unnest_json_array(expression, fields) -%}
    {{ return(adapter.dispatch('unnest_json_array', 'echo_roots')(expression, fields)) }}
{%- endmacro %}

{% macro duckdb__unnest_json_array(expression, fields) -%}
    unnest(json_transform({{ expression }}, '[{{ tojson(fields) }}]'))
{%- endmacro %}
