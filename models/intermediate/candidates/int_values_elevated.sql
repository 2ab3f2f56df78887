-- Approved proposals become values of their attribute. The value's aliases are the
-- near-duplicates clustered under it, so observations that spelled it differently resolve
-- to it too.
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

elevated as (
    select * from candidates
    where status = 'elevated'
),

merged_members as (
    select cluster_id, {{ sorted_list_agg('normalized_term') }} as member_terms
    from candidates
    where status = 'merged'
    group by cluster_id
),

final as (
    select
        -- readable ids where the term allows (`material.recycled_polyester`), else the
        -- proposal id (`material.prop_1a2b3c4d5e` for a term in another script)
        elevated.attribute_id || '.' || coalesce(
            nullif(trim(both '_' from {{ replace_pattern(
                'elevated.normalized_term', "'[^a-z0-9]+'", "'_'"
            ) }}), ''),
            elevated.proposal_id
        ) as value_id,
        elevated.attribute_id,
        elevated.normalized_term as value,
        elevated.normalized_term as normalized_value,
        coalesce(merged_members.member_terms, {{ empty_list('string') }}) as aliases,
        elevated.proposal_id,
        elevated.decided_at as elevated_at
    from elevated
    left join merged_members on merged_members.cluster_id = elevated.candidate_id
)

select * from final
