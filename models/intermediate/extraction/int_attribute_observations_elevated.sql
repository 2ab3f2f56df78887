-- A view: the elevated values are few, so resolving against them is a cheap lookup at read time.
{{ config(materialized='view') }}
-- Observations resolved against the whole vocabulary: the curated one (already resolved
-- upstream) and the values reviewers elevated from candidates. A categorical observation
-- the curated vocabulary missed resolves to an elevated value by its term (`exact`) or by
-- a near-duplicate merged into it (`alias`).
with observations as (
    select * from {{ ref('int_attribute_observations_resolved') }}
),

elevated_values as (
    select * from {{ ref('int_elevated_values') }}
),

elevated_terms as (
    select attribute_id, normalized_value as term, value_id, 'exact' as match_type
    from elevated_values
    union all
    select attribute_id, unnest(aliases), value_id, 'alias'
    from elevated_values
),

final as (
    select
        observations.* replace (
            coalesce(observations.value_id, elevated_terms.value_id) as value_id,
            coalesce(elevated_terms.match_type, observations.match_type) as match_type
        ),
        case
            when elevated_terms.value_id is not null then 'elevated'
            when observations.value_id is not null then 'seed'
        end as value_origin
    from observations
    left join elevated_terms
        on observations.value_id is null
        and observations.data_type = 'categorical'
        and elevated_terms.attribute_id = observations.attribute_id
        and elevated_terms.term = observations.normalized_value
)

select * from final
