-- C x A: which attributes each category uses, its own and those inherited from ancestors,
-- with `required` from the nearest category that attaches the attribute.
with inherited as (
    select * from {{ ref('int_category_attributes_inherited') }}
),

final as (
    select
        category_id,
        attribute_id,
        is_required,
        is_inherited,
        defined_at_category_id
    from inherited
)

select * from final
