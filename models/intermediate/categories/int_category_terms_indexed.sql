{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- Every way a category is named: its id, English name and its labels in any locale,
-- normalized (`&` read as `and`). Used to read raw category paths.
with categories as (
    select * from {{ ref('stg_domain_pack__categories') }}
),

labels as (
    select * from {{ ref('stg_domain_pack__labels') }}
    where entity_type = 'category'
),

terms as (
    select category_id, {{ normalize_category_term('name') }} as term from categories
    union
    select category_id, {{ normalize_category_term('category_id') }} from categories
    union
    select entity_id, {{ normalize_category_term('label') }} from labels
),

final as (
    select category_id, term
    from terms
    where term is not null
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
