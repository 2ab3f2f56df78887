with source as (
    select * from {{ ref('domain_term_mappings') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        mapping_id,
        lower(scope) as scope,
        nullif(trim(attribute_id), '') as attribute_id,
        trim(from_term) as from_term,
        nullif(trim(to_term), '') as to_term,
        {{ normalize_term('from_term') }} as normalized_from_term,
        {{ normalize_term('to_term') }} as normalized_to_term,
        lower(relation_type) as relation_type,
        valid_from,
        valid_to,
        created_by,
        notes
    from source
)

select * from final
