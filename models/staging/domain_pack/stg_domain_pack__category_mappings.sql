with source as (
    select * from {{ ref('domain_category_mappings') }}
    where domain = '{{ var("domain") }}'
),

final as (
    select
        source,
        raw_category,
        {{ normalize_term('raw_category') }} as normalized_raw_category,
        category_id
    from source
)

select * from final
