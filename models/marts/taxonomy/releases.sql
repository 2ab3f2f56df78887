-- Versioning: one row per taxonomy release ever built; history, so never rebuilt from scratch.
{{
    config(
        materialized='incremental',
        full_refresh=false,
        on_schema_change='append_new_columns',
    )
}}

with categories as (
    select * from {{ ref('categories') }}
),

attributes as (
    select * from {{ ref('attributes') }}
),

attribute_values as (
    select * from {{ ref('attribute_values') }}
),

mappings as (
    select * from {{ ref('mappings') }}
),

release as (
    select
        '{{ taxonomy_version() }}' as taxonomy_version,
        -- the invocation's start, so it precedes every snapshot row this build writes
        cast('{{ run_started_at.isoformat() }}' as {{ type_timestamp_tz() }}) as released_at,
        '{{ invocation_id }}' as invocation_id,
        (select count(*) from categories) as category_count,
        (select count(*) from attributes) as attribute_count,
        (select count(*) from attribute_values) as attribute_value_count,
        (select count(*) from mappings) as mapping_count
),

final as (
    select * from release
    {% if is_incremental() -%}
    -- rebuilding a version keeps its first release
    where taxonomy_version not in (select taxonomy_version from {{ this }})
    {%- endif %}
)

select * from final
