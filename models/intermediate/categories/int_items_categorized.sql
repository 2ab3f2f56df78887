{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(category_vocabulary()) }}",
    )
}}
-- Incremental: only the items a load touched, or all when the category vocabulary changed
-- (macros/incremental.sql).
-- The canonical category of each item: a curated category mapping for its source (or for
-- every source, `*`) first (the longest mapping whose levels start the item's raw path);
-- else the deepest level of its raw path that names a category (by id, name or a label in
-- any locale, plurals folded), preferring the reading whose other levels are its ancestors.
-- A merged category resolves to the category it was merged into.
{%- set vocabulary = category_vocabulary() %}
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
    where {{ items_to_process(vocabulary=vocabulary) }}
),

category_mappings as (
    select * from {{ ref('stg_domain_pack__category_mappings') }}
),

category_terms as (
    select * from {{ ref('int_category_terms_indexed') }}
),

paths as (
    select * from {{ ref('int_category_paths_resolved') }}
),

-- shops repeat a few thousand category strings over millions of items: resolve each distinct
-- (source, raw category) once, then give every item its path's category
raw_paths as (
    select source, raw_category, row_number() over (order by source, raw_category) as path_id
    from (select distinct source, raw_category from items)
),

item_levels as (
    select
        path_id,
        source,
        {{ list_map(
            split_category_path('raw_category'), 'level', normalize_category_term('level')
        ) }} as levels
    from raw_paths
),

-- a mapping of source `*` applies to every source (an imported taxonomy's mapping from
-- another standard's paths); one for the item's own source wins over it
mapped as (
    select item_levels.path_id, category_mappings.category_id
    from item_levels
    inner join category_mappings
        on {{ list_element('item_levels.levels', 1) }}
        = {{ list_element('category_mappings.normalized_levels', 1) }}
        and category_mappings.source in (item_levels.source, '*')
        and {{ list_head(
            'item_levels.levels', list_length('category_mappings.normalized_levels')
        ) }} = category_mappings.normalized_levels
    qualify row_number() over (
        partition by item_levels.path_id
        order by
            category_mappings.source = '*',
            {{ list_length('category_mappings.normalized_levels') }} desc
    ) = 1
),

segments as (
    select
        path_id,
        {{ unnest_with_position('levels', 'segment', 'position') }}
    from item_levels
    where path_id not in (select path_id from mapped)
),

segment_matches as (
    select segments.path_id, segments.position, category_terms.category_id
    from segments
    inner join category_terms on category_terms.term = segments.segment
),

-- each category with every id on its path (itself included), for equality joins
path_members as (
    select category_id, {{ unnest_list('path_ids') }} as member_id
    from paths
),

-- how many earlier levels of the same raw path name a category on this one's path
ancestor_support as (
    select
        this_match.path_id,
        this_match.category_id,
        this_match.position,
        count(*) as ancestors_in_path
    from segment_matches as this_match
    inner join path_members on path_members.category_id = this_match.category_id
    inner join segment_matches as other_match
        on other_match.path_id = this_match.path_id
        and other_match.category_id = path_members.member_id
        and other_match.position < this_match.position
    group by this_match.path_id, this_match.category_id, this_match.position
),

path_matches as (
    select
        this_match.path_id,
        this_match.category_id,
        this_match.position,
        paths.level,
        coalesce(ancestor_support.ancestors_in_path, 0) as ancestors_in_path
    from segment_matches as this_match
    inner join paths using (category_id)
    left join ancestor_support using (path_id, category_id, position)
    qualify row_number() over (
        partition by this_match.path_id
        order by this_match.position desc, ancestors_in_path desc, paths.level desc,
            this_match.category_id asc
    ) = 1
),

resolved as (
    select path_id, category_id, 'mapping' as category_match_type from mapped
    union all
    select path_id, category_id, 'path' from path_matches
),

final as (
    select
        items.item_id,
        coalesce(paths.merged_into, resolved.category_id) as category_id,
        coalesce(resolved.category_match_type, 'unmatched') as category_match_type,
        {{ incremental_stamp(vocabulary) }}
    from items
    inner join raw_paths
        on raw_paths.source is not distinct from items.source
        and raw_paths.raw_category is not distinct from items.raw_category
    left join resolved using (path_id)
    left join paths
        on paths.category_id = resolved.category_id
        and paths.status = 'merged'
)

select * from final
