-- One row per way of writing a unit (`in`, `inch`, `"`), with the unit it names.
with source as (
    select * from {{ ref('domain_units') }}
    where domain = {{ domain_literal() }}
),

spellings as (
    select
        unit_id,
        dimension,
        name,
        plural,
        factor,
        {{ unnest_list(split_text('spellings', '|')) }} as spelling
    from source
),

final as (
    select
        trim(unit_id) as unit_id,
        lower(trim(dimension)) as dimension,
        trim(name) as name,
        trim(plural) as plural,
        factor,
        lower(trim(spelling)) as spelling
    from spellings
)

select * from final
where spelling <> ''
