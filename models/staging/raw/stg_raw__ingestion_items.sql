{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- The latest delivered record of each item: a later delivery of the same item_id replaces
-- the earlier one (by ingested_at, then load time, then position in the file).
-- Incremental (a table, not a view: every item-level model reads it): a build takes the
-- deliveries loaded since the latest one the table holds; the latest of each item competes
-- with the record the table holds for it, which won over every earlier delivery.
{%- set staged_through = raw_watermark() %}
with source as (
    select * from {{ source('raw', 'ingestion_items') }}
    {%- if staged_through is not none %}
    where _loaded_at > cast('{{ staged_through }}' as {{ type_timestamp_tz() }})
    {%- endif %}
),

latest_delivered as (
    select *
    from source
    qualify row_number() over (
        partition by item_id
        order by ingested_at desc, _loaded_at desc, _line_number desc
    ) = 1
),

-- the record held for those items (ingested_at alone: only the keys are read); none on a
-- full build
held as (
    {%- if is_incremental() %}
    select item_id, ingested_at from {{ this }}
    where item_id in (select item_id from latest_delivered)
    {%- else %}
        select item_id, ingested_at from latest_delivered
        where false
    {%- endif %}
),

-- a delivery loaded since replaces the held record unless that one was ingested later (on a
-- tie, the later load wins: the delivery)
latest as (
    select latest_delivered.*
    from latest_delivered
    left join held using (item_id)
    where held.item_id is null or latest_delivered.ingested_at >= held.ingested_at
),

-- when each item was first loaded, as either kind of record (macros/incremental.sql)
first_loads as (
    {{ item_first_loads('latest') }}
),

final as (
    select
        item_id,
        trim(title) as title,
        nullif(trim(description), '') as description,
        nullif(trim({{ unwrap_json_list('raw_category') }}), '') as raw_category,
        raw_attributes,
        source,
        language,
        metadata,
        ingested_at,
        _load_id as load_id,
        _loaded_at as loaded_at,
        first_loads.item_first_loaded_at,
        _record_hash as record_hash
    from latest
    inner join first_loads using (item_id)
)

select * from final
