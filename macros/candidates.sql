{#- proposal_id: the stable id of an elevation proposal, from what it proposes (attribute and
    normalized term), so it survives rebuilds and reviewers can cite it in the decisions seed. -#}
{% macro proposal_id(attribute_id, normalized_term) -%}
    'prop_' || left(md5({{ attribute_id }} || '|' || {{ normalized_term }}), 10)
{%- endmacro %}

{#- term_similarity: how alike two normalized terms are, 0-1, for clustering near-duplicates
    (`stainless steel` / `stainles steel`). Jaro-Winkler favours a shared beginning, which
    suits typos and spelling variants of the same term. -#}
{% macro term_similarity(left, right) -%}
    {{ return(adapter.dispatch('term_similarity', 'echo_roots')(left, right)) }}
{%- endmacro %}

{% macro duckdb__term_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}
