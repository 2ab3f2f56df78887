with source as (
    select * from {{ ref('domain_categories') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        category_id,
        nullif(trim(parent_id), '') as parent_id,
        trim(name) as name,
        lower(status) as status,
        nullif(trim(merged_into), '') as merged_into,
        description
    from source
)

select * from final
