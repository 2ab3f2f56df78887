{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(attribute_vocabulary()) }}",
    )
}}
-- One row per item x attribute observation (one per value: an attribute may have several),
-- resolved against the controlled vocabulary.
-- Observations come from two places: the shop's own raw_attributes (provenance `source`) and
-- LLM extraction results (provenance `extraction`, with evidence, confidence, model and
-- run). Each is resolved to the attribute it is about, the canonical value it names
-- (categorical attributes), or the number and unit (numeric) or truth value (boolean) it holds.
-- Incremental: only the items a load touched, or all when the vocabulary changed
-- (macros/incremental.sql).
{%- set vocabulary = attribute_vocabulary() %}
{%- set in_scope = items_to_process(vocabulary=vocabulary) %}
with items as (
    select * from {{ ref('stg_raw__ingestion_items') }}
    where {{ in_scope }}
),

extraction_results as (
    select * from {{ ref('stg_raw__extraction_results') }}
    where {{ in_scope }}
),

from_source as (
    select
        item_id,
        'source' as provenance,
        entry.key as raw_name,
        entry.value as raw_value,
        cast(null as string) as evidence,
        cast(null as double) as confidence,
        cast(null as string) as model,
        cast(null as string) as run_id,
        ingested_at as observed_at
    from (
        select item_id, ingested_at, {{ unnest_json_object('raw_attributes') }} as entry
        from items
    )
),

from_extraction as (
    select
        item_id,
        'extraction' as provenance,
        attribute.name as raw_name,
        attribute.value as raw_value,
        attribute.evidence,
        attribute.confidence,
        model,
        run_id,
        coalesce(extracted_at, loaded_at) as observed_at
    from (
        select
            *,
            {{ unnest_json_array('attributes', {
                'name': 'VARCHAR', 'value': 'VARCHAR',
                'evidence': 'VARCHAR', 'confidence': 'DOUBLE'}) }} as attribute
        from extraction_results
    )
),

unioned as (
    select * from from_source
    union all
    select * from from_extraction
),

-- an attribute may have several values in one result (`Interface: SAS` from the title and
-- `Interface: Serial Attached SCSI (SAS)` from the description): each value is an observation.
-- An exact repeat (same name and value in one result) is one observation, with the evidence
-- of its most confident mention.
distinct_values as (
    select * from unioned
    qualify row_number() over (
        partition by item_id, provenance, model, run_id, raw_name, raw_value
        order by confidence desc nulls last, evidence asc nulls last
    ) = 1
),

observations as (
    select
        md5(concat_ws('|', distinct_values.item_id, provenance, model, run_id, raw_name, raw_value))
            as observation_id,
        distinct_values.*,
        items.source,
        items.language
    from distinct_values
    left join items using (item_id)
),

attribute_terms as (
    select * from {{ ref('int_attribute_terms_indexed') }}
),

item_categories as (
    select item_id, category_id from {{ ref('int_items_categorized') }}
    where {{ in_scope }}
),

category_attributes as (
    select category_id, attribute_id from {{ ref('int_category_attributes_inherited') }}
),

attributes as (
    select * from {{ ref('stg_domain_pack__attributes') }}
),

value_terms as (
    select * from {{ ref('int_value_terms_indexed') }}
),

-- millions of observations spell a few thousand names and values: normalize and parse each
-- distinct spelling once, then join it back
name_spellings as (
    select raw_name, {{ normalize_term('raw_name') }} as normalized_name
    from (select distinct raw_name from observations)
),

value_spellings as (
    select
        raw_value,
        {{ normalize_term('raw_value') }} as normalized_value,
        {{ parse_number('raw_value') }} as parsed_number,
        {{ parse_unit('raw_value') }} as parsed_unit
    from (select distinct raw_value from observations)
),

normalized as (
    select
        observations.*,
        name_spellings.normalized_name,
        value_spellings.normalized_value,
        value_spellings.parsed_number,
        value_spellings.parsed_unit
    from observations
    left join name_spellings
        on name_spellings.raw_name is not distinct from observations.raw_name
    left join value_spellings
        on value_spellings.raw_value is not distinct from observations.raw_value
),

-- most names name one attribute. A name that names several (`Product Type` of computers and
-- of office products) resolves by the item's category: the attribute its category has
-- (inherited) first, then the best match in the whole pack; once per (name, category).
name_counts as (
    select term, count(*) as attributes
    from attribute_terms
    group by term
),

one_attribute_names as (
    select attribute_terms.term, attribute_terms.attribute_id, attribute_terms.match_type
    from attribute_terms
    inner join name_counts using (term)
    where name_counts.attributes = 1
),

shared_name_observations as (
    select normalized.*, item_categories.category_id
    from normalized
    inner join name_counts
        on name_counts.term = normalized.normalized_name
        and name_counts.attributes > 1
    -- (not `using`: Spark puts a using join's key first in `normalized.*`, and the union
    -- below matches columns by position)
    left join item_categories on item_categories.item_id = normalized.item_id
),

names_in_categories as (
    select distinct normalized_name, category_id
    from shared_name_observations
),

names_resolved as (
    select
        names_in_categories.normalized_name,
        names_in_categories.category_id,
        attribute_terms.attribute_id,
        attribute_terms.match_type
    from names_in_categories
    inner join attribute_terms on attribute_terms.term = names_in_categories.normalized_name
    left join category_attributes
        on category_attributes.category_id = names_in_categories.category_id
        and category_attributes.attribute_id = attribute_terms.attribute_id
    qualify row_number() over (
        partition by names_in_categories.normalized_name, names_in_categories.category_id
        order by
            category_attributes.attribute_id is not null desc,
            attribute_terms.priority asc,
            attribute_terms.attribute_id asc
    ) = 1
),

with_attribute_id as (
    select
        normalized.*,
        one_attribute_names.attribute_id,
        coalesce(one_attribute_names.match_type, 'unmatched') as attribute_match_type
    from normalized
    left join name_counts on name_counts.term = normalized.normalized_name
    left join one_attribute_names on one_attribute_names.term = normalized.normalized_name
    where coalesce(name_counts.attributes, 0) <= 1

    union all

    select
        {{ star_except(['category_id'], 'shared_name_observations') }},
        names_resolved.attribute_id,
        names_resolved.match_type as attribute_match_type
    from shared_name_observations
    left join names_resolved
        on names_resolved.normalized_name = shared_name_observations.normalized_name
        and names_resolved.category_id is not distinct from shared_name_observations.category_id
),

with_attribute as (
    select
        with_attribute_id.*,
        attributes.data_type
    from with_attribute_id
    left join attributes using (attribute_id)
),

with_value as (
    select
        with_attribute.*,
        value_terms.value_id,
        value_terms.match_type as value_match_type,
        case when data_type = 'numeric' then parsed_number end as value_number,
        case when data_type = 'numeric' then parsed_unit end as value_unit,
        case
            when data_type <> 'boolean' then null
            when normalized_value in ('true', 'yes', 'y', '1', '是', '有', 'はい', 'あり') then true
            when normalized_value in ('false', 'no', 'n', '0', '否', '無', '沒有', 'いいえ', 'なし')
                then false
        end as value_boolean
    from with_attribute
    left join value_terms
        on value_terms.attribute_id = with_attribute.attribute_id
        and value_terms.term = with_attribute.normalized_value
),

final as (
    select
        {{ star_except(['parsed_number', 'parsed_unit']) }},
        -- how the observation as a whole was resolved: the value match for categorical
        -- attributes, the attribute-name match for the others
        case
            when attribute_id is null then 'unmatched'
            when data_type = 'categorical' then coalesce(value_match_type, 'unmatched')
            when data_type = 'numeric' and value_number is null then 'unmatched'
            when data_type = 'boolean' and value_boolean is null then 'unmatched'
            else attribute_match_type
        end as match_type,
        {{ incremental_stamp(vocabulary) }}
    from with_value
)

select * from final
