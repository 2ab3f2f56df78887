-- A: the canonical category tree, one row per category, with labels and counts.
with paths as (
    select * from {{ ref('int_category_paths_resolved') }}
),

label_columns as (
    select entity_id as category_id, label_en, label_zh_tw, label_ja
    from {{ ref('int_labels_pivoted') }}
    where entity_type = 'category'
),

items as (
    select * from {{ ref('int_items_categorized') }}
),

descendants as (
    select ancestor.category_id, count(*) - 1 as descendant_count
    from paths as ancestor
    inner join paths as node on array_contains(node.path_ids, ancestor.category_id)
    group by ancestor.category_id
),

item_counts as (
    select category_id, count(*) as item_count
    from items
    where category_id is not null
    group by category_id
),

final as (
    select
        paths.category_id,
        paths.name,
        paths.parent_id,
        paths.level,
        {{ list_join('paths.path_names', ' > ') }} as path,
        paths.path_ids,
        coalesce(descendants.descendant_count, 0) = 0 as is_leaf,
        paths.status,
        paths.merged_into,
        paths.description,
        label_columns.label_en,
        label_columns.label_zh_tw,
        label_columns.label_ja,
        coalesce(descendants.descendant_count, 0) as descendant_count,
        coalesce(item_counts.item_count, 0) as item_count
    from paths
    left join label_columns using (category_id)
    left join descendants using (category_id)
    left join item_counts using (category_id)
)

select * from final
