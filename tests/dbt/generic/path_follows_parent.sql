{#- Fails on every node whose path is not its parent's path, the separator and its name
    (a root's path is its name). -#}
{% test path_follows_parent(model, column_name, parent_column, path_column, name_column, separator=' > ') %}
    select child.{{ column_name }}, child.{{ path_column }}
    from {{ model }} as child
    left join {{ model }} as parent on parent.{{ column_name }} = child.{{ parent_column }}
    where child.{{ path_column }} is distinct from
        case
            when child.{{ parent_column }} is null then child.{{ name_column }}
            else parent.{{ path_column }} || '{{ separator }}' || child.{{ name_column }}
        end
{% endtest %}
