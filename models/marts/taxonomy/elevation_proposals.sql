-- D -> C: value candidates that meet every threshold var become proposals; a candidate a
-- reviewer decided on stays listed with the decision, so the table is also the audit trail.
-- Not proposed: near-duplicates (their cluster head represents them) and near-duplicates of
-- a curated value (a misspelling wants a term mapping, not a new value).
with candidates as (
    select * from {{ ref('int_candidates_reviewed') }}
),

cluster_terms as (
    select cluster_id, {{ sorted_list_agg('normalized_term') }} as cluster_terms
    from candidates
    where is_clustered
    group by cluster_id
),

judged as (
    select
        candidates.*,
        coalesce(cluster_terms.cluster_terms, {{ empty_list('string') }}) as cluster_terms,
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
        'Seen ' || cast(frequency as string) || ' times in ' || cast(item_count as string)
        || ' items from ' || cast(source_count as string) || ' sources; in '
        || {{ format_decimals('100 * coalesce(coverage, 0)', 1) }} || '% of the items where '
        || attribute_id || ' applies; average confidence '
        || {{ format_decimals('coalesce(avg_confidence, 0)', 2) }} || '; present in '
        || {{ format_decimals('100 * coalesce(stability, 0)', 0) }} || '% of the '
        || '{{ var("candidate_stability_window") }} windows; '
        || {{ format_decimals('100 * coalesce(co_occurrence_strength, 0)', 0) }}
        || '% of its sightings are values of ' || attribute_id || '.'
        || coalesce(
            ' Close to the curated value ' || similar_value_id
            || ': a term mapping may fit better.',
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
