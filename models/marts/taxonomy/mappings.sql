-- Mappings: source terms -> canonical terms in force at build time, chains resolved.
with chained as (
    select * from {{ ref('int_term_mappings_chained') }}
),

final as (
    select
        mapping_id,
        scope,
        attribute_id,
        from_term,
        to_term,
        relation_type,
        resolved_to_term,
        is_deprecated,
        chain_length,
        valid_from,
        valid_to,
        created_by,
        notes
    from chained
)

select * from final
