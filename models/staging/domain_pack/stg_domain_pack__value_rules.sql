with source as (
    select * from {{ ref('domain_value_rules') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        trim(rule_id) as rule_id,
        trim(attribute_id) as attribute_id,
        rule_order,
        pattern,
        coalesce(replacement, '') as replacement,
        nullif(lower(trim(letter_case)), '') as letter_case,
        example_input,
        coalesce(example_output, '') as example_output,
        notes
    from source
)

select * from final
