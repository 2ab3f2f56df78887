{{
    config(
        materialized='incremental',
        unique_key='candidate_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_candidates_losing_sightings(attribute_vocabulary()) }}",
    )
}}
-- The evidence for each candidate, summed up from its sightings so that a load updates the
-- candidates it touched and nothing else. Incremental, by candidate: a candidate that only
-- gained sightings (new items) merges them into its row; one that lost sightings (an item
-- delivered or extracted again) is recomputed from every sighting it has now; every candidate
-- when the vocabulary changed (macros/incremental.sql). Every measure merges exactly: sums,
-- distinct lists, counts per spelling and language, the first 10 contexts in sort order.
{%- set vocabulary = attribute_vocabulary() %}
{%- set watermark = incremental_state(vocabulary) %}
with sightings as (
    select * from {{ ref('int_candidate_terms_sighted') }}
    where retired_through is null
),

-- sightings written or retired by this build (every row on a full build)
changed as (
    select * from {{ ref('int_candidate_terms_sighted') }}
    {%- if watermark is not none %}
    where raw_loaded_through > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
        or retired_through > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
    {%- endif %}
),

losing as (
    select distinct candidate_id from changed
    where retired_through is not null
),

to_aggregate as (
    -- candidates that lost sightings: every sighting they have now
    select * from sightings
    where candidate_id in (select candidate_id from losing)
    union all
    -- the others: their new sightings, merged below with the row the table holds
    select * from changed
    where retired_through is null
        and candidate_id not in (select candidate_id from losing)
),

-- one partial row per candidate from the sightings at hand, in the table's own shape
partials as (
    select
        candidate_id,
        any_value(candidate_type) as candidate_type,
        any_value(attribute_id) as attribute_id,
        any_value(normalized_term) as normalized_term,
        sum(occurrences)::bigint as frequency,
        -- an item's sightings are all new or all retired together, so counts of items add up
        count(distinct item_id) as item_count,
        count(distinct item_id) filter (where in_scope) as items_in_scope_mentioning,
        {{ sorted_set_agg('source') }} as sources,
        {{ sorted_set_agg(
            "date_trunc('" ~ var('candidate_stability_window') ~ "', observed_at)"
        ) }} as time_windows,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        -- a value the shop states itself counts as certain (confidence 1); a decimal sum is
        -- the same whatever order rows are added in
        sum(coalesce(confidence, 1.0)::decimal(18, 9))::decimal(38, 9) as confidence_sum,
        count(*) as sightings,
        {{ list_head(sorted_set_agg('context'), 10) }} as example_contexts
    from to_aggregate
    group by candidate_id
),

-- sightings per spelling and per language, for the most common ones
spelling_counts as (
    select
        candidate_id,
        {{ sorted_list_agg(struct_of({'raw_term': 'raw_term', 'sightings': 'sightings'})) }}
            as spelling_counts
    from (
        select candidate_id, raw_term, count(*) as sightings
        from to_aggregate
        where raw_term is not null
        group by candidate_id, raw_term
    )
    group by candidate_id
),

language_counts as (
    select
        candidate_id,
        {{ sorted_list_agg(struct_of({'language': 'language', 'sightings': 'sightings'})) }}
            as language_counts
    from (
        select candidate_id, language, count(*) as sightings
        from to_aggregate
        where language is not null
        group by candidate_id, language
    )
    group by candidate_id
),

new_rows as (
    select
        partials.*,
        spelling_counts.spelling_counts,
        language_counts.language_counts
    from partials
    left join spelling_counts using (candidate_id)
    left join language_counts using (candidate_id)
),

-- the rows of the candidates that only gained sightings, as they were (none on a full build)
previous as (
    {%- if watermark is none %}
        select * from new_rows
        where false
    {%- else %}
        select {{ star_except(['vocabulary_hash', 'raw_loaded_through']) }}
        from {{ this }}
        where candidate_id in (select candidate_id from new_rows)
            and candidate_id not in (select candidate_id from losing)
    {%- endif %}
),

both_parts as (
    select * from previous
    union all
    select * from new_rows
),

merged_spellings as (
    select
        candidate_id,
        {{ sorted_list_agg(struct_of({'raw_term': 'raw_term', 'sightings': 'sightings'})) }}
            as spelling_counts
    from (
        select candidate_id, spelling.raw_term, sum(spelling.sightings)::bigint as sightings
        from (
            select candidate_id, {{ unnest_list('spelling_counts') }} as spelling from both_parts
        )
        group by candidate_id, spelling.raw_term
    )
    group by candidate_id
),

merged_languages as (
    select
        candidate_id,
        {{ sorted_list_agg(struct_of({'language': 'language', 'sightings': 'sightings'})) }}
            as language_counts
    from (
        select candidate_id, counted.language, sum(counted.sightings)::bigint as sightings
        from (
            select candidate_id, {{ unnest_list('language_counts') }} as counted from both_parts
        )
        group by candidate_id, counted.language
    )
    group by candidate_id
),

merged_measures as (
    select
        candidate_id,
        any_value(candidate_type) as candidate_type,
        any_value(attribute_id) as attribute_id,
        any_value(normalized_term) as normalized_term,
        sum(frequency)::bigint as frequency,
        sum(item_count)::bigint as item_count,
        sum(items_in_scope_mentioning)::bigint as items_in_scope_mentioning,
        {{ sorted_set_union_agg('sources') }} as sources,
        {{ sorted_set_union_agg('time_windows') }} as time_windows,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(confidence_sum)::decimal(38, 9) as confidence_sum,
        sum(sightings)::bigint as sightings,
        {{ list_head(sorted_set_union_agg('example_contexts'), 10) }} as example_contexts
    from both_parts
    group by candidate_id
),

merged as (
    select
        merged_measures.*,
        merged_spellings.spelling_counts,
        merged_languages.language_counts
    from merged_measures
    left join merged_spellings using (candidate_id)
    left join merged_languages using (candidate_id)
),

final as (
    select
        *,
        {{ incremental_stamp(vocabulary) }}
    from merged
)

select * from final
