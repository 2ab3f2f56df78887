-- C: the allowed values of categorical attributes, with aliases and labels.
with attribute_values as (
    select * from {{ ref('stg_domain_pack__attribute_values') }}
),

label_columns as (
    select entity_id as value_id, label_en, label_zh_tw, label_ja
    from {{ ref('int_labels_pivoted') }}
    where entity_type = 'value'
),

final as (
    select
        attribute_values.value_id,
        attribute_values.attribute_id,
        attribute_values.value,
        attribute_values.normalized_value,
        attribute_values.aliases,
        label_columns.label_en,
        label_columns.label_zh_tw,
        label_columns.label_ja,
        attribute_values.status,
        attribute_values.sort_order,
        'seed' as origin
    from attribute_values
    left join label_columns using (value_id)
)

select * from final
