{#- The `domain` var (the domain pack this build serves) as a SQL string literal, its quotes
    doubled: a var comes from the command line and is never SQL. -#}
{% macro domain_literal() -%}
    '{{ var("domain") | string | replace("'", "''") }}'
{%- endmacro %}
