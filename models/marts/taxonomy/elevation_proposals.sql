-- D -> C: value candidates that meet every threshold var become proposals; a candidate a
-- reviewer decided on stays listed with the decision, so the table is also the audit trail.
-- Near-duplicates are represented by their cluster head and are not proposed themselves.
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

curated_values as (
    select * from {{ ref('stg_domain_pack__attribute_values') }}
),

-- a proposal that is a near-duplicate of a curated value is probably a misspelling of it:
-- the reviewer may prefer a term mapping to a new value
nearest_curated as (
    select
        candidates.candidate_id,
        first(curated_values.value_id order by {{ term_similarity(
            'curated_values.normalized_value', 'candidates.normalized_term') }} desc)
            as similar_value_id
    from candidates
    inner join curated_values
        on curated_values.attribute_id = candidates.attribute_id
        and {{ term_similarity('curated_values.normalized_value', 'candidates.normalized_term') }}
            >= {{ var('candidate_similarity_threshold') }}
    group by candidates.candidate_id
),

cluster_terms as (
    select cluster_id, list_sort(list(normalized_term)) as cluster_terms
    from candidates
    where is_clustered
    group by cluster_id
),

judged as (
    select
        candidates.*,
        coalesce(cluster_terms.cluster_terms, []::varchar[]) as cluster_terms,
        nearest_curated.similar_value_id,
        candidates.frequency >= {{ var('elevation_min_frequency') }}
            and candidates.source_count >= {{ var('elevation_min_sources') }}
            and candidates.avg_confidence >= {{ var('elevation_min_avg_confidence') }}
            and candidates.coverage >= {{ var('elevation_min_coverage') }}
            as meets_thresholds
    from candidates
    left join cluster_terms on cluster_terms.cluster_id = candidates.candidate_id
    left join nearest_curated using (candidate_id)
    where candidates.candidate_type = 'value'
),

final as (
    select
        proposal_id,
        attribute_id,
        normalized_term,
        most_common_form,
        cluster_terms,
        similar_value_id,
        frequency,
        item_count,
        source_count,
        avg_confidence,
        coverage,
        stability,
        co_occurrence_strength,
        score,
        meets_thresholds,
        printf(
            'Seen %d times in %d items from %d sources; in %.1f%% of the items where %s applies; '
            || 'average confidence %.2f; present in %.0f%% of the %s windows; %.0f%% of its '
            || 'items sit in categories that carry %s.',
            frequency, item_count, source_count, 100 * coverage, attribute_id, avg_confidence,
            100 * stability, '{{ var("candidate_stability_window") }}',
            100 * co_occurrence_strength, attribute_id
        ) || coalesce(
            printf(' Close to the existing value %s: a term mapping may fit better.',
                similar_value_id),
            ''
        ) as justification,
        coalesce(decision, 'proposed') as status,
        reviewer,
        decided_at,
        decision_notes
    from judged
    where decision is not null
        or (meets_thresholds and not is_clustered)
)

select * from final
