{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook='{{ clear_when_pack_changed() }}',
    )
}}
-- Pack-level: rebuilt only when the domain pack changed (macros/pack_models.sql).
-- A category has the attributes attached to it and to every ancestor; `required` comes from
-- the nearest category that attaches the attribute.
with paths as (
    select * from {{ ref('int_category_paths_resolved') }}
),

attached as (
    select * from {{ ref('stg_domain_pack__category_attributes') }}
),

-- each category with each of its ancestors (itself included) and the ancestor's depth: an
-- equality join to the attachments then, not a list search per (category, attachment) pair,
-- which is quadratic in a real taxonomy (10k categories x 100k attachments)
ancestors as (
    select
        category_id,
        {{ unnest_with_position('path_ids', 'ancestor_id', 'depth') }}
    from paths
),

inherited as (
    select
        ancestors.category_id,
        attached.attribute_id,
        attached.category_id as defined_at_category_id,
        attached.is_required,
        ancestors.depth as defined_at_depth
    from ancestors
    inner join attached on attached.category_id = ancestors.ancestor_id
),

final as (
    select
        category_id,
        attribute_id,
        max_by(is_required, defined_at_depth) as is_required,
        max_by(defined_at_category_id, defined_at_depth) as defined_at_category_id,
        max_by(defined_at_category_id, defined_at_depth) <> category_id as is_inherited
    from inherited
    group by category_id, attribute_id
)

select *, {{ pack_fingerprint() }} as pack_fingerprint
from final
where {{ pack_changed() }}
