-- Reviewers' decisions for the domain being built, keyed by proposal id whichever way
-- the row names the proposal (its id, or attribute + term in any spelling).
with source as (
    select * from {{ ref('elevation_decisions') }}
    where domain = {{ domain_literal() }}
),

final as (
    select
        coalesce(
            nullif(trim(proposal_id), ''),
            {{ proposal_id('trim(attribute_id)', normalize_term('term')) }}
        ) as proposal_id,
        nullif(trim(attribute_id), '') as attribute_id,
        {{ normalize_term('term') }} as normalized_term,
        lower(trim(decision)) as decision,
        trim(reviewer) as reviewer,
        decided_at,
        notes
    from source
)

select * from final
