with source as (
    select * from {{ ref('domain_labels') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        entity_type,
        entity_id,
        locale,
        trim(label) as label,
        {{ normalize_term('label') }} as normalized_label
    from source
)

select * from final
