{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(elevated_vocabulary()) }}",
    )
}}
-- Items: the latest record of each listing with its canonical category and completeness.
-- Incremental: only the items a load touched, or all when the vocabulary, the categories'
-- attributes or an elevation changed (macros/incremental.sql).
{%- set vocabulary = elevated_vocabulary() %}
{%- set restamped = restamped_rows(vocabulary) %}
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
    where {{ items_to_process(vocabulary=vocabulary) }}
),

categorized as (
    select item_id, category_id, category_match_type
    from {{ ref('int_items_categorized') }}
    where {{ restamped }}
),

category_attributes as (
    select * from {{ ref('int_category_attributes_inherited') }}
),

observations as (
    select * from {{ ref('item_attributes') }}
    where {{ restamped }}
),

required_attributes as (
    select category_id, attribute_id
    from category_attributes
    where is_required
),

present_attributes as (
    select distinct item_id, attribute_id
    from observations
    where match_type <> 'unmatched'
),

completeness as (
    select
        categorized.item_id,
        count(required_attributes.attribute_id) as required_attribute_count,
        count(present_attributes.attribute_id) as required_attributes_present
    from categorized
    inner join required_attributes using (category_id)
    left join present_attributes
        on present_attributes.item_id = categorized.item_id
        and present_attributes.attribute_id = required_attributes.attribute_id
    group by categorized.item_id
),

final as (
    select
        items.item_id,
        items.title,
        items.description,
        items.source,
        items.language,
        items.raw_category,
        categorized.category_id,
        categorized.category_match_type,
        coalesce(completeness.required_attribute_count, 0) as required_attribute_count,
        coalesce(completeness.required_attributes_present, 0) as required_attributes_present,
        -- share of the category's required attributes the item has (null: none required)
        completeness.required_attributes_present
            / nullif(completeness.required_attribute_count, 0) as completeness,
        items.ingested_at,
        items.load_id,
        items.loaded_at,
        {{ incremental_stamp(vocabulary) }}
    from items
    inner join categorized using (item_id)
    left join completeness using (item_id)
)

select * from final
