-- How well the data fits the taxonomy: overall, by source and by language.
-- A coverage: items with a canonical category. C coverage: observations resolved to the
-- vocabulary. D backlog: distinct unknown terms. Normalization rate: resolved observations
-- that needed an alias or a mapping to resolve.
with items as (
    select * from {{ ref('items') }}
),

item_attributes as (
    -- an extraction result for an item never delivered has no source or language
    select * replace (coalesce(source, '(unknown)') as source,
        coalesce(language, '(unknown)') as language)
    from {{ ref('item_attributes') }}
),

item_metrics as (
    select
        case
            when grouping(source) = 0 then 'source'
            when grouping(language) = 0 then 'language'
            else 'overall'
        end as dimension,
        coalesce(source, language, 'all') as dimension_value,
        count(*) as items,
        count(category_id) as items_with_category,
        avg(completeness) as avg_completeness
    from items
    group by grouping sets ((), (source), (language))
),

observation_metrics as (
    select
        case
            when grouping(source) = 0 then 'source'
            when grouping(language) = 0 then 'language'
            else 'overall'
        end as dimension,
        coalesce(source, language, 'all') as dimension_value,
        count(*) as observations,
        count(*) filter (where match_type <> 'unmatched') as observations_resolved,
        count(*) filter (where match_type in ('alias', 'mapping')) as observations_normalized,
        count(distinct case when match_type = 'unmatched'
            then concat_ws('|', attribute_id, coalesce(normalized_value, normalized_name)) end)
            as candidate_backlog
    from item_attributes
    group by grouping sets ((), (source), (language))
),

final as (
    select
        item_metrics.dimension,
        item_metrics.dimension_value,
        item_metrics.items,
        item_metrics.items_with_category,
        round(item_metrics.items_with_category / item_metrics.items, 4) as category_coverage,
        round(item_metrics.avg_completeness, 4) as avg_completeness,
        coalesce(observation_metrics.observations, 0) as observations,
        coalesce(observation_metrics.observations_resolved, 0) as observations_resolved,
        round(observation_metrics.observations_resolved
            / nullif(observation_metrics.observations, 0), 4) as vocabulary_coverage,
        round(observation_metrics.observations_normalized
            / nullif(observation_metrics.observations_resolved, 0), 4) as normalization_rate,
        coalesce(observation_metrics.candidate_backlog, 0) as candidate_backlog
    from item_metrics
    left join observation_metrics using (dimension, dimension_value)
)

select * from final
