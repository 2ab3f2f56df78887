{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_items_to_process(normalization_vocabulary()) }}",
    )
}}
-- One row per observation of a known attribute: its value's canonical form by the domain
-- pack's normalization rules, and which rule gave it. The rules are data
-- (seeds/domain_pack): pattern rules first, then by the attribute's data type: numbers read
-- with their units (domain_units, domain_number_words, domain_number_formats) and converted
-- to the attribute's unit and format; categorical values matched to the vocabulary, else to
-- a family (domain_value_families); text and identifiers as the rules leave them, or as a
-- value term mapping expands them.
-- Millions of observations spell a few thousand values: each spelling is normalized once,
-- then joined back. Incremental: the observations resolved again upstream in this build, or
-- all when the vocabulary or a rule changed (macros/incremental.sql).
{%- set vocabulary = normalization_vocabulary() %}
{%- set not_a_word = "'[^\\pL\\pN]+'" %}
with observations as (
    select observation_id, item_id, attribute_id, raw_value, coalesce(language, '') as language
    from {{ ref('int_attribute_observations_resolved') }}
    where {{ restamped_rows(vocabulary) }}
        and attribute_id is not null
        and raw_value is not null
),

attributes as (
    select * from {{ ref('stg_domain_pack__attributes') }}
),

units as (
    select * from {{ ref('stg_domain_pack__units') }}
),

rules as (
    select * from {{ ref('stg_domain_pack__value_rules') }}
),

number_words as (
    select * from {{ ref('stg_domain_pack__number_words') }}
),

number_formats as (
    select * from {{ ref('stg_domain_pack__number_formats') }}
),

families as (
    select * from {{ ref('stg_domain_pack__value_families') }}
),

value_terms as (
    select * from {{ ref('int_value_terms_indexed') }}
),

-- one expansion per term (of two in force, the first mapping_id)
value_expansions as (
    select attribute_id, normalized_from_term, to_term
    from {{ ref('int_term_mappings_chained') }}
    where scope = 'value' and not is_deprecated and attribute_id is not null
    qualify row_number() over (
        partition by attribute_id, normalized_from_term order by mapping_id
    ) = 1
),

-- one row per unit, and one per way of writing it
unit_table as (
    select distinct unit_id, dimension, name, plural, factor
    from units
),

-- the dimension whose spellings a numeric attribute reads: its own, else its unit's
attribute_units as (
    select
        attributes.attribute_id,
        attributes.data_type,
        attributes.unit,
        attributes.assumed_unit,
        attributes.decimals,
        coalesce(attributes.value_format, '{number}') as value_format,
        coalesce(attributes.dimension, unit_table.dimension) as dimension,
        attributes.dimension_part,
        attributes.check_digit
    from attributes
    left join unit_table on unit_table.unit_id = attributes.unit
),

spellings as (
    select distinct attribute_id, raw_value, language
    from observations
),

-- the first pattern rule of the attribute (in rule_order) that matches rewrites the value
ruled as (
    select
        spellings.*,
        rules.rule_id,
        case
            when rules.rule_id is null then trim(spellings.raw_value)
            else {{ apply_value_rule('trim(spellings.raw_value)') }}
        end as prepared_value
    from spellings
    left join rules
        on rules.attribute_id = spellings.attribute_id
        and {{ matches_pattern('trim(spellings.raw_value)', 'rules.pattern') }}
    qualify row_number() over (
        partition by spellings.attribute_id, spellings.raw_value, spellings.language
        order by rules.rule_order nulls last
    ) = 1
),

typed as (
    select
        ruled.*,
        {{ star_except(['attribute_id'], 'attribute_units') }},
        {{ normalize_term('ruled.prepared_value') }} as normalized_prepared,
        coalesce(number_formats.decimal_separator, '.') as decimal_separator,
        -- GS1 identifiers (UPC, EAN, GTIN: 8, 12, 13 or 14 digits) carry a check digit
        {%- set digits = replace_pattern('ruled.raw_value', "'[^0-9]'", "''") %}
        case
            when attribute_units.check_digit = 'gs1' and length({{ digits }}) in (8, 12, 13, 14)
                then {{ gs1_check_digit_ok(digits) }}
        end as check_digit_ok
    from ruled
    inner join attribute_units using (attribute_id)
    left join number_formats
        on number_formats.language = regexp_extract(lower(ruled.language), '^[a-z]+', 0)
),

-- numeric: the leading quantity: a number (its separators read by the item's language), a
-- fraction or mixed number (`8-1/2`, `1/4`, `½`), or a number word (`Dual Port`) where the
-- attribute counts (has no unit: `single height` is no height)
quantity_parts as (
    select
        *,
        {{ extract_quantity('quantity_text') }} as parts,
        lower(regexp_extract(quantity_text, '^\s*([^\s-]+)', 1)) as first_word,
        regexp_extract(quantity_text, '^\s*[^\s-]+[\s-]*(.*)$', 1) as after_first_word
    from (
        -- of a dimension string (`10 x 20 x 5 cm`), the part the attribute asks for
        select
            *,
            case
                when dimension_part is not null then coalesce(
                    {{ dimension_part('prepared_value', 'dimension_part') }}, prepared_value
                )
                -- a dimension string and no part asked for: no one number to read
                when {{ dimension_part('prepared_value', '1') }} is not null then null
                else prepared_value
            end as quantity_text
        from typed
        where data_type = 'numeric'
    )
),

numbers_read as (
    select
        quantity_parts.*,
        case
            when parts.whole <> '' then try_cast(
                case
                    -- both separators: the one written last is the decimal separator
                    when parts.whole like '%.%' and parts.whole like '%,%' then
                        case
                            when
                                instr(reverse(parts.whole), ',')
                                < instr(reverse(parts.whole), '.')
                                then replace(replace(parts.whole, '.', ''), ',', '.')
                            else replace(parts.whole, ',', '')
                        end
                    when parts.whole like '%,%' then
                        case
                            when decimal_separator = '.'
                                and {{ matches_pattern('parts.whole', "'^\\d{1,3}(,\\d{3})+$'") }}
                                then replace(parts.whole, ',', '')
                            else replace(parts.whole, ',', '.')
                        end
                    when parts.whole like '%.%' and decimal_separator = ','
                        and {{ matches_pattern('parts.whole', "'^\\d{1,3}(\\.\\d{3})+$'") }}
                        then replace(parts.whole, '.', '')
                    else parts.whole
                end as double)
                + coalesce(
                    try_cast(parts.numerator as double)
                    / nullif(try_cast(parts.denominator as double), 0), 0)
            when parts.fraction_numerator <> ''
                then try_cast(parts.fraction_numerator as double)
                    / nullif(try_cast(parts.fraction_denominator as double), 0)
            -- a number word is a count: only for attributes measured in no unit
            when unit is null then number_words.number
        end as parsed_number,
        case
            when parts.whole <> '' or parts.fraction_numerator <> '' then parts.rest
            else after_first_word
        end as rest
    from quantity_parts
    left join number_words on number_words.word = quantity_parts.first_word
),

-- the unit written after the number (`"`, `oz.`, `GB`): among the attribute's dimension
-- first; a multiplier (`10K`) scales the number and the unit after it is read instead
unit_tokens as (
    select
        *,
        -- (`''`, two apostrophes, is inches: it is tried before `'`, feet; the apostrophe is
        -- written \x27, which both engines' patterns read, as no literal can hold a quote on
        -- Spark)
        trim(trailing '.' from lower(regexp_extract(
            rest, '^(\x27\x27|["”″\x27]|[^\s\d,;:()/\[\]]+)', 1
        ))) as first_token,
        trim(trailing '.' from lower(regexp_extract(
            rest,
            '^(?:\x27\x27|["”″\x27]|[^\s\d,;:()/\[\]]+)\s*(\x27\x27|["”″\x27]|[^\s\d,;:()/\[\]]+)',
            1
        ))) as second_token
    from numbers_read
),

quantities_read as (
    select
        unit_tokens.*,
        parsed_number * coalesce(multiplier.factor, 1) as number_read,
        case
            when parsed_number is null then null
            when own_unit.unit_id is not null then own_unit.unit_id
            when multiplier.unit_id is not null and second_token <> ''
                then unit_after_multiplier.unit_id
            -- no unit written (after the multiplier, if any): the attribute's assumed unit; a
            -- unit written that the dimension does not know is no unit to convert from
            when first_token = '' or multiplier.unit_id is not null then assumed_unit
        end as value_unit
    from unit_tokens
    left join units as own_unit
        on own_unit.dimension = unit_tokens.dimension
        and own_unit.spelling = unit_tokens.first_token
    left join units as multiplier
        on multiplier.dimension = 'multiplier'
        and multiplier.spelling = unit_tokens.first_token
        and own_unit.unit_id is null
    left join units as unit_after_multiplier
        on unit_after_multiplier.dimension = unit_tokens.dimension
        and unit_after_multiplier.spelling = unit_tokens.second_token
        and multiplier.unit_id is not null
),

-- converted to the attribute's unit (within a dimension); without one, the value keeps its own
quantities as (
    select
        quantities_read.attribute_id,
        quantities_read.raw_value,
        quantities_read.language,
        quantities_read.value_format,
        quantities_read.decimals,
        number_read,
        case
            when quantities_read.unit is null then number_read
            when from_unit.dimension = to_unit.dimension
                then number_read * (from_unit.factor / to_unit.factor)
        end as converted_number,
        quantities_read.value_unit,
        coalesce(to_unit.unit_id, case when quantities_read.unit is null then from_unit.unit_id end)
            as target_unit_id,
        coalesce(to_unit.name, case when quantities_read.unit is null then from_unit.name end)
            as target_unit_name,
        coalesce(to_unit.plural, case when quantities_read.unit is null then from_unit.plural end)
            as target_unit_plural
    from quantities_read
    left join unit_table as from_unit on from_unit.unit_id = quantities_read.value_unit
    left join unit_table as to_unit on to_unit.unit_id = quantities_read.unit
),

-- numeric: the number in the attribute's unit (same dimension), formatted
numbers_formatted as (
    select
        attribute_id,
        raw_value,
        language,
        number_read,
        value_unit,
        case
            when converted_number is null then null
            when target_unit_id is null and value_format like '%{unit%' then null
            else replace(replace(replace(replace(value_format,
                '{number}',
                case
                    when decimals is not null
                        then {{ format_decimals('converted_number', 'decimals') }}
                    when converted_number = round(converted_number)
                        then {{ format_decimals('converted_number', '0') }}
                    -- six decimals at most: no float noise (`0.4989516070000001`)
                    else cast(round(converted_number, 6) as string)
                end),
                '{unit}', coalesce(target_unit_id, '')),
                '{unit_name}', coalesce(target_unit_name, '')),
                '{unit_plural}', coalesce(target_unit_plural, ''))
        end as canonical_value
    from quantities
),

-- categorical: the rewritten value's own match, else the longest family keyword found in it
-- as whole words (punctuation separates words: `SAS/SATA` has the word `sas`)
family_keywords as (
    select
        *,
        trim({{ replace_pattern('keyword', not_a_word, "' '") }}) as keyword_words
    from families
),

categorical as (
    select
        typed.attribute_id,
        typed.raw_value,
        typed.language,
        coalesce(value_terms.value_id, families.value_id) as value_id,
        case
            when value_terms.value_id is not null then 'vocabulary'
            when families.value_id is not null then 'family'
        end as categorical_rule
    from typed
    left join value_terms
        on value_terms.attribute_id = typed.attribute_id
        and value_terms.term = typed.normalized_prepared
    left join family_keywords as families
        on families.attribute_id = typed.attribute_id
        and (' ' || {{ replace_pattern('typed.normalized_prepared', not_a_word, "' '") }} || ' ')
        like ('% ' || families.keyword_words || ' %')
    where typed.data_type = 'categorical'
    qualify row_number() over (
        partition by typed.attribute_id, typed.raw_value, typed.language
        order by length(families.keyword) desc nulls last, families.value_id
    ) = 1
),

spellings_normalized as (
    select
        typed.attribute_id,
        typed.raw_value,
        typed.language,
        typed.prepared_value,
        categorical.value_id,
        case
            when typed.data_type = 'numeric' then numbers_formatted.canonical_value
            -- an identifier whose check digit is wrong has no canonical form
            when typed.check_digit_ok = false then null
            when typed.data_type in ('text', 'identifier')
                then nullif(coalesce(value_expansions.to_term, typed.prepared_value), '')
        end as canonical_value,
        numbers_formatted.number_read as value_number,
        numbers_formatted.value_unit,
        -- which rules made the canonical value: the pattern rule, then what the type added
        case
            when typed.check_digit_ok = false then 'check digit failed'
            else nullif(concat_ws(' + ',
                case when typed.rule_id is not null then 'pattern ' || typed.rule_id end,
                case
                    when typed.data_type = 'numeric'
                        and numbers_formatted.canonical_value is not null
                        then 'quantity'
                    when typed.data_type = 'categorical' then categorical.categorical_rule
                    when typed.data_type in ('text', 'identifier')
                        and value_expansions.to_term is not null
                        then 'expansion'
                    when typed.data_type in ('text', 'identifier') and typed.rule_id is null
                        and typed.prepared_value <> ''
                        then 'text'
                end
            ), '')
        end as normalization_rule
    from typed
    left join numbers_formatted using (attribute_id, raw_value, language)
    left join categorical using (attribute_id, raw_value, language)
    left join value_expansions
        on value_expansions.attribute_id = typed.attribute_id
        and value_expansions.normalized_from_term = typed.normalized_prepared
),

final as (
    select
        observations.observation_id,
        observations.item_id,
        spellings_normalized.prepared_value,
        spellings_normalized.value_id,
        spellings_normalized.canonical_value,
        spellings_normalized.value_number,
        spellings_normalized.value_unit,
        spellings_normalized.normalization_rule,
        {{ incremental_stamp(vocabulary) }}
    from observations
    inner join spellings_normalized using (attribute_id, raw_value, language)
)

select * from final
