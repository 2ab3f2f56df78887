{{
    config(
        materialized='incremental',
        unique_key='build_partition',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_partitions_to_count(ref('item_attributes'), 'observations') }}",
    )
}}
-- taxonomy.item_attributes counted once per build partition: the rows one build wrote against
-- one vocabulary (raw_loaded_through x vocabulary_hash). A load adds a partition; a
-- re-delivery, a new run or a vocabulary change moves rows out of older ones. So a build
-- counts only the partitions that are new or changed size (one pass over the two stamp
-- columns tells which) and keeps the others' rows; normalization_rates and taxonomy_health
-- sum these counts instead of reading every observation (macros/partitions.sql).
{%- set to_count = partitions_to_count(ref('item_attributes'), 'observations') %}
with observations as (
    select * from {{ ref('item_attributes') }}
    where {{ to_count }}
),

attributes as (
    select attribute_id, data_type from {{ ref('attributes') }}
),

classified as (
    select
        {{ build_partition('observations.raw_loaded_through', 'observations.vocabulary_hash') }}
            as build_partition,
        -- an extraction result for an item never delivered has no source or language
        coalesce(observations.source, '(unknown)') as source,
        coalesce(observations.language, '(unknown)') as language,
        observations.attribute_id,
        coalesce(observations.normalization_rule, '(none)') as normalization_rule,
        observations.match_type,
        observations.canonical_value is not null as is_normalized,
        -- the candidate the observation is a sighting of, keyed as the candidate layer keys
        -- it; an unreadable number or truth value is unmatched but names no new term
        case
            when observations.attribute_id is null and observations.normalized_name is not null
                then 'attribute'
            -- a value only the normalization rules named (a family) is still a sighting
            when attributes.data_type = 'categorical'
                and (observations.value_id is null or observations.match_type = 'rule')
                and observations.normalized_value is not null
                then 'value'
        end as candidate_type,
        case
            when observations.attribute_id is null then observations.normalized_name
            else observations.normalized_value
        end as candidate_term
    from observations
    left join attributes using (attribute_id)
),

final as (
    select
        build_partition,
        source,
        language,
        attribute_id,
        normalization_rule,
        match_type,
        is_normalized,
        candidate_type,
        case when candidate_type is not null then candidate_term end as candidate_term,
        count(*) as observations
    from classified
    group by all
)

select * from final
