with source as (
    select * from {{ ref('domain_number_formats') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        lower(trim(language)) as language,
        trim(decimal_separator) as decimal_separator
    from source
)

select * from final
