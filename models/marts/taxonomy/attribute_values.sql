-- C: the allowed values of categorical attributes, with aliases and labels: the curated
-- ones from the domain pack (origin `seed`) and the ones reviewers elevated from the
-- candidate layer (origin `elevated`, with the proposal that introduced them).
with attribute_values as (
    select * from {{ ref('stg_domain_pack__attribute_values') }}
),

elevated_values as (
    select * from {{ ref('int_values_elevated') }}
),

label_columns as (
    select entity_id as value_id, label_en, label_zh_tw, label_ja
    from {{ ref('int_labels_pivoted') }}
    where entity_type = 'value'
),

curated_order as (
    select attribute_id, max(sort_order) as max_sort_order
    from attribute_values
    group by attribute_id
),

curated as (
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
        'seed' as origin,
        cast(null as string) as proposal_id
    from attribute_values
    left join label_columns using (value_id)
),

elevated as (
    select
        value_id,
        attribute_id,
        value,
        normalized_value,
        aliases,
        null as label_en,
        null as label_zh_tw,
        null as label_ja,
        'active' as status,
        -- after the attribute's curated values, in the order they were elevated
        cast(
            coalesce(curated_order.max_sort_order, 0)
            + row_number() over (partition by attribute_id order by elevated_at, value_id)
            as integer
        ) as sort_order,
        'elevated' as origin,
        proposal_id
    from elevated_values
    left join curated_order using (attribute_id)
),

final as (
    -- the same columns in the same order
    select * from curated
    union all
    select * from elevated
)

select * from final
