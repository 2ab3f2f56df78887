-- D -> C: value candidates that meet every threshold var become proposals; a candidate a
-- reviewer decided on stays listed with the decision, so the table is also the audit trail.
-- Not proposed: near-duplicates (their cluster head represents them) and near-duplicates of
-- a curated value (a misspelling wants a term mapping, not a new value).
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
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
        coalesce(cluster_terms.cluster_terms, []::varchar[]) as cluster_terms,  -- noqa: LT01
        -- unknown metrics (no category carries the attribute) do not meet a threshold
        coalesce(
            candidates.frequency >= {{ var('elevation_min_frequency') }}
            and candidates.source_count >= {{ var('elevation_min_sources') }}
            and candidates.avg_confidence >= {{ var('elevation_min_avg_confidence') }}
            and candidates.coverage >= {{ var('elevation_min_coverage') }},
            false
        ) as meets_thresholds
    from candidates
    left join cluster_terms on cluster_terms.cluster_id = candidates.candidate_id
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
            || 'sightings are values of %s.',
            frequency, item_count, source_count, 100 * coalesce(coverage, 0), attribute_id,
            coalesce(avg_confidence, 0), 100 * coalesce(stability, 0),
            '{{ var("candidate_stability_window") }}',
            100 * coalesce(co_occurrence_strength, 0), attribute_id
        ) || coalesce(
            printf(' Close to the curated value %s: a term mapping may fit better.',
                similar_value_id),
            ''
        ) as justification,
        coalesce(decision, 'proposed') as status,
        reviewer,
        decided_at,
        decision_notes
    from judged
    where decision is not null
        or (meets_thresholds and not is_clustered and similar_value_id is null)
)

select * from final
