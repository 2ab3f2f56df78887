{#- proposal_id: the stable id of an elevation proposal, from what it proposes (attribute and
    normalized term), so it survives rebuilds and reviewers can cite it in the decisions seed. -#}
{% macro proposal_id(attribute_id, normalized_term) -%}
    'prop_' || left(md5({{ attribute_id }} || '|' || {{ normalized_term }}), 10)
{%- endmacro %}

{#- candidate_id: the key of a candidate (kind, attribute, normalized term), the same wherever
    an observation is matched to the candidate it is a sighting of. -#}
{% macro candidate_id(candidate_type, attribute_id, normalized_term) -%}
    md5(concat_ws('|', {{ candidate_type }}, {{ attribute_id }}, {{ normalized_term }}))
{%- endmacro %}

{#- near_duplicate: two normalized terms are spellings of one term when they start with the
    same character (which also keeps the comparison cheap), carry the same digits
    (`android 13` is not a spelling of `android 14`) and are at least
    `candidate_similarity_threshold` alike. -#}
{% macro near_duplicate(left, right) -%}
    left({{ left }}, 1) = left({{ right }}, 1)
    and {{ replace_pattern(left, "'[^0-9]'", "''") }} = {{ replace_pattern(right, "'[^0-9]'", "''") }}
    and {{ term_similarity(left, right) }} >= {{ var('candidate_similarity_threshold') }}
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

{#- Spark 4.3's jaro_winkler_similarity counts characters, halves transpositions exactly and
    always adds the prefix's boost; DuckDB's (rapidfuzz) does none of these. term_similarity is
    registered with the session (loader/engines/spark_functions.py) and computes DuckDB's. -#}
{% macro spark__term_similarity(left, right) -%}
    term_similarity({{ left }}, {{ right }})
{%- endmacro %}
