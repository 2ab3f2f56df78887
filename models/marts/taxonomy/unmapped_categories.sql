-- The curators' backlog: raw category strings no mapping or path reading resolved, per
-- source, ranked by how many items they hold: mapping the first ones (a row in the
-- category_mappings seed) resolves the most items.
with items as (
    select * from {{ ref('items') }}
),

final as (
    select
        source,
        raw_category,
        count(*) as item_count,
        min(item_id) as example_item_id,
        arg_min(title, item_id) as example_title,
        rank() over (order by count(*) desc) as backlog_rank
    from items
    where category_id is null
    group by source, raw_category
)

select * from final
