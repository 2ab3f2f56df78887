{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process() }}",
    )
}}
-- Incremental: only the items a load touched (macros/incremental.sql).
-- One row per free term an extraction result mentions (terms outside any attribute).
{%- set in_scope = items_to_process() %}
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
    where {{ in_scope }}
),

extraction_results as (
    select * from {{ ref('stg_raw__extraction_results') }}
    where {{ in_scope }}
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

-- normalize each distinct spelling once
spellings as (
    select raw_term, {{ normalize_term('raw_term') }} as normalized_term
    from (select distinct term.term as raw_term from unnested)
),

final as (
    select
        unnested.item_id,
        term.term as raw_term,
        spellings.normalized_term,
        term.context,
        term.confidence,
        term.frequency,
        unnested.model,
        unnested.run_id,
        unnested.observed_at,
        items.source,
        items.language,
        {{ incremental_stamp() }}
    from unnested
    left join spellings on spellings.raw_term is not distinct from unnested.term.term
    left join items using (item_id)
)

select * from final
