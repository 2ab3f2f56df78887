-- One row per free term an extraction result mentions (terms outside any attribute).
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
),

extraction_results as (
    select * from {{ ref('stg_raw__extraction_results') }}
),

unnested as (
    select
        item_id,
        model,
        run_id,
        coalesce(extracted_at, loaded_at) as observed_at,
        {{ unnest_json_array('terms', {
            'term': 'VARCHAR', 'context': 'VARCHAR',
            'confidence': 'DOUBLE', 'frequency': 'BIGINT'}) }} as term
    from extraction_results
),

final as (
    select
        unnested.item_id,
        term.term as raw_term,
        {{ normalize_term('term.term') }} as normalized_term,
        term.context,
        term.confidence,
        term.frequency,
        unnested.model,
        unnested.run_id,
        unnested.observed_at,
        items.source,
        items.language
    from unnested
    left join items using (item_id)
)

select * from final
