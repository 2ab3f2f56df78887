{#- Plain schema names (raw, staging, taxonomy, ...) instead of dbt's `<target>_<name>`:
    the warehouse is one DuckDB file per environment, so prefixes would only add noise. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
{%- endmacro %}
