{#- The `domain` var (the domain pack this build serves) as a SQL string literal: a var comes
    from the command line and is never SQL. -#}
{% macro domain_literal() -%}
    {{ text_literal(var("domain")) }}
{%- endmacro %}
