{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{{ purge_retired_sightings() }}",
            "{{ retire_items_to_process(attribute_vocabulary()) }}",
        ],
    )
}}
-- D, one row per sighting of a term the vocabulary does not know. Three kinds:
-- `value` (an unknown value of a known categorical attribute), `attribute` (an unknown
-- attribute name) and `term` (a free term an extraction mentioned).
-- Judged against the curated vocabulary only, so an elevated term keeps its history here.
-- Incremental: the items resolved again upstream in this build, or all when the curated
-- vocabulary changed (macros/incremental.sql). A sighting log: the earlier sightings of the
-- items processed again are not deleted but retired (retired_through set) for one build, so
-- int_candidate_sightings_aggregated can tell which candidates lost sightings.
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

item_categories as (
    select item_id, category_id from {{ ref('int_items_categorized') }}
    where {{ restamped }}
),

category_attributes as (
    select category_id, attribute_id from {{ ref('int_category_attributes_inherited') }}
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
        {{ candidate_id('sightings.candidate_type', 'sightings.attribute_id',
            'sightings.normalized_term') }} as candidate_id,
        sightings.*,
        -- a value sighting is in scope when its item's category carries the attribute
        -- (coverage counts those items)
        category_attributes.attribute_id is not null as in_scope,
        cast(null as {{ type_timestamp_tz() }}) as retired_through,
        {{ incremental_stamp(vocabulary) }}
    from sightings
    left join item_categories using (item_id)
    left join category_attributes
        on category_attributes.category_id = item_categories.category_id
        and category_attributes.attribute_id = sightings.attribute_id
)

select * from final
