with source as (
    select * from {{ ref('domain_number_words') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        lower(trim(word)) as word,
        number
    from source
)

select * from final
