-- D: the candidate layer, one row per unknown term, with evidence, score, cluster and
-- review status.
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

final as (
    select
        candidate_id,
        candidate_type,
        normalized_term,
        attribute_id,
        raw_forms,
        language,
        frequency,
        item_count,
        source_count,
        coverage,
        stability,
        first_seen_at,
        last_seen_at,
        avg_confidence,
        example_contexts,
        score,
        cluster_id,
        canonical_term,
        similar_value_id,
        proposal_id,
        status
    from candidates
)

select * from final
