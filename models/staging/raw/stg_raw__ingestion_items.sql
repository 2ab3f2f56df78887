-- The latest delivered record of each item: a later delivery of the same item_id replaces
-- the earlier one (by ingested_at, then load time, then position in the file).
with source as (
    select * from {{ source('raw', 'ingestion_items') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by item_id
        order by ingested_at desc, _loaded_at desc, _line_number desc
    ) = 1
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
        _record_hash as record_hash
    from latest
)

select * from final
