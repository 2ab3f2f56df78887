{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
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

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
