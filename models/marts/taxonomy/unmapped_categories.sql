-- The curators' backlog: raw category strings no mapping or path reading resolved, per
-- source, most common first. Add a row to the category_mappings seed to resolve one.
with items as (
    select * from {{ ref('items') }}
),

final as (
    select
        source,
        raw_category,
        count(*) as item_count,
        min(item_id) as example_item_id,
        arg_min(title, item_id) as example_title
    from items
    where category_id is null
    group by source, raw_category
)

select * from final
