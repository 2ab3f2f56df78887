with source as (
    select * from {{ ref('domain_attributes') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        attribute_id,
        name,
        display_name,
        lower(data_type) as data_type,
        nullif(trim(unit), '') as unit,
        lower(status) as status,
        description,
        nullif(lower(trim(dimension)), '') as dimension,
        nullif(trim(assumed_unit), '') as assumed_unit,
        decimals,
        nullif(trim(value_format), '') as value_format,
        dimension_part,
        nullif(lower(trim(check_digit)), '') as check_digit,
        nullif(trim(handle), '') as handle
    from source
)

select * from final
