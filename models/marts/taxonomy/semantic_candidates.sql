-- D: terms the data uses that the vocabulary does not know yet, with their evidence.
-- Three kinds: `value` (an unknown value of a known categorical attribute), `attribute`
-- (an unknown attribute name) and `term` (a free term an extraction mentioned).
with observations as (
    select * from {{ ref('int_attribute_observations_resolved') }}
),

extracted_terms as (
    select * from {{ ref('int_extracted_terms_unnested') }}
),

value_terms as (
    select * from {{ ref('int_value_terms_indexed') }}
),

attribute_terms as (
    select * from {{ ref('int_attribute_terms_indexed') }}
),

sightings as (
    select
        'value' as candidate_type, attribute_id, normalized_value as normalized_term,
        raw_value as raw_term, item_id, source, language, confidence,
        coalesce(evidence, raw_name || ': ' || raw_value) as context, 1 as occurrences,
        observed_at
    from observations
    where data_type = 'categorical' and value_id is null and normalized_value is not null

    union all

    select
        'attribute', null, normalized_name, raw_name, item_id, source, language, confidence,
        coalesce(evidence, raw_name || ': ' || raw_value), 1, observed_at
    from observations
    where attribute_id is null and normalized_name is not null

    union all

    select
        'term', null, normalized_term, raw_term, item_id, source, language, confidence,
        context, frequency, observed_at
    from extracted_terms
    where normalized_term is not null
      -- a free term that already names a value or an attribute is known
      and normalized_term not in (select term from value_terms)
      and normalized_term not in (select term from attribute_terms)
),

final as (
    select
        md5(concat_ws('|', candidate_type, attribute_id, normalized_term)) as candidate_id,
        candidate_type,
        normalized_term,
        attribute_id,
        mode(raw_term) as example_raw_term,
        mode(language) as language,
        sum(occurrences)::bigint as frequency,
        count(distinct item_id) as item_count,
        count(distinct source) as source_count,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        avg(confidence) as avg_confidence,
        list_sort(list_distinct(list(context)))[1:5] as example_contexts,
        'active' as status
    from sightings
    group by candidate_type, attribute_id, normalized_term
)

select * from final
