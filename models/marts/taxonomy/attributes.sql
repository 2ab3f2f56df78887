-- C: the controlled vocabulary's attributes.
with attributes as (
    select * from {{ ref('stg_domain_pack__attributes') }}
),

label_columns as (
    select entity_id as attribute_id, label_en, label_zh_tw, label_ja
    from {{ ref('int_labels_pivoted') }}
    where entity_type = 'attribute'
),

attribute_values as (
    select * from {{ ref('attribute_values') }}
),

value_counts as (
    select attribute_id, count(*) as value_count
    from attribute_values
    group by attribute_id
),

final as (
    select
        attributes.attribute_id,
        attributes.name,
        attributes.display_name,
        attributes.data_type,
        attributes.unit,
        attributes.status,
        attributes.description,
        attributes.handle,
        label_columns.label_en,
        label_columns.label_zh_tw,
        label_columns.label_ja,
        coalesce(value_counts.value_count, 0) as value_count
    from attributes
    left join label_columns using (attribute_id)
    left join value_counts using (attribute_id)
)

select * from final
