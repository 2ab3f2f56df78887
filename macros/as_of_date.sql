{#- The date mappings are judged in force on: the `as_of_date` var (YYYY-MM-DD) when given,
    so a build can be reproduced, else the day of the build. -#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        date '{{ var("as_of_date") }}'
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}
