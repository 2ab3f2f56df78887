-- Rows the loader refused, with the extraction run they claim to belong to where the line
-- parses. A file loaded again (--force) rejects the same lines again: keep the latest.
with source as (
    select * from {{ source('raw', 'rejected_rows') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by kind, file_path, line_number, payload
        order by rejected_at desc
    ) = 1
),

final as (
    select
        load_id,
        kind,
        file_path,
        line_number,
        rule,
        field,
        message,
        payload,
        payload_bytes,
        {{ is_json('payload') }} as payload_is_json,
        -- extractions name their model and run in metadata; null when missing or unparseable
        nullif(trim({{ json_text_or_null('payload', '$.metadata.model') }}), '') as payload_model,
        nullif(trim({{ json_text_or_null('payload', '$.metadata.run_id') }}), '') as payload_run_id,
        rejected_at
    from latest
)

select * from final
