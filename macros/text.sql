{#- Text helpers, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- Split a raw category string into its levels, whatever the shop's convention:
    `A > B`, `A >> B`, `A / B`, `A › B`, `A | B`. Returns a list of trimmed strings. -#}
{% macro split_category_path(expression) -%}
    {{ return(adapter.dispatch('split_category_path', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__split_category_path(expression) -%}
    list_filter(
        list_transform(regexp_split_to_array({{ expression }}, '\s*(?:>>|>|/|›|\|)\s*'), lambda s: trim(s)),
        lambda s: s <> ''
    )
{%- endmacro %}

{#- The leading number of a measurement (`256GB`, `1.5 kg`, `15,6"`) as a double. -#}
{% macro parse_number(expression) -%}
    {{ return(adapter.dispatch('parse_number', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_number(expression) -%}
    try_cast(replace(nullif(regexp_extract({{ expression }}, '^\s*(-?\d+(?:[.,]\d+)?)', 1), ''), ',', '.') as double)
{%- endmacro %}

{#- The unit written after the number (`GB`, `kg`, `"`, `吋`), lower-cased; null when none. -#}
{% macro parse_unit(expression) -%}
    {{ return(adapter.dispatch('parse_unit', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_unit(expression) -%}
    nullif(lower(regexp_extract({{ expression }}, '^\s*-?\d+(?:[.,]\d+)?\s*("|''|[^\s\d.,]+)', 1)), '')
{%- endmacro %}

{#- True when the regular expression `pattern` (RE2) matches somewhere in the text. -#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'echo_roots')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{#- Every match of `pattern` replaced by `replacement` (`\1` is the first group). -#}
{% macro replace_pattern(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_pattern', 'echo_roots')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__replace_pattern(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{#- A number as text with exactly `decimals` digits after the point (rounded). -#}
{% macro format_decimals(number, decimals) -%}
    {{ return(adapter.dispatch('format_decimals', 'echo_roots')(number, decimals)) }}
{%- endmacro %}

{% macro duckdb__format_decimals(number, decimals) -%}
    format('{:.{}f}', {{ number }}, {{ decimals }})
{%- endmacro %}

{#- The leading quantity of a measurement, as a struct of text parts: `whole` (digits with
    their separators), `numerator`/`denominator` of a fraction after it (`8-1/2`, `8 1/2`)
    or alone (`1/4`), and `rest`, what follows (the unit and anything after it). Vulgar
    fractions (`½`, `⅛`) are read as `1/2`, `1/8`, the fraction slash `⁄` as `/`. Empty
    strings where a part is absent. -#}
{% macro extract_quantity(expression) -%}
    {{ return(adapter.dispatch('extract_quantity', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__extract_quantity(expression) -%}
    regexp_extract(
        regexp_replace(
            replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
                {{ expression }},
                '½', ' 1/2'), '¼', ' 1/4'), '¾', ' 3/4'), '⅓', ' 1/3'), '⅔', ' 2/3'),
                '⅛', ' 1/8'), '⅜', ' 3/8'), '⅝', ' 5/8'), '⅞', ' 7/8'), '⁄', '/'),
            '^\s+', ''
        ),
        -- a fraction alone first: `1/4` is a quarter, not 1 followed by `/4`
        '^(?:(\d+)/(\d+)|(\d+(?:[.,]\d+)*)(?:(?:\s+|-)(\d+)/(\d+))?)\s*-?\s*(.*)$',
        ['fraction_numerator', 'fraction_denominator', 'whole', 'numerator', 'denominator', 'rest']
    )
{%- endmacro %}

{#- Of a dimension string (`10 x 20 x 5 cm`, `24"W x 30"D`), part `part` (1 for the first),
    with the unit written after the last part when its own has none; null when the text is
    no such string or `part` is null. -#}
{% macro dimension_part(expression, part) -%}
    {{ return(adapter.dispatch('dimension_part', 'echo_roots')(expression, part)) }}
{%- endmacro %}

{% macro duckdb__dimension_part(expression, part) -%}
    (
        select
            case
                when {{ part }} is null or len(parts) < 2 or len(parts) < {{ part }}
                    or not list_bool_and(list_transform(parts, p -> regexp_matches(p, '^[0-9½¼¾]')))
                    then null
                -- the part has a unit of its own (`30"D`): as it is
                when regexp_matches(parts[{{ part }}], '^[0-9.,/½¼¾ -]+$') = false
                    then parts[{{ part }}]
                else trim(parts[{{ part }}]) || ' '
                    || regexp_extract(parts[-1], '^[0-9.,/½¼¾ -]+(.*)$', 1)
            end
        from (select regexp_split_to_array(trim({{ expression }}), '\s*[xX×*]\s*') as parts)
    )
{%- endmacro %}

{#- True when the digits end with the right GS1 check digit (UPC, EAN, GTIN): weights 3 and
    1 from the right, the check digit makes the sum a multiple of 10. -#}
{% macro gs1_check_digit_ok(digits) -%}
    {{ return(adapter.dispatch('gs1_check_digit_ok', 'echo_roots')(digits)) }}
{%- endmacro %}

{% macro duckdb__gs1_check_digit_ok(digits) -%}
    (
        select (10 - list_sum(list_transform(
            range(2, length(reversed) + 1),
            k -> (ascii(reversed[k]) - 48) * case when k % 2 = 0 then 3 else 1 end
        )) % 10) % 10 = ascii(reversed[1]) - 48
        from (select reverse({{ digits }}) as reversed)
    )
{%- endmacro %}
