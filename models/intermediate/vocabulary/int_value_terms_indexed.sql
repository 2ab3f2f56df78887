{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- Every way the data names a value of a categorical attribute, normalized, with how it
-- matches: exact (the canonical value), alias (a seed alias or a label in any locale),
-- mapping (a term mapping in force, followed to the end of its chain).
-- One value per (attribute, term): exact beats alias beats mapping.
with attribute_values as (
    select * from {{ ref('stg_domain_pack__attribute_values') }}
),

labels as (
    select * from {{ ref('stg_domain_pack__labels') }}
    where entity_type = 'value'
),

mappings as (
    select * from {{ ref('int_term_mappings_chained') }}
    where scope = 'value' and not is_deprecated
),

aliases as (
    select attribute_id, value_id, {{ unnest_list('aliases') }} as alias
    from attribute_values
),

terms as (
    select attribute_id, value_id, normalized_value as term, 'exact' as match_type, 1 as priority
    from attribute_values
    union all
    select attribute_id, value_id, {{ normalize_term('alias') }}, 'alias', 2
    from aliases
    union all
    select
        attribute_values.attribute_id, attribute_values.value_id, labels.normalized_label,
        'alias', 2
    from labels
    inner join attribute_values on attribute_values.value_id = labels.entity_id
    union all
    select
        attribute_values.attribute_id, attribute_values.value_id,
        mappings.normalized_from_term, 'mapping', 3
    from mappings
    inner join attribute_values
        on attribute_values.attribute_id = mappings.attribute_id
        and attribute_values.normalized_value = mappings.resolved_to_term
),

final as (
    select attribute_id, term, value_id, match_type
    from terms
    where term is not null
    qualify row_number() over (
        partition by attribute_id, term order by priority, value_id
    ) = 1
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
