with source as (
    select * from {{ ref('domain_category_mappings') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        source,
        raw_category,
        -- the levels of the raw string, normalized: a mapping applies to every raw category
        -- that starts with these levels (Flipkart-style paths end with the product title)
        list_transform(
            {{ split_category_path('raw_category') }},
            lambda level: {{ normalize_category_term('level') }}
        ) as normalized_levels,
        category_id
    from source
)

select * from final
