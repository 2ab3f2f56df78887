{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- A table, not a view like the other domain-pack staging models: its levels are normalized
-- once, not in every incremental model that hashes the category vocabulary (5,456 Shopify
-- mappings took 0.4 s a read); pack-level, rebuilt only when the domain pack changed
-- (macros/pack_models.sql).
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
        {{ list_map(
            split_category_path('raw_category'), 'level', normalize_category_term('level')
        ) }} as normalized_levels,
        category_id
    from source
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
