{#- Database-specific SQL lives here, behind adapter.dispatch, so the project could move
    to another engine (Spark, Trino) by adding `<adapter>__` versions of these macros. -#}

{#- normalize_term: the one normalization used wherever terms are compared.
    Unicode NFC, full-width ASCII and the ideographic space to their half-width forms (CJK
    input methods type ＢＬＡＣＫ and 16ＧＢ), case folding, `_` `-` and dashes as spaces,
    whitespace collapsed and trimmed. `Stainless-Steel`, `stainless_steel` and
    ` STAINLESS  steel ` all become `stainless steel`. -#}
{% macro normalize_term(expression) -%}
    {{ return(adapter.dispatch('normalize_term', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__normalize_term(expression) -%}
    nullif(trim(regexp_replace(regexp_replace(lower(translate(nfc_normalize({{ expression }}),
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')),
        '[_\-‐‑–—]+', ' ', 'g'), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- Spark SQL has no Unicode normalization: NFC is ICU's (ICU4J ships with Spark), called in
    the JVM through java_method, so it also runs inside lambdas and views, where a function
    registered from Python may not. (Spark counts java_method as nondeterministic, so a join
    condition may not call it: normalize in a CTE first. ICU fails on a null: it gets '', which
    the final nullif makes null again, as DuckDB gives.) A quote cannot be written inside a
    literal when string literals are taken as written (spark.sql.parser.escapedStringLiterals,
    which the spark target sets so that patterns read as in DuckDB): chr(39). -#}
{% macro spark__normalize_term(expression) -%}
    nullif(trim(regexp_replace(regexp_replace(lower(translate(
        java_method('com.ibm.icu.text.Normalizer', 'compose', coalesce({{ expression }}, ''), false),
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
        '!"#$%&' || chr(39) || '()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')),
        '[_\-‐‑–—]+', ' '), '[\t\n\f\r ]+', ' ')), '')
{%- endmacro %}

{#- normalize_category_term: normalize_term, `&` read as `and` (`Home & Garden`, `Home And
    Garden`) and English plurals read as their singular (`Bath Mats`, `Bath Mat`), since shops
    and taxonomies write both. Used wherever category names and raw category levels are
    compared, on both sides alike, so the folding only has to be consistent, not correct
    English (`series` and `sery` are the same key). Dispatched: plural_folded. -#}
{% macro normalize_category_term(expression) -%}
    {{ plural_folded("replace(" ~ normalize_term(expression) ~ ", ' & ', ' and ')") }}
{%- endmacro %}

{#- plural_folded: each ASCII word of four letters or more that ends like an English plural
    in its singular form: -ies -> -y (accessories), -ses/-xes/-zes/-ches/-shes lose -es
    (boxes, watches), else a final -s after a letter other than i, s, u (mats, shoes; not
    glass, bus, analysis). Words in other scripts are untouched. -#}
{% macro plural_folded(expression) -%}
    {{ return(adapter.dispatch('plural_folded', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__plural_folded(expression) -%}
    regexp_replace(regexp_replace(regexp_replace({{ expression }},
        '\b([a-z]{2,})ies\b', '\1y', 'g'),
        '\b([a-z]{2,}(?:s|x|z|ch|sh))es\b', '\1', 'g'),
        '\b([a-z]{2,}[abcdefghjklmnopqrtvwxyz])s\b', '\1', 'g')
{%- endmacro %}

{#- Java's `\b` knows Unicode letters, RE2's only ASCII word characters: lookarounds say
    RE2's `\b` here; Java names a group `$1`. -#}
{% macro spark__plural_folded(expression) -%}
    {%- set before, after = '(?<![0-9A-Za-z_])', '(?![0-9A-Za-z_])' -%}
    regexp_replace(regexp_replace(regexp_replace({{ expression }},
        '{{ before }}([a-z]{2,})ies{{ after }}', '$1y'),
        '{{ before }}([a-z]{2,}(?:s|x|z|ch|sh))es{{ after }}', '$1'),
        '{{ before }}([a-z]{2,}[abcdefghjklmnopqrtvwxyz])s{{ after }}', '$1')
{%- endmacro %}
