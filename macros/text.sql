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

{#- Spark (Java regular expressions): `\s` also matches a vertical tab there, so the class RE2's
    `\s` stands for is written out. -#}
{% macro spark__split_category_path(expression) -%}
    filter(
        transform(split({{ expression }}, '[\t\n\f\r ]*(?:>>|>|/|›|\|)[\t\n\f\r ]*'), s -> trim(s)),
        s -> s <> ''
    )
{%- endmacro %}

{#- The leading number of a measurement (`256GB`, `1.5 kg`, `15,6"`) as a double. -#}
{% macro parse_number(expression) -%}
    {{ return(adapter.dispatch('parse_number', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_number(expression) -%}
    try_cast(replace(nullif(regexp_extract({{ expression }}, '^\s*(-?\d+(?:[.,]\d+)?)', 1), ''), ',', '.') as double)
{%- endmacro %}

{% macro spark__parse_number(expression) -%}
    try_cast(replace(nullif(regexp_extract({{ expression }}, '^[\t\n\f\r ]*(-?\d+(?:[.,]\d+)?)', 1), ''), ',', '.') as double)
{%- endmacro %}

{#- The unit written after the number (`GB`, `kg`, `"`, `吋`), lower-cased; null when none. -#}
{% macro parse_unit(expression) -%}
    {{ return(adapter.dispatch('parse_unit', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_unit(expression) -%}
    nullif(lower(regexp_extract({{ expression }}, '^\s*-?\d+(?:[.,]\d+)?\s*("|''|[^\s\d.,]+)', 1)), '')
{%- endmacro %}

{#- (Spark's string literals take no doubled quote: the quote is \x27 in the pattern.) -#}
{% macro spark__parse_unit(expression) -%}
    nullif(lower(regexp_extract({{ expression }}, '^[\t\n\f\r ]*-?\d+(?:[.,]\d+)?[\t\n\f\r ]*("|\x27|[^\t\n\f\r \d.,]+)', 1)), '')
{%- endmacro %}

{#- True when the regular expression `pattern` (RE2) matches somewhere in the text. -#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'echo_roots')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    regexp_like({{ expression }}, {{ pattern }})
{%- endmacro %}

{#- Every match of `pattern` replaced by `replacement` (`\1` is the first group). -#}
{% macro replace_pattern(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_pattern', 'echo_roots')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__replace_pattern(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{#- (A replacement is written for RE2: `\1` is the first group, `$` is a dollar. Java reads
    `$1` and `\$`: the replacement is translated, in SQL, as it may be a column, the value
    rules' seed.) -#}
{% macro spark__replace_pattern(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }},
        regexp_replace(regexp_replace({{ replacement }}, '\$', '\\\$'), '\\([0-9])', '\$$1'))
{%- endmacro %}

{#- A number as text with exactly `decimals` digits after the point (rounded). -#}
{% macro format_decimals(number, decimals) -%}
    {{ return(adapter.dispatch('format_decimals', 'echo_roots')(number, decimals)) }}
{%- endmacro %}

{% macro duckdb__format_decimals(number, decimals) -%}
    format('{:.{}f}', {{ number }}, {{ decimals }})
{%- endmacro %}

{#- Spark's format_string rounds the shortest decimal form of the double half up (2.675 ->
    2.68); DuckDB rounds its exact binary value half to even (2.67). The function
    format_decimals, registered with the session (loader/engines/spark_functions.py), does as DuckDB. -#}
{% macro spark__format_decimals(number, decimals) -%}
    format_decimals({{ number }}, {{ decimals }})
{%- endmacro %}

{#- The leading quantity of a measurement, as a struct of text parts: `whole` (digits with
    their separators), `numerator`/`denominator` of a fraction after it (`8-1/2`, `8 1/2`)
    or alone (`1/4`), and `rest`, what follows (the unit and anything after it). Vulgar
    fractions (`½`, `⅛`) are read as `1/2`, `1/8`, the fraction slash `⁄` as `/`. Empty
    strings where a part is absent. -#}
{% macro extract_quantity(expression) -%}
    {{ return(adapter.dispatch('extract_quantity', 'echo_roots')(expression)) }}
{%- endmacro %}

{#- The text extract_quantity reads, in SQL both engines run: vulgar fractions spelled out,
    the fraction slash as `/`, leading whitespace removed (RE2's `\s`, written out for Java). -#}
{% macro quantity_text(expression) -%}
    regexp_replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            {{ expression }},
            '½', ' 1/2'), '¼', ' 1/4'), '¾', ' 3/4'), '⅓', ' 1/3'), '⅔', ' 2/3'),
            '⅛', ' 1/8'), '⅜', ' 3/8'), '⅝', ' 5/8'), '⅞', ' 7/8'), '⁄', '/'),
        '^[\t\n\f\r ]+', ''
    )
{%- endmacro %}

{% macro duckdb__extract_quantity(expression) -%}
    regexp_extract(
        {{ quantity_text(expression) }},
        -- a fraction alone first: `1/4` is a quarter, not 1 followed by `/4`
        '^(?:(\d+)/(\d+)|(\d+(?:[.,]\d+)*)(?:(?:\s+|-)(\d+)/(\d+))?)\s*-?\s*(.*)$',
        ['fraction_numerator', 'fraction_denominator', 'whole', 'numerator', 'denominator', 'rest']
    )
{%- endmacro %}

{% macro spark__extract_quantity(expression) -%}
    {%- set prepared = quantity_text(expression) -%}
    {%- set pattern -%}
        ^(?:(\d+)/(\d+)|(\d+(?:[.,]\d+)*)(?:(?:[\t\n\f\r ]+|-)(\d+)/(\d+))?)[\t\n\f\r ]*-?[\t\n\f\r ]*(.*)$
    {%- endset -%}
    {#- (DuckDB's struct is null for a null text, Spark's named_struct a struct of nulls) #}
    case when {{ expression }} is not null then named_struct(
        {%- for name in ['fraction_numerator', 'fraction_denominator', 'whole', 'numerator', 'denominator', 'rest'] %}
        '{{ name }}', regexp_extract({{ prepared }}, '{{ pattern }}', {{ loop.index }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) end
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

{% macro spark__dimension_part(expression, part) -%}
    {%- set parts -%}
        split(trim({{ expression }}), '[\t\n\f\r ]*[xX×*][\t\n\f\r ]*')
    {%- endset -%}
    case
        when {{ part }} is null or size({{ parts }}) < 2 or size({{ parts }}) < {{ part }}
            or not forall({{ parts }}, p -> regexp_like(p, '^[0-9½¼¾]'))
            then null
        when regexp_like(element_at({{ parts }}, {{ part }}), '^[0-9.,/½¼¾ -]+$') = false
            then element_at({{ parts }}, {{ part }})
        else trim(element_at({{ parts }}, {{ part }})) || ' '
            || regexp_extract(element_at({{ parts }}, -1), '^[0-9.,/½¼¾ -]+(.*)$', 1)
    end
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

{% macro spark__gs1_check_digit_ok(digits) -%}
    (
        (10 - aggregate(
            sequence(2, length({{ digits }})), 0,
            (total, k) -> total + (ascii(substr(reverse({{ digits }}), k, 1)) - 48)
                * case when k % 2 = 0 then 3 else 1 end
        ) % 10) % 10 = ascii(substr(reverse({{ digits }}), 1, 1)) - 48
    )
{%- endmacro %}
