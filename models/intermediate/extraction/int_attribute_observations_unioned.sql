-- Ephemeral: inlined into int_attribute_observations_resolved (its one reader), which keeps
-- the rows incrementally and tests their key.
{{ config(materialized='ephemeral') }}
-- One row per item x attribute observation, from the two places observations come from:
-- the shop's own raw_attributes (provenance `source`) and LLM extraction results
-- (provenance `extraction`, with evidence, confidence, model and run).
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
),

extraction_results as (
    select * from {{ ref('stg_raw__extraction_results') }}
),

from_source as (
    select
        item_id,
        'source' as provenance,
        entry.key as raw_name,
        entry.value as raw_value,
        null::varchar as evidence,
        null::double as confidence,
        null::varchar as model,
        null::varchar as run_id,
        ingested_at as observed_at
    from (
        select item_id, ingested_at, {{ unnest_json_object('raw_attributes') }} as entry
        from items
    )
),

from_extraction as (
    select
        item_id,
        'extraction' as provenance,
        attribute.name as raw_name,
        attribute.value as raw_value,
        attribute.evidence,
        attribute.confidence,
        model,
        run_id,
        coalesce(extracted_at, loaded_at) as observed_at
    from (
        select
            *,
            {{ unnest_json_array('attributes', {
                'name': 'VARCHAR', 'value': 'VARCHAR',
                'evidence': 'VARCHAR', 'confidence': 'DOUBLE'}) }} as attribute
        from extraction_results
    )
),

unioned as (
    select * from from_source
    union all
    select * from from_extraction
),

final as (
    select
        md5(concat_ws('|', unioned.item_id, provenance, model, run_id, raw_name))
            as observation_id,
        unioned.*,
        items.source,
        items.language
    from unioned
    left join items using (item_id)
)

select * from final
