{#- Fails on every node that is its own ancestor in a parent graph
    (column_name = the node, parent_column = its parent). -#}
{% test no_cycles(model, column_name, parent_column) %}
    with recursive edges as (
        select {{ column_name }} as node, {{ parent_column }} as parent
        from {{ model }}
        where {{ parent_column }} is not null
    ),

    walk (start_node, node, depth) as (
        select node, parent, 1 from edges
        union all
        select walk.start_node, edges.parent, walk.depth + 1
        from walk
        inner join edges on edges.node = walk.node  -- noqa: AL04
        -- a path longer than the number of edges has repeated a node
        where walk.node <> walk.start_node
          and walk.depth <= (select count(*) from edges)
    )

    select distinct start_node as node_on_cycle
    from walk
    where node = start_node
{% endtest %}
