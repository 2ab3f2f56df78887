-- A category has the attributes attached to it and to every ancestor; `required` comes from
-- the nearest category that attaches the attribute.
with paths as (
    select * from {{ ref('int_category_paths_resolved') }}
),

attached as (
    select * from {{ ref('stg_domain_pack__category_attributes') }}
),

inherited as (
    select
        paths.category_id,
        attached.attribute_id,
        attached.category_id as defined_at_category_id,
        attached.is_required,
        list_position(paths.path_ids, attached.category_id) as defined_at_depth
    from paths
    inner join attached on list_contains(paths.path_ids, attached.category_id)
),

final as (
    select
        category_id,
        attribute_id,
        arg_max(is_required, defined_at_depth) as is_required,
        arg_max(defined_at_category_id, defined_at_depth) as defined_at_category_id,
        arg_max(defined_at_category_id, defined_at_depth) <> category_id as is_inherited
    from inherited
    group by category_id, attribute_id
)

select * from final
