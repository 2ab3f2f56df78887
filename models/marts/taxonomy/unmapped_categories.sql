-- The curators' backlog: raw category strings no mapping or path reading resolved, per
-- source, ranked by how many items they hold: mapping the first ones (a row in the
-- category_mappings seed) resolves the most items.
-- Summed from taxonomy.items' counts per build partition (item_counts), not read item by item.
with unmapped_items as (
    select * from {{ ref('item_counts') }}
    where not has_category
),

final as (
    select
        source,
        unmapped_raw_category as raw_category,
        sum(items)::bigint as item_count,
        min(first_item_id) as example_item_id,
        min_by(first_item_title, first_item_id) as example_title,
        -- bigint on both engines (Spark ranks in int)
        (rank() over (order by sum(items) desc))::bigint as backlog_rank
    from unmapped_items
    group by source, unmapped_raw_category
)

select * from final
