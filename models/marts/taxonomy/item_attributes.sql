{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(elevated_vocabulary()) }}",
    )
}}
-- Extraction layer: one row per item x attribute observation, resolved against the whole
-- vocabulary: the curated one (int_attribute_observations_resolved) and the values reviewers
-- elevated from candidates. A categorical observation the curated vocabulary missed resolves
-- to an elevated value by its term (`exact`) or by a near-duplicate merged into it (`alias`).
-- Incremental: the items resolved again upstream in this build, or all when the vocabulary or
-- an elevation changed (macros/incremental.sql).
{%- set vocabulary = elevated_vocabulary() %}
with observations as (
    select {{ star_except(['vocabulary_hash', 'raw_loaded_through']) }}
    from {{ ref('int_attribute_observations_resolved') }}
    where {{ restamped_rows(vocabulary) }}
),

attribute_values as (
    select * from {{ ref('attribute_values') }}
),

normalized_values as (
    select {{ star_except(['item_id', 'vocabulary_hash', 'raw_loaded_through']) }}
    from {{ ref('int_attribute_values_normalized') }}
    where {{ restamped_rows(vocabulary) }}
),

elevated_values as (
    select * from {{ ref('int_values_elevated') }}
),

elevated_terms as (
    select attribute_id, normalized_value as term, value_id, 'exact' as match_type
    from elevated_values
    union all
    select attribute_id, {{ unnest_list('aliases') }}, value_id, 'alias'
    from elevated_values
),

-- an equality join (a hash join); the conditions on the observation pick the match after it
joined as (
    select
        observations.*,
        case
            when observations.value_id is null and observations.data_type = 'categorical'
                then elevated_terms.value_id
        end as elevated_value_id,
        case
            when observations.value_id is null and observations.data_type = 'categorical'
                then elevated_terms.match_type
        end as elevated_match_type
    from observations
    left join elevated_terms
        on elevated_terms.attribute_id = observations.attribute_id
        and elevated_terms.term = observations.normalized_value
),

resolved as (
    select
        {{ star_except(['value_id', 'match_type', 'elevated_value_id', 'elevated_match_type']) }},
        coalesce(value_id, elevated_value_id) as value_id,
        coalesce(elevated_match_type, match_type) as match_type,
        case
            when elevated_value_id is not null then 'elevated'
            when value_id is not null then 'seed'
        end as value_origin
    from joined
),

-- what the domain pack's normalization rules make of a value the vocabulary did not name
-- by itself (a pattern rule, a family, a quantity in the attribute's unit, an expansion)
normalized as (
    select
        {{ star_except(
            ['value_id', 'value_number', 'value_unit', 'match_type', 'value_origin'], 'resolved'
        ) }},
        coalesce(resolved.value_id, normalized_values.value_id) as value_id,
        -- the number and unit as the rules read them (`1,000 g` is 1000 in English),
        -- else as the first digits of the value give them
        coalesce(normalized_values.value_number, resolved.value_number) as value_number,
        coalesce(normalized_values.value_unit, resolved.value_unit) as value_unit,
        case
            when resolved.value_id is null and normalized_values.value_id is not null
                then 'rule'
            -- a number only the rules could read (`Dual Port`, `1/4"`)
            when resolved.match_type = 'unmatched'
                and normalized_values.canonical_value is not null
                then 'rule'
            else resolved.match_type
        end as match_type,
        case
            when resolved.value_id is null and normalized_values.value_id is not null
                then 'seed'
            else resolved.value_origin
        end as value_origin,
        normalized_values.canonical_value as normalized_canonical_value,
        case
            when resolved.value_id is not null then 'vocabulary'
            else normalized_values.normalization_rule
        end as normalization_rule
    from resolved
    left join normalized_values using (observation_id)
),

final as (
    select
        observations.observation_id,
        observations.item_id,
        observations.provenance,
        observations.raw_name,
        observations.raw_value,
        observations.normalized_name,
        observations.normalized_value,
        observations.attribute_id,
        observations.value_id,
        coalesce(attribute_values.value, observations.normalized_canonical_value)
            as canonical_value,
        observations.value_number,
        observations.value_unit,
        observations.value_boolean,
        observations.match_type,
        observations.normalization_rule,
        observations.value_origin,
        observations.attribute_match_type,
        observations.evidence,
        observations.confidence,
        observations.model,
        observations.run_id,
        observations.source,
        observations.language,
        observations.observed_at,
        {{ incremental_stamp(vocabulary) }}
    from normalized as observations
    left join attribute_values using (value_id)
)

select * from final
