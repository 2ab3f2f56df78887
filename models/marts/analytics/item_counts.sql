{{
    config(
        materialized='incremental',
        unique_key='build_partition',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_partitions_to_count(ref('items'), 'items') }}",
    )
}}
-- taxonomy.items counted once per build partition (the rows one build wrote against one
-- vocabulary), as observation_counts counts item_attributes: a build counts only the
-- partitions that are new or changed size and keeps the others' rows (macros/partitions.sql).
-- taxonomy_health's item figures and unmapped_categories are sums of it.
{%- set to_count = partitions_to_count(ref('items'), 'items') %}
with items as (
    select * from {{ ref('items') }}
    where {{ to_count }}
),

final as (
    select
        {{ build_partition('raw_loaded_through', 'vocabulary_hash') }} as build_partition,
        source,
        language,
        category_id is not null as has_category,
        case when category_id is null then raw_category end as unmapped_raw_category,
        count(*) as items,
        count(completeness) as items_with_completeness,
        -- a decimal sum: the same total whatever the partitions it is summed from
        -- (9 decimals: a double reaches a decimal the same way on both engines; at 18, DuckDB
        -- keeps the double's binary digits, Spark its shortest decimal form)
        sum(completeness::decimal(38, 9))::decimal(38, 9) as completeness_sum,
        min(item_id) as first_item_id,
        min_by(title, item_id) as first_item_title
    from items
    group by all
)

select * from final
