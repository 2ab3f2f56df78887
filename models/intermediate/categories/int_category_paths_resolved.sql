{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- Walks the category tree from its roots: level (root = 0), the path of names and of ids.
-- Nodes on a cycle are never reached from a root: they keep a null level, and the
-- no_cycles test on taxonomy.categories names them.
with recursive categories as (
    select * from {{ ref('stg_domain_pack__categories') }}
),

tree (category_id, level, path_names, path_ids) as (
    select category_id, 0, {{ list_of(['name']) }}, {{ list_of(['category_id']) }}
    from categories
    where parent_id is null

    union all

    select child.category_id, tree.level + 1, array_append(tree.path_names, child.name),
        array_append(tree.path_ids, child.category_id)
    from categories as child
    inner join tree on child.parent_id = tree.category_id
    where tree.level < 100
),

final as (
    select
        categories.category_id,
        categories.parent_id,
        categories.name,
        categories.status,
        categories.merged_into,
        categories.description,
        tree.level,
        tree.path_names,
        tree.path_ids
    from categories
    left join tree using (category_id)
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
