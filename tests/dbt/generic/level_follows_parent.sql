{#- Fails on every node whose level is not its parent's level + 1 (roots: level 0). -#}
{% test level_follows_parent(model, column_name, parent_column, level_column) %}
    select child.{{ column_name }}, child.{{ level_column }}, parent.{{ level_column }} as parent_level
    from {{ model }} as child
    left join {{ model }} as parent on parent.{{ column_name }} = child.{{ parent_column }}
    where case
        when child.{{ parent_column }} is null then child.{{ level_column }} is distinct from 0
        else child.{{ level_column }} is distinct from parent.{{ level_column }} + 1
    end
{% endtest %}
