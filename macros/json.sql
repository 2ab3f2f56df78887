{#- JSON access, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- One row per key of a JSON object, as a struct (key, value) with the value as text
    (nested objects and arrays as JSON text). Use in a select list. -#}
{% macro unnest_json_object(expression) -%}
    {{ return(adapter.dispatch('unnest_json_object', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__unnest_json_object(expression) -%}
    unnest(map_entries(cast({{ expression }} as map(varchar, varchar))))
{%- endmacro %}

{% macro spark__unnest_json_object(expression) -%}
    explode(map_entries(from_json({{ expression }}, 'map<string, string>')))
{%- endmacro %}

{#- One row per element of a JSON array of objects, as a struct with the given fields
    ({'name': 'VARCHAR', 'confidence': 'DOUBLE'}); keys not named are ignored. -#}
{% macro unnest_json_array(expression, fields) -%}
    {{ return(adapter.dispatch('unnest_json_array', 'echo_roots')(expression, fields)) }}
{%- endmacro %}

{% macro duckdb__unnest_json_array(expression, fields) -%}
    unnest(json_transform({{ expression }}, '[{{ tojson(fields) }}]'))
{%- endmacro %}

{% macro spark__unnest_json_array(expression, fields) -%}
    {%- set types = {'VARCHAR': 'string', 'DOUBLE': 'double', 'BIGINT': 'bigint', 'BOOLEAN': 'boolean'} -%}
    explode(from_json({{ expression }}, 'array<struct<
        {%- for name, type in fields.items() -%}
        `{{ name }}`: {{ types[type | upper] }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    >>'))
{%- endmacro %}

{#- A string some exports wrap in a JSON list (`["A >> B"]`, Flipkart's category tree):
    the first element; any other string as it is. -#}
{% macro unwrap_json_list(expression) -%}
    {{ return(adapter.dispatch('unwrap_json_list', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__unwrap_json_list(expression) -%}
    case
        when starts_with({{ expression }}, '[') and json_valid({{ expression }})
            and json_type({{ expression }}::json, '$[0]') = 'VARCHAR'
        then json_extract_string({{ expression }}, '$[0]')
        else {{ expression }}
    end
{%- endmacro %}

{% macro spark__unwrap_json_list(expression) -%}
    case
        when startswith({{ expression }}, '[')
            and schema_of_variant(try_variant_get(try_parse_json({{ expression }}), '$[0]')) = 'STRING'
        then try_variant_get(try_parse_json({{ expression }}), '$[0]', 'string')
        else {{ expression }}
    end
{%- endmacro %}
