-- How much of what the data says the domain pack's normalization rules turn into a canonical
-- value: overall, per attribute, per source and per rule. An observation of a known attribute
-- is normalized when it has a canonical value (item_attributes.canonical_value); the rule
-- rows say what produced them (`vocabulary`, `pattern <rule_id> + quantity`, `family`, ...;
-- `(none)` for the observations nothing normalized).
with observations as (
    -- taxonomy.item_attributes, counted per build partition (observation_counts)
    select attribute_id, source, normalization_rule, is_normalized, observations
    from {{ ref('observation_counts') }}
    where attribute_id is not null
),

rates as (
    select
        case
            when grouping(attribute_id) = 0 then 'attribute'
            when grouping(source) = 0 then 'source'
            when grouping(normalization_rule) = 0 then 'rule'
            else 'overall'
        end as dimension,
        coalesce(attribute_id, source, normalization_rule, 'all') as dimension_value,
        coalesce(sum(observations), 0)::bigint as observations,
        coalesce(sum(observations) filter (where is_normalized), 0)::bigint
            as observations_normalized
    from observations
    group by grouping sets ((), (attribute_id), (source), (normalization_rule))  -- noqa: PRS
),

final as (
    select
        dimension,
        dimension_value,
        observations,
        observations_normalized,
        round(observations_normalized / nullif(observations, 0), 4) as normalization_rate
    from rates
)

select * from final
