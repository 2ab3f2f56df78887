{#- Like `relationships`, but the parent row must also meet a condition: e.g. values may
    only belong to attributes whose data_type is categorical. -#}
{% test relationships_where(model, column_name, to, field, to_condition) %}
    select child.{{ column_name }}
    from {{ model }} as child
    where child.{{ column_name }} is not null
      and child.{{ column_name }} not in (
        -- nulls excluded: `x not in (..., null)` is never true and would hide every orphan
        select {{ field }} from {{ to }} where {{ field }} is not null and ({{ to_condition }})
      )
{% endtest %}
