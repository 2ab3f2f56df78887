-- What became of each reviewer decision of this domain in this warehouse. Decisions name a
-- proposal by its stable id, so one decisions seed serves every warehouse of the domain: a
-- decision applies wherever its term is sighted, and waits (`no_candidate`) where it is not,
-- as in a warehouse built from other data. A reviewer reads here whether a decision landed.
with decisions as (
    select * from {{ ref('stg_reviews__elevation_decisions') }}
),

candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

final as (
    select
        decisions.proposal_id,
        coalesce(decisions.attribute_id, candidates.attribute_id) as attribute_id,
        coalesce(decisions.normalized_term, candidates.normalized_term) as normalized_term,
        decisions.decision,
        decisions.reviewer,
        decisions.decided_at,
        case
            when candidates.candidate_id is null then 'no_candidate'
            when candidates.is_clustered then 'clustered_term'
            else 'applied'
        end as outcome,
        candidates.status as candidate_status,
        candidates.frequency as candidate_frequency
    from decisions
    left join candidates using (proposal_id)
)

select * from final
