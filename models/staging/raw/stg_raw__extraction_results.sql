-- One extraction result per item and run: a run delivered twice keeps its latest load.
with source as (
    select * from {{ source('raw', 'extraction_results') }}
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
