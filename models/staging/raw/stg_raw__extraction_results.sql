{{
    config(
        materialized='incremental',
        unique_key=['item_id', 'model', 'run_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- One extraction result per item and run: a run delivered twice keeps its latest load.
-- Incremental (a table, not a view: every item-level model reads it): a build takes the
-- results loaded since the latest load the table holds; each replaces the one held for its
-- item and run, if any (a later load always wins).
{%- set staged_through = raw_watermark() %}
with source as (
    select * from {{ source('raw', 'extraction_results') }}
    {%- if staged_through is not none %}
    where _loaded_at > cast('{{ staged_through }}' as {{ type_timestamp_tz() }})
    {%- endif %}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by item_id, model, run_id
        order by _loaded_at desc, _line_number desc
    ) = 1
),

-- when each item was first loaded, as either kind of record (macros/incremental.sql)
first_loads as (
    {{ item_first_loads('latest') }}
),

final as (
    select
        item_id,
        model,
        run_id,
        attributes,
        terms,
        extracted_at,
        processing_time_ms,
        _load_id as load_id,
        _loaded_at as loaded_at,
        first_loads.item_first_loaded_at
    from latest
    inner join first_loads using (item_id)
)

select * from final
