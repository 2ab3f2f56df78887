{#- Fails on every merged row whose merged_into (column_name) is missing or not active. -#}
{% test merged_into_active(model, column_name, id_column, status_column='status') %}
    select merged.{{ id_column }}, merged.{{ column_name }}, target.{{ status_column }} as target_status
    from {{ model }} as merged
    left join {{ model }} as target on target.{{ id_column }} = merged.{{ column_name }}
    where merged.{{ status_column }} = 'merged'
      and (target.{{ id_column }} is null or target.{{ status_column }} <> 'active')
{% endtest %}
