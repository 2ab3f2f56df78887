with source as (
    select * from {{ ref('domain_value_families') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        trim(attribute_id) as attribute_id,
        {{ normalize_term('keyword') }} as keyword,
        trim(value_id) as value_id,
        notes
    from source
)

select * from final
