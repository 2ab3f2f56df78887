-- Versioning: one row per change to a category, attribute, value or mapping, read from the
-- snapshots, with the release it landed in.
with categories_snapshot as (
    select * from {{ ref('categories_snapshot') }}
),

attributes_snapshot as (
    select * from {{ ref('attributes_snapshot') }}
),

attribute_values_snapshot as (
    select * from {{ ref('attribute_values_snapshot') }}
),

mappings_snapshot as (
    select * from {{ ref('mappings_snapshot') }}
),

releases as (
    select * from {{ ref('releases') }}
),

-- one shape for the four entities: the text a rename changes, the parent a move changes
-- (a mapping's target), the status a deprecation or merge changes
versions as (
    select
        'category' as entity_type,
        category_id as entity_id,
        name,
        parent_id as parent,
        status,
        merged_into,
        dbt_valid_from,
        dbt_is_deleted = 'True' as is_deleted
    from categories_snapshot
    union all
    select
        'attribute' as entity_type,
        attribute_id as entity_id,
        name,
        null as parent,
        status,
        null as merged_into,
        dbt_valid_from,
        dbt_is_deleted = 'True' as is_deleted
    from attributes_snapshot
    union all
    select
        'value' as entity_type,
        value_id as entity_id,
        value as name,
        null as parent,
        status,
        null as merged_into,
        dbt_valid_from,
        dbt_is_deleted = 'True' as is_deleted
    from attribute_values_snapshot
    union all
    select
        'mapping' as entity_type,
        mapping_id as entity_id,
        concat_ws(' -> ', from_term, to_term) as name,
        to_term as parent,
        case when relation_type = 'deprecate' then 'deprecated' else relation_type end as status,
        null as merged_into,
        dbt_valid_from,
        dbt_is_deleted = 'True' as is_deleted
    from mappings_snapshot
),

-- each version next to the one before it
sequenced as (
    select
        entity_type,
        entity_id,
        name,
        parent,
        status,
        merged_into,
        is_deleted,
        -- snapshots write local wall-clock time; as an instant it compares with released_at
        cast(dbt_valid_from as {{ type_timestamp_tz() }}) as changed_at,
        lag(name) over entity_versions as previous_name,
        lag(parent) over entity_versions as previous_parent,
        lag(status) over entity_versions as previous_status,
        lag(merged_into) over entity_versions as previous_merged_into,
        lag(is_deleted) over entity_versions as previous_is_deleted
    from versions
    window entity_versions as (partition by entity_type, entity_id order by dbt_valid_from)
),

-- a version that follows a live one, for the edits below
edited as (
    select * from sequenced
    where not is_deleted and not previous_is_deleted
),

changes as (
    -- new, or back after a removal
    select
        entity_type, entity_id, 'added' as change_type, null as old_value, name as new_value,
        changed_at
    from sequenced
    where not is_deleted and coalesce(previous_is_deleted, true)
    union all
    select
        entity_type, entity_id, 'removed' as change_type, name as old_value, null as new_value,
        changed_at
    from sequenced
    where is_deleted and not previous_is_deleted
    union all
    -- a mapping's text is its from -> to, which a move already reports
    select entity_type, entity_id, 'renamed' as change_type, previous_name, name, changed_at
    from edited
    where entity_type <> 'mapping' and name is distinct from previous_name
    union all
    -- a deprecated mapping loses its target: that is the deprecation, not a move
    select entity_type, entity_id, 'moved' as change_type, previous_parent, parent, changed_at
    from edited
    where entity_type in ('category', 'mapping')
        and parent is distinct from previous_parent
        and not (entity_type = 'mapping' and status = 'deprecated')
    union all
    select entity_type, entity_id, 'deprecated' as change_type, previous_status, status, changed_at
    from edited
    where status = 'deprecated' and previous_status is distinct from 'deprecated'
    union all
    select
        entity_type, entity_id, 'merged' as change_type, previous_merged_into, merged_into,
        changed_at
    from edited
    where status = 'merged'
        and (
            previous_status is distinct from 'merged'
            or merged_into is distinct from previous_merged_into
        )
),

-- each release holds the changes from its start to the next release's start; the first one
-- also holds what was snapshotted before any release (a first build that failed after its
-- snapshots, or `dbt snapshot` alone): the first release is the one that shipped it
release_windows as (
    select
        taxonomy_version,
        case
            when row_number() over (order by released_at) > 1 then released_at
        end as window_start,
        released_at,
        lead(released_at) over (order by released_at) as next_released_at
    from releases
),

final as (
    select
        changes.entity_type,
        changes.entity_id,
        changes.change_type,
        cast(changes.old_value as string) as old_value,
        cast(changes.new_value as string) as new_value,
        changes.changed_at,
        release_windows.taxonomy_version,
        release_windows.released_at
    from changes
    left join release_windows
        on (
            changes.changed_at >= release_windows.window_start
            or release_windows.window_start is null
        )
        and (
            changes.changed_at < release_windows.next_released_at
            or release_windows.next_released_at is null
        )
)

select * from final
