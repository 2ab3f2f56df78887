{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(attribute_vocabulary()) }}",
    )
}}
-- D, one row per sighting of a term the vocabulary does not know. Three kinds:
-- `value` (an unknown value of a known categorical attribute), `attribute` (an unknown
-- attribute name) and `term` (a free term an extraction mentioned).
-- Judged against the curated vocabulary only, so an elevated term keeps its history here.
-- Incremental: the items resolved again upstream in this build, or all when the curated
-- vocabulary changed (macros/incremental.sql).
{%- set vocabulary = attribute_vocabulary() %}
{%- set restamped = restamped_rows(vocabulary) %}
with observations as (
    select * from {{ ref('int_attribute_observations_resolved') }}
    where {{ restamped }}
),

extracted_terms as (
    select * from {{ ref('int_extracted_terms_unnested') }}
    where {{ restamped }}
),

value_terms as (
    select * from {{ ref('int_value_terms_indexed') }}
),

attribute_terms as (
    select * from {{ ref('int_attribute_terms_indexed') }}
),

sightings as (
    select
        'value' as candidate_type, attribute_id, normalized_value as normalized_term,
        raw_value as raw_term, item_id, provenance, source, language, confidence,
        coalesce(evidence, raw_name || ': ' || raw_value) as context, 1 as occurrences,
        observed_at
    from observations
    where data_type = 'categorical' and value_id is null and normalized_value is not null

    union all

    select
        'attribute', null, normalized_name, raw_name, item_id, provenance, source, language,
        confidence, coalesce(evidence, raw_name || ': ' || raw_value), 1, observed_at
    from observations
    where attribute_id is null and normalized_name is not null

    union all

    select
        'term', null, normalized_term, raw_term, item_id, 'extraction', source, language,
        confidence, context, coalesce(frequency, 1), observed_at
    from extracted_terms
    where normalized_term is not null
        -- a free term that already names a value or an attribute is known
        and normalized_term not in (select term from value_terms)
        and normalized_term not in (select term from attribute_terms)
),

final as (
    select
        {{ candidate_id('candidate_type', 'attribute_id', 'normalized_term') }} as candidate_id,
        *,
        {{ incremental_stamp(vocabulary) }}
    from sightings
)

select * from final
