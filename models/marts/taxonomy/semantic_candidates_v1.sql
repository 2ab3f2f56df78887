-- Deprecated: the candidate layer's first shape, from the same rows as v2.
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

final as (
    select
        candidate_id,
        candidate_type,
        normalized_term,
        attribute_id,
        most_common_form as example_raw_term,
        language,
        frequency,
        item_count,
        source_count,
        first_seen_at,
        last_seen_at,
        avg_confidence,
        {{ list_head('example_contexts', 5) }} as example_contexts,
        status
    from candidates
)

select * from final
