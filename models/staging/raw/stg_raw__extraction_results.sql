{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- One extraction result per item and run: a run delivered twice keeps its latest load.
-- Incremental (a table, not a view: every item-level model reads it): a build takes the items
-- with results delivered since the latest load the table holds; all their results compete again.
with source as (
    select * from {{ source('raw', 'extraction_results') }}
    {%- if is_incremental() %}
    where item_id in (
        select item_id from {{ source('raw', 'extraction_results') }}
        -- a table first built while the source was empty has no watermark (the max of no
        -- rows is null, which no comparison passes): then every row is new
        where _loaded_at > (select max(loaded_at) from {{ this }})
            or not exists (select 1 from {{ this }})
    )
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
        _loaded_at as loaded_at
    from latest
)

select * from final
