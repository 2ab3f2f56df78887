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

{#- normalize_category_term: normalize_term, and `&` read as `and`, so that `Home & Garden`
    and `Home And Garden` name the same category (shops and taxonomies write both). Used
    wherever category names and raw category levels are compared. -#}
{% macro normalize_category_term(expression) -%}
    replace({{ normalize_term(expression) }}, ' & ', ' and ')
{%- endmacro %}
