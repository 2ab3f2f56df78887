-- One row per labelled category, attribute or value, with its label in each display locale
-- the marts show. Regional variants count for their language (`en-US` for English).
with labels as (
    select * from {{ ref('stg_domain_pack__labels') }}
),

final as (
    select
        entity_type,
        entity_id,
        max(label) filter (where locale = 'en' or locale like 'en-%') as label_en,
        max(label) filter (where locale in ('zh-TW', 'zh-Hant', 'zh-Hant-TW')) as label_zh_tw,
        max(label) filter (where locale = 'ja' or locale like 'ja-%') as label_ja
    from labels
    group by entity_type, entity_id
)

select * from final
