-- Candidates with the reviewers' decisions applied, and their lifecycle status:
--   elevated   - approved: now a value of its attribute (origin `elevated`)
--   merged     - a near-duplicate of an elevated term: now an alias of that value
--   deprecated - rejected: no longer proposed
--   clustered  - a near-duplicate of a stronger candidate, which represents it
--   active     - everything else: evidence still collecting or awaiting review
with candidates as (
    select * from {{ ref('int_candidates_clustered') }}
),

decisions as (
    select * from {{ ref('stg_reviews__elevation_decisions') }}
),

final as (
    select
        candidates.*,
        decisions.decision,
        decisions.reviewer,
        decisions.decided_at,
        decisions.notes as decision_notes,
        case
            when decisions.decision = 'approved' then 'elevated'
            when decisions.decision = 'rejected' then 'deprecated'
            when candidates.is_clustered and head_decisions.decision = 'approved' then 'merged'
            when candidates.is_clustered then 'clustered'
            else 'active'
        end as status
    from candidates
    left join decisions using (proposal_id)
    left join candidates as heads on heads.candidate_id = candidates.cluster_id
    left join decisions as head_decisions on head_decisions.proposal_id = heads.proposal_id
)

select * from final
