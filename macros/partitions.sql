{#
    Build partitions: the rows of an item-level table that one build wrote against one
    vocabulary (raw_loaded_through x vocabulary_hash, macros/incremental.sql). A later build
    adds a partition, and moves the rows of the items it processes again out of older ones; a
    vocabulary change moves every row. A model that counts an item-level table per partition
    (observation_counts) recounts only the partitions that are new or changed size, which
    one pass over the two compressed stamp columns finds, and keeps the other partitions' rows.
#}

{% macro build_partition(loaded_through, vocabulary_hash) -%}
    {{ loaded_through }}::varchar || '|' || {{ vocabulary_hash }}
{%- endmacro %}


{# Every partition of `relation`, as a list of [raw_loaded_through, vocabulary_hash,
   build_partition, changed]: `changed` when its row count differs from what this model
   counted in its column `counted`. None on a full build (everything is counted). #}
{% macro partition_states(relation, counted) -%}
    {%- if this is none or not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {#- grouped on the stamp columns themselves (compressed runs), named after -#}
    {%- set found = run_query(
        "with stamps as (select raw_loaded_through, vocabulary_hash, count(*) as row_count "
        ~ "from " ~ relation ~ " group by all), "
        ~ "now_in as (select raw_loaded_through::varchar as loaded_through, vocabulary_hash, "
        ~ build_partition('raw_loaded_through', 'vocabulary_hash') ~ " as build_partition, "
        ~ "row_count from stamps), "
        ~ "already as (select build_partition, sum(" ~ adapter.quote(counted) ~ ") as row_count "
        ~ "from " ~ this ~ " group by all) "
        ~ "select now_in.loaded_through, now_in.vocabulary_hash, now_in.build_partition, "
        ~ "already.row_count is distinct from now_in.row_count "
        ~ "from now_in left join already using (build_partition)") -%}
    {{ return(found.rows | map('list') | list) }}
{%- endmacro %}


{# The partitions of `relation` to count again (see partition_states); none on a full build. #}
{% macro changed_partitions(relation, counted) -%}
    {%- set states = partition_states(relation, counted) -%}
    {{ return(none if states is none else states | selectattr(3) | list) }}
{%- endmacro %}


{# A condition on `relation`'s rows: those of the partitions to count (`true` on a full build;
   `false` when none changed). Constants, so DuckDB skips the other partitions' row groups. #}
{% macro partitions_to_count(relation, counted) -%}
    {%- set changed = changed_partitions(relation, counted) -%}
    {%- if changed is none -%}
        true
    {%- elif changed | length == 0 -%}
        false
    {%- else -%}
        (
        {%- for loaded_through, vocabulary_hash, _, _ in changed %}
            {{ 'or ' if not loop.first }}(raw_loaded_through = {{ partition_literal(loaded_through) }}::timestamptz
                and vocabulary_hash = {{ partition_literal(vocabulary_hash) }})
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}


{# Pre-hook: delete the counts of partitions that are gone or changed size (they are counted
   again); nothing on a full build. The partitions are constants: `relation` is read once. #}
{% macro delete_partitions_to_count(relation, counted) -%}
    {%- if this is not none and is_incremental() -%}
        {%- set states = partition_states(relation, counted) -%}
        {%- set kept = states | rejectattr(3) | map(attribute=2) | list -%}
        delete from {{ this }}
        {%- if kept %}
        where build_partition not in (
            {%- for partition in kept %}
            {{ partition_literal(partition) }}{{ ',' if not loop.last }}
            {%- endfor %}
        )
        {%- endif %}
    {%- endif -%}
{%- endmacro %}


{# A partition's stamp as a SQL string literal (quotes doubled). #}
{% macro partition_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
