-- Extraction layer: one row per item x attribute observation, resolved to the vocabulary.
-- A view: the observations are built incrementally upstream; the canonical value is a lookup.
{{ config(materialized='view') }}
with observations as (
    select * from {{ ref('int_attribute_observations_elevated') }}
),

attribute_values as (
    select * from {{ ref('attribute_values') }}
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
        attribute_values.value as canonical_value,
        observations.value_number,
        observations.value_unit,
        observations.value_boolean,
        observations.match_type,
        observations.value_origin,
        observations.attribute_match_type,
        observations.evidence,
        observations.confidence,
        observations.model,
        observations.run_id,
        observations.source,
        observations.language,
        observations.observed_at,
        observations.raw_loaded_through
    from observations
    left join attribute_values using (value_id)
)

select * from final
