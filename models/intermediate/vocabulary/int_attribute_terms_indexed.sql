{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- Every way the data names an attribute, normalized, with how it matches:
-- exact (its name or display name), alias (a label in any locale), mapping (a term mapping
-- in force). A term may name several attributes (`Product Type` of computers and of office
-- products): observations pick among them by the item's category. Per term and attribute,
-- the best match: exact beats alias beats mapping (`priority`).
-- (each name normalized once, here: Spark may not normalize inside a join condition)
with attributes as (
    select *, {{ normalize_term('name') }} as normalized_name
    from {{ ref('stg_domain_pack__attributes') }}
),

labels as (
    select * from {{ ref('stg_domain_pack__labels') }}
    where entity_type = 'attribute'
),

mappings as (
    select * from {{ ref('int_term_mappings_chained') }}
    where scope = 'attribute' and not is_deprecated
),

terms as (
    select attribute_id, normalized_name as term, 'exact' as match_type, 1 as priority
    from attributes
    union all
    select attribute_id, {{ normalize_term('display_name') }}, 'exact', 1
    from attributes
    union all
    select entity_id, normalized_label, 'alias', 2
    from labels
    union all
    select attributes.attribute_id, mappings.normalized_from_term, 'mapping', 3
    from mappings
    inner join attributes
        on attributes.normalized_name = mappings.resolved_to_term
),

final as (
    select term, attribute_id, match_type, priority
    from terms
    where term is not null
    qualify row_number() over (partition by term, attribute_id order by priority) = 1
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
