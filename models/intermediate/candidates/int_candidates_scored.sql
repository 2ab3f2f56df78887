-- One row per candidate (kind x attribute x normalized term) with the evidence for it and
-- a 0-1 score, from the candidates' summed-up sightings (int_candidate_sightings_aggregated),
-- never from the sightings themselves. Coverage is judged where the term could belong: among
-- the items of the categories that carry its attribute (all items for free terms and
-- attribute names); the shares are taken here, against this build's item counts.
with evidence as (
    select {{ star_except(['vocabulary_hash', 'raw_loaded_through']) }}
    from {{ ref('int_candidate_sightings_aggregated') }}
),

items as (
    select category_id from {{ ref('int_items_categorized') }}
),

category_attributes as (
    select * from {{ ref('int_category_attributes_inherited') }}
),

category_sizes as (
    select category_id, count(*) as items
    from items
    group by category_id
),

-- how many items each attribute applies to: the items of every category that carries it
-- (inherited attributes too); one (category, attribute) pair per row, so a plain sum
scope_sizes as (
    select category_attributes.attribute_id, sum(category_sizes.items)::bigint as items_in_scope
    from category_attributes
    inner join category_sizes using (category_id)
    group by category_attributes.attribute_id
),

-- stability: how many of the data's time windows a term shows up in
window_count as (
    select count(distinct time_window) as windows
    from (select {{ unnest_list('time_windows') }} as time_window from evidence)
),

-- every sighting of a term, whatever it was seen as (a value of any attribute, an
-- attribute name, a free term)
term_totals as (
    select normalized_term, sum(frequency) as all_sightings
    from evidence
    group by normalized_term
),

-- (the list macros' element names look like table names to sqlfluff's RF03)
aggregated as (  -- noqa: disable=RF03
    select
        candidate_id,
        candidate_type,
        attribute_id,
        normalized_term,
        {{ list_head(list_map('spelling_counts', 'spelling', 'spelling.raw_term'), 10) }}
            as raw_forms,
        -- ties go to the first in sort order, so every build picks the same one
        ({{ list_element(list_sorted(list_map('spelling_counts', 'spelling', struct_of(
            {'n': '-spelling.sightings', 'term': 'spelling.raw_term'})
        )), 1) }}).term as most_common_form,
        ({{ list_element(list_sorted(list_map('language_counts', 'counted', struct_of(
            {'n': '-counted.sightings', 'language': 'counted.language'})
        )), 1) }}).language as language,
        frequency,
        item_count,
        {{ list_length('sources') }} as source_count,
        items_in_scope_mentioning,
        {{ list_length('time_windows') }} as windows_seen,
        first_seen_at,
        last_seen_at,
        -- in binary floating point on both engines (Spark would divide the decimals)
        confidence_sum::double / sightings as avg_confidence,
        example_contexts
    from evidence
),  -- noqa: enable=RF03

measured as (
    select
        aggregated.*,
        case
            when aggregated.attribute_id is null
                then aggregated.item_count / (select count(*) from items)
            else aggregated.items_in_scope_mentioning / nullif(scope_sizes.items_in_scope, 0)
        end as coverage,
        aggregated.windows_seen / (select windows from window_count) as stability,
        -- how strongly the term goes with its attribute: the share of all its sightings
        -- that are values of this attribute (null for free terms and attribute names)
        case when aggregated.attribute_id is not null
            then aggregated.frequency / term_totals.all_sightings
        end as co_occurrence_strength
    from aggregated
    left join scope_sizes using (attribute_id)
    inner join term_totals using (normalized_term)
),

final as (
    select
        *,
        case when candidate_type = 'value'
            then {{ proposal_id('attribute_id', 'normalized_term') }}
        end as proposal_id,
        -- weighted evidence, 0-1: frequency (log scale, saturating), independent sources,
        -- confidence and stability (see the `candidate_score` docs block)
        round(
            0.4 * least(1.0, ln(1 + frequency)
                / ln(1 + {{ var('candidate_frequency_saturation') }}))
            + 0.2 * least(1.0, source_count / {{ var('candidate_source_saturation') }})
            + 0.2 * avg_confidence
            + 0.2 * stability,
            4
        ) as score
    from measured
)

select * from final
