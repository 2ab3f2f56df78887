-- Near-duplicate candidates (`recycled polyester` / `recycled polyster`) grouped under the
-- same kind and attribute. Two terms are near-duplicates when their similarity reaches the
-- `candidate_similarity_threshold` var, they start with the same character and carry the
-- same digits (`android 13` is not a spelling of `android 14`). Each candidate points to
-- the strongest candidate among itself and its near-duplicates (most frequent, then most
-- items, then alphabetical); that head's own head is followed once more, so chains settle.
with candidates as (
    select * from {{ ref('int_candidates_scored') }}
),

pairs as (
    select
        candidate.candidate_id,
        neighbour.candidate_id as neighbour_id,
        neighbour.normalized_term as neighbour_term,
        neighbour.frequency as neighbour_frequency,
        neighbour.item_count as neighbour_item_count
    from candidates as candidate
    inner join candidates as neighbour
        on neighbour.candidate_type = candidate.candidate_type
        and neighbour.attribute_id is not distinct from candidate.attribute_id
        -- blocking keeps the comparison cheap: near-duplicates share their first character
        and left(neighbour.normalized_term, 1) = left(candidate.normalized_term, 1)
        and regexp_replace(neighbour.normalized_term, '[^0-9]', '', 'g')
            = regexp_replace(candidate.normalized_term, '[^0-9]', '', 'g')
        and (
            neighbour.candidate_id = candidate.candidate_id
            or {{ term_similarity('neighbour.normalized_term', 'candidate.normalized_term') }}
                >= {{ var('candidate_similarity_threshold') }}
        )
),

strongest_neighbour as (
    select
        candidate_id,
        first(neighbour_id order by neighbour_frequency desc, neighbour_item_count desc,
            neighbour_term) as head_id
    from pairs
    group by candidate_id
),

settled as (
    select
        strongest_neighbour.candidate_id,
        coalesce(head_of_head.head_id, strongest_neighbour.head_id) as cluster_id
    from strongest_neighbour
    left join strongest_neighbour as head_of_head
        on head_of_head.candidate_id = strongest_neighbour.head_id
),

final as (
    select
        candidates.*,
        settled.cluster_id,
        heads.normalized_term as canonical_term,
        candidates.candidate_id <> settled.cluster_id as is_clustered
    from candidates
    inner join settled using (candidate_id)
    inner join candidates as heads on heads.candidate_id = settled.cluster_id
)

select * from final
