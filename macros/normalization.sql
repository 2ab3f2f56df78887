{#- What the pattern rule `rule` (a row of stg_domain_pack__value_rules) makes of `value`:
    every match of its pattern replaced, then its letter case, trimmed. The model that
    normalizes values and the test of the rules' examples both apply rules through here. -#}
{% macro apply_value_rule(value, rule='rules') -%}
    {%- set rewritten = replace_pattern(value, rule ~ '.pattern', rule ~ '.replacement') -%}
    trim(case {{ rule }}.letter_case
        when 'upper' then upper({{ rewritten }})
        when 'lower' then lower({{ rewritten }})
        else {{ rewritten }}
    end)
{%- endmacro %}
