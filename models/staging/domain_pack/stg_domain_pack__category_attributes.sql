with source as (
    select * from {{ ref('domain_category_attributes') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        category_id,
        attribute_id,
        coalesce(required, false) as is_required
    from source
)

select * from final
