-- Items: the latest record of each listing with its canonical category and completeness.
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
),

categorized as (
    select * from {{ ref('int_items_categorized') }}
),

category_attributes as (
    select * from {{ ref('int_category_attributes_inherited') }}
),

observations as (
    select * from {{ ref('int_attribute_observations_elevated') }}
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
        items.loaded_at
    from items
    inner join categorized using (item_id)
    left join completeness using (item_id)
)

select * from final
