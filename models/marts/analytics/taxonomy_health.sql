-- How well the data fits the taxonomy: overall, by source and by language.
-- A coverage: items with a canonical category. C coverage: observations resolved to the
-- vocabulary. D backlog: distinct candidates still awaiting a decision (status `active` in
-- the candidate layer: an unknown value of a categorical attribute, an unknown attribute
-- name; near-duplicates count once, through their cluster head). Normalization rate: resolved
-- observations that needed an alias or a mapping to resolve.
with items as (
    -- taxonomy.items, counted per build partition (item_counts)
    select * from {{ ref('item_counts') }}
),

observations as (
    -- taxonomy.item_attributes, counted per build partition (observation_counts)
    select * from {{ ref('observation_counts') }}
),

awaiting_review as (
    select candidate_id, candidate_type, attribute_id, normalized_term
    from {{ ref('int_candidates_reviewed') }}
    where status = 'active'
),

-- the candidate each count of sightings is of, matched on what the candidate layer keys it by
-- (kind, attribute, term)
sightings as (
    select
        observations.*,
        awaiting_review.candidate_id as candidate_awaiting_review
    from observations
    left join awaiting_review
        on awaiting_review.candidate_type = observations.candidate_type
        and awaiting_review.attribute_id is not distinct from observations.attribute_id
        and awaiting_review.normalized_term = observations.candidate_term
),

item_metrics as (
    select
        case
            when grouping(source) = 0 then 'source'
            when grouping(language) = 0 then 'language'
            else 'overall'
        end as dimension,
        coalesce(source, language, 'all') as dimension_value,
        sum(items)::bigint as items,
        coalesce(sum(items) filter (where has_category), 0)::bigint as items_with_category,
        (sum(completeness_sum) / nullif(sum(items_with_completeness), 0))::double
            as avg_completeness
    from items
    group by grouping sets ((), (source), (language))  -- noqa: PRS
),

observation_metrics as (
    select
        case
            when grouping(source) = 0 then 'source'
            when grouping(language) = 0 then 'language'
            else 'overall'
        end as dimension,
        coalesce(source, language, 'all') as dimension_value,
        coalesce(sum(observations), 0)::bigint as observations,
        coalesce(sum(observations) filter (where match_type <> 'unmatched'), 0)::bigint
            as observations_resolved,
        coalesce(
            sum(observations) filter (where match_type in ('alias', 'mapping', 'rule')), 0
        )::bigint as observations_normalized,
        count(distinct candidate_awaiting_review) as candidate_backlog
    from sightings
    group by grouping sets ((), (source), (language))  -- noqa: PRS
),

final as (
    select
        dimension,
        dimension_value,
        coalesce(item_metrics.items, 0) as items,
        coalesce(item_metrics.items_with_category, 0) as items_with_category,
        round(item_metrics.items_with_category / nullif(item_metrics.items, 0), 4)
            as category_coverage,
        round(item_metrics.avg_completeness, 4) as avg_completeness,
        coalesce(observation_metrics.observations, 0) as observations,
        coalesce(observation_metrics.observations_resolved, 0) as observations_resolved,
        round(observation_metrics.observations_resolved
            / nullif(observation_metrics.observations, 0), 4) as vocabulary_coverage,
        round(observation_metrics.observations_normalized
            / nullif(observation_metrics.observations_resolved, 0), 4) as normalization_rate,
        coalesce(observation_metrics.candidate_backlog, 0) as candidate_backlog
    -- full join: observations of items never delivered keep their `(unknown)` rows
    from item_metrics
    full join observation_metrics using (dimension, dimension_value)
)

select * from final
