with source as (
    select * from {{ ref('domain_attribute_values') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        value_id,
        attribute_id,
        trim(value) as value,
        {{ normalize_term('value') }} as normalized_value,
        -- aliases are written pipe-separated in the seed: `grey|dark grey`
        {{ list_where(
            list_map(split_text("coalesce(aliases, '')", '|'), 'a', 'trim(a)'),
            'a', "a <> ''"
        ) }} as aliases,
        lower(status) as status,
        sort_order
    from source
)

select * from final
