-- Near-duplicate candidates (`recycled polyester` / `recycled polyster`) grouped under the
-- same kind and attribute. Two terms are near-duplicates when their similarity reaches the
-- `candidate_similarity_threshold` var, they start with the same character and carry the
-- same digits (`android 13` is not a spelling of `android 14`). Each candidate points to
-- the strongest candidate among itself and its near-duplicates (most frequent, then most
-- items, then alphabetical); pointers are followed to the end, so a chain of spellings
-- settles on its strongest member, which heads the cluster.
-- A value candidate that is a near-duplicate of a curated value of its attribute (same rule)
-- is probably a misspelling of it: that value is its suggested canonical form.
with recursive candidates as (
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
        -- a term is its own near-duplicate, so each candidate pairs with itself too; the
        -- rule's equalities (first character, digits) make this a hash join, not a loop
        and {{ near_duplicate('neighbour.normalized_term', 'candidate.normalized_term') }}
),

strongest_neighbour as (
    select candidate_id, head_id
    from (
        select
            candidate_id,
            neighbour_id as head_id,
            row_number() over (
                partition by candidate_id
                order by neighbour_frequency desc, neighbour_item_count desc, neighbour_term asc
            ) as strength_rank
        from pairs
    )
    where strength_rank = 1
),

-- each step moves to a strictly stronger candidate, so the walk ends
walk as (
    select candidate_id, head_id, 0 as steps
    from strongest_neighbour
    union all
    select walk.candidate_id, next_step.head_id, walk.steps + 1
    from walk
    inner join strongest_neighbour as next_step on next_step.candidate_id = walk.head_id
    where next_step.head_id <> walk.head_id
),

settled as (
    select candidate_id, max_by(head_id, steps) as cluster_id
    from walk
    group by candidate_id
),

curated_values as (
    select * from {{ ref('stg_domain_pack__attribute_values') }}
),

similar_curated as (
    select candidate_id, similar_value_id, similar_value
    from (
        select
            candidates.candidate_id,
            curated_values.value_id as similar_value_id,
            curated_values.normalized_value as similar_value,
            row_number() over (
                partition by candidates.candidate_id
                order by {{ term_similarity(
                    'curated_values.normalized_value', 'candidates.normalized_term') }} desc,
                    curated_values.value_id asc
            ) as similarity_rank
        from candidates
        inner join curated_values
            on curated_values.attribute_id = candidates.attribute_id
            and {{ near_duplicate(
                'curated_values.normalized_value', 'candidates.normalized_term'
            ) }}
        where candidates.candidate_type = 'value'
    )
    where similarity_rank = 1
),

final as (
    select
        candidates.*,
        settled.cluster_id,
        coalesce(similar_curated.similar_value, heads.normalized_term) as canonical_term,
        similar_curated.similar_value_id,
        candidates.candidate_id <> settled.cluster_id as is_clustered
    from candidates
    inner join settled using (candidate_id)
    inner join candidates as heads on heads.candidate_id = settled.cluster_id
    left join similar_curated using (candidate_id)
)

select * from final
