-- Items: the latest record of each listing with its canonical category and completeness.
-- A view of the incrementally built int_items_assessed, without its build stamps.
{{ config(materialized='view') }}
with items as (
    select * from {{ ref('int_items_assessed') }}
),

final as (
    select
        item_id,
        title,
        description,
        source,
        language,
        raw_category,
        category_id,
        category_match_type,
        required_attribute_count,
        required_attributes_present,
        completeness,
        ingested_at,
        load_id,
        loaded_at,
        raw_loaded_through
    from items
)

select * from final
