{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- Term mappings in force at build time (valid_from <= as-of date < valid_to), each followed
-- to the end of its chain: a -> b and b -> c resolve a to c, as a taxonomy resolves old
-- versions to the newest. A chain that reaches a `deprecate` ends with no target.
with recursive in_force as (
    select *
    from {{ ref('stg_domain_pack__term_mappings') }}
    where valid_from <= {{ as_of_date() }}
        and (valid_to is null or {{ as_of_date() }} < valid_to)
),

chain (mapping_id, scope, attribute_id, current_term, final_relation, chain_length, visited) as (
    select
        mapping_id, scope, attribute_id, normalized_to_term, relation_type, 1,
        {{ list_of(['normalized_from_term', 'normalized_to_term']) }}
    from in_force

    union all

    select
        chain.mapping_id, chain.scope, chain.attribute_id, next_step.normalized_to_term,
        next_step.relation_type, chain.chain_length + 1,
        array_append(chain.visited, next_step.normalized_to_term)
    from chain
    inner join in_force as next_step
        on next_step.scope = chain.scope
        and next_step.attribute_id is not distinct from chain.attribute_id
        and next_step.normalized_from_term = chain.current_term
    -- a term seen before is a cycle: stop there (the no_cycles test reports it)
    where not array_contains(chain.visited, coalesce(next_step.normalized_to_term, ''))
),

chain_end as (
    select mapping_id, current_term, final_relation, chain_length
    from chain
    qualify row_number() over (partition by mapping_id order by chain_length desc) = 1
),

final as (
    select
        in_force.mapping_id,
        in_force.scope,
        in_force.attribute_id,
        in_force.from_term,
        in_force.to_term,
        in_force.normalized_from_term,
        in_force.relation_type,
        chain_end.current_term as resolved_to_term,
        chain_end.final_relation = 'deprecate' or chain_end.current_term is null as is_deprecated,
        chain_end.chain_length,
        in_force.valid_from,
        in_force.valid_to,
        in_force.created_by,
        in_force.notes
    from in_force
    inner join chain_end using (mapping_id)
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
