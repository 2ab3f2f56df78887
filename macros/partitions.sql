{#
    Build partitions: the rows of an item-level table that one build wrote against one
    vocabulary (raw_loaded_through x vocabulary_hash, macros/incremental.sql). A later build
    adds a partition, and moves the rows of the items it processes again out of older ones; a
    vocabulary change moves every row. A model that counts an item-level table per partition
    (observation_counts) recounts only the partitions that are new or changed size, and keeps
    the other partitions' rows. The rows appended since the last partition it counted find
    them when the older partitions kept every row (a load of new items); else one pass over
    the two compressed stamp columns does.
#}

{% macro build_partition(loaded_through, vocabulary_hash) -%}
    {{ timestamp_text(loaded_through) }} || '|' || {{ vocabulary_hash }}
{%- endmacro %}


{# Every partition of `relation`, as a list of [raw_loaded_through, vocabulary_hash,
   build_partition, changed]: `changed` when its row count differs from what this model
   counted in its column `counted`. None on a full build (everything is counted). #}
{% macro partition_states(relation, counted) -%}
    {%- if this is none or not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set recent = partition_states_since_counted(relation, counted) -%}
    {%- if recent is not none -%}
        {{ return(recent) }}
    {%- endif -%}
    {#- grouped on the stamp columns themselves (compressed runs), named after -#}
    {%- set found = run_query(
        "with stamps as (select raw_loaded_through, vocabulary_hash, count(*) as row_count "
        ~ "from " ~ relation ~ " group by all), "
        ~ "now_in as (select " ~ timestamp_text('raw_loaded_through') ~ " as loaded_through, "
        ~ "vocabulary_hash, "
        ~ build_partition('raw_loaded_through', 'vocabulary_hash') ~ " as build_partition, "
        ~ "row_count from stamps), "
        ~ "already as (select build_partition, sum(" ~ adapter.quote(counted) ~ ") as row_count "
        ~ "from " ~ this ~ " group by all) "
        ~ "select now_in.loaded_through, now_in.vocabulary_hash, now_in.build_partition, "
        ~ "already.row_count is distinct from now_in.row_count "
        ~ "from now_in left join already using (build_partition)") -%}
    {{ return(found.rows | map('list') | list) }}
{%- endmacro %}


{# partition_states without reading all of `relation`, when it can: a build stamps the rows it
   appends with the latest raw load, never earlier than the last partition this model counted,
   and only deletes from the older partitions. So the rows stamped at or after that partition
   (the row groups appended since: DuckDB skips the others by their statistics) are grouped,
   and the older partitions kept their rows exactly when the relation's row count is theirs
   plus those. None when it is not (a re-delivery moved rows out of them; a vocabulary change
   restamped every row): then the caller groups every row. #}
{% macro partition_states_since_counted(relation, counted) -%}
    {%- set found = run_query(
        "with already as (select build_partition, sum(" ~ adapter.quote(counted) ~ ") "
        ~ "as row_count, cast(split_part(build_partition, '|', 1) as " ~ type_timestamp_tz() ~ ") as loaded_through "
        ~ "from " ~ this ~ " group by all), "
        ~ "last_counted as (select max(loaded_through) as loaded_through from already), "
        ~ "stamps as (select raw_loaded_through, vocabulary_hash, count(*) as row_count "
        ~ "from " ~ relation ~ " where raw_loaded_through >= "
        ~ "(select loaded_through from last_counted) group by all), "
        ~ "recent as (select " ~ timestamp_text('raw_loaded_through') ~ " as loaded_through, "
        ~ "vocabulary_hash, "
        ~ build_partition('raw_loaded_through', 'vocabulary_hash') ~ " as build_partition, "
        ~ "row_count from stamps), "
        ~ "states as (select split_part(build_partition, '|', 1) as loaded_through, "
        ~ "build_partition[strlen(split_part(build_partition, '|', 1)) + 2:] "
        ~ "as vocabulary_hash, build_partition, false as changed, row_count from already "
        ~ "where loaded_through < (select loaded_through from last_counted) "
        ~ "union all select recent.loaded_through, recent.vocabulary_hash, "
        ~ "recent.build_partition, already.row_count is distinct from recent.row_count, "
        ~ "recent.row_count from recent left join already using (build_partition)) "
        ~ "select loaded_through, vocabulary_hash, build_partition, changed, "
        ~ "(select sum(row_count) from states) = (select count(*) from " ~ relation ~ ") "
        ~ "from states") -%}
    {%- if found.rows | length == 0 or found.rows | rejectattr(4) | list | length > 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set states = [] -%}
    {%- for loaded_through, vocabulary_hash, partition, changed, _ in found.rows -%}
        {%- do states.append([loaded_through, vocabulary_hash, partition, changed]) -%}
    {%- endfor -%}
    {{ return(states) }}
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
            {{ 'or ' if not loop.first }}(raw_loaded_through = cast({{ partition_literal(loaded_through) }} as {{ type_timestamp_tz() }})
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


{# A partition's stamp as a SQL string literal. #}
{% macro partition_literal(value) -%}
    {{ text_literal(value) }}
{%- endmacro %}
