{{
    config(
        materialized='incremental',
        unique_key='build_partition',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_partitions_to_count(ref('item_attributes'), 'observations') }}",
    )
}}
-- taxonomy.item_attributes counted once per build partition, by provenance, extraction model
-- and run, as observation_counts counts them by attribute: a build counts only the partitions
-- that are new or changed size and keeps the others' rows (macros/partitions.sql).
-- extraction_quality's observation figures are sums of it.
{%- set to_count = partitions_to_count(ref('item_attributes'), 'observations') %}
with observations as (
    select * from {{ ref('item_attributes') }}
    where {{ to_count }}
),

final as (
    select
        {{ build_partition('raw_loaded_through', 'vocabulary_hash') }} as build_partition,
        provenance,
        model,
        run_id,
        count(*) as observations,
        count(*) filter (where match_type = 'unmatched') as observations_unmatched,
        count(confidence) as observations_with_confidence,
        -- a decimal sum: the same total whatever the partitions it is summed from
        -- (9 decimals: a double reaches a decimal the same way on both engines; at 18, DuckDB
        -- keeps the double's binary digits, Spark its shortest decimal form)
        sum(confidence::decimal(38, 9))::decimal(38, 9) as confidence_sum
    from observations
    group by all
)

select * from final
