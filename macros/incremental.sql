{#
    The incremental protocol, named here and only here (rule g of
    tests/python/warehouse/test_project_rules.py checks every incremental model against it).

    Item-level models are incremental: a build after a load (re)processes only the items that
    load touched, and every item again when the vocabulary they resolve against changed.
    A change to an incremental model's SQL needs `dbt build --full-refresh` (`make rebuild`).

    A model materialized `incremental` is one of three kinds:

    - raw staging (stg_raw__*, the only ones that read a source): unique_key its record's key,
      item_id first (item_id; item_id, model, run_id), incremental_strategy='delete+insert',
      on_schema_change='fail'; it reads the source rows loaded after `raw_watermark()` (its
      own max(loaded_at), a constant), or every row while the table is empty (a source empty
      at the first build must not hide what arrives later). No stamps. The singular test
      tests/dbt/reconciliation/raw_rows_reach_staging.sql fails the build when staging lacks
      the latest raw record of an item (or of an item, model and run).
    - history (taxonomy.releases): append-only, full_refresh=false and no unique_key; under
      is_incremental() it leaves out what the table holds. No stamps.
    - item-level (every other one), built from items:
      1. config: unique_key='item_id', incremental_strategy='append', on_schema_change='fail'
         (a table built before the stamps asks for --full-refresh), and the pre-hook
         `{{ delete_items_to_process(<the same vocabulary as 2.>) }}`: it deletes the rows of
         the items processed again that the table may hold (first loaded at or before its
         watermark: a load of new items deletes nothing), all of their rows, so an item that
         has no rows now (a listing re-delivered without attributes) keeps none; then the
         build appends. (delete+insert would scan the table again for every item it inserts,
         new ones included.)
      2. one vocabulary, `{%- set vocabulary = ... %}` (the lists below): every relation the
         model reads other than its item-level inputs, and the vocabulary of each stamped
         model it reads (else a change upstream that restamps every row with the same
         raw_loaded_through would go unseen here). The same list, in the same order (it is
         hashed), goes to every protocol macro of the model.
      3. a scope filter on every item-level input: `where {{ items_to_process(vocabulary=
         vocabulary) }}` on a raw staging model; `where {{ restamped_rows(vocabulary) }}`
         (or items_to_process) on a stamped model.
      4. the stamp: `{{ incremental_stamp(vocabulary) }}`, once (in the final select), so
         every row carries
           - raw_loaded_through: the latest raw load the build saw (items or extraction
             results): the next build processes the items loaded after it;
           - vocabulary_hash: a hash of the vocabulary: when the next build's hash differs,
             it processes every item;
         and both columns declared in the model's YAML (get_where_subquery.sql reads the
         declaration to test only the rows a build wrote).
      5. downstream, a model that reads a stamped model drops the stamps (`select * exclude
         (vocabulary_hash, raw_loaded_through)` or an explicit column list) or stamps its own:
         only item-level incremental models declare the stamp columns.
#}

{% macro vocabulary_hash(vocabulary) -%}
    {%- if vocabulary | length == 0 -%}
        ''
    {%- else -%}
        md5(concat_ws('|'
        {%- for relation in vocabulary %},
            (
                {{ relation_fingerprint(relation) }}
            )
        {%- endfor %}
        ))
    {%- endif -%}
{%- endmacro %}


{# A query for one value that changes when the relation's rows do: order-free, the row count
   and the sum of the rows' 64-bit hashes (no sort and no string of the whole table, which took
   seconds on Shopify's 124k labels). Each engine hashes with its own function: the value only
   compares builds on one engine. #}
{% macro relation_fingerprint(relation) -%}
    {{- return(adapter.dispatch('relation_fingerprint', 'echo_roots')(relation)) -}}
{%- endmacro %}

{% macro duckdb__relation_fingerprint(relation) -%}
    select count(*) || ':' || coalesce(sum(hash(vocabulary_row)::hugeint), 0)
    -- the alias names the whole row (a struct), which sqlfluff does not see as a use
    from {{ relation }} as vocabulary_row  -- noqa: AL05
{%- endmacro %}

{% macro spark__relation_fingerprint(relation) -%}
    select count(*) || ':' || coalesce(sum(cast(xxhash64(*) as decimal(38, 0))), 0)
    from {{ relation }}
{%- endmacro %}


{# Raw staging's watermark: the latest load its table holds (as text), or none on a full build
   or while the table is empty (the max of no rows is null, which no comparison passes: a
   source empty at the first build must not hide what arrives later). A constant, so DuckDB
   reads only the raw row groups loaded since (a condition it cannot fold, such as `or not
   exists (...)`, made it read every raw row: 0.6 s at 4M items). #}
{% macro raw_watermark() -%}
    {%- if this is none or not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query("select max(loaded_at)::string from " ~ this) -%}
    {{ return(found.rows[0][0]) }}
{%- endmacro %}


{% macro raw_loaded_through() -%}
    (
        select max(loaded_at)
        from (
            select max(loaded_at) as loaded_at from {{ ref('stg_raw__ingestion_items') }}
            union all
            select max(loaded_at) from {{ ref('stg_raw__extraction_results') }}
        )
    )
{%- endmacro %}


{# The two stamp columns, for the final select of an incremental item-level model. #}
{% macro incremental_stamp(vocabulary=[]) -%}
    {{ vocabulary_hash(vocabulary) }} as vocabulary_hash,
    {{ raw_loaded_through() }} as raw_loaded_through
{%- endmacro %}


{# The watermark of the model being built, or none when every item is to be processed:
   a full or first build, or the vocabulary's hash changed. A table built before it carried
   the stamps counts as unstamped, so dbt's own schema check (on_schema_change='fail') can
   ask for a --full-refresh instead of this query failing on a missing column. #}
{% macro incremental_state(vocabulary) -%}
    {#- a unit test has no `this` -#}
    {%- if this is none or not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'raw_loaded_through' not in columns or 'vocabulary_hash' not in columns -%}
        {{ return(none) }}
    {%- endif -%}
    {#- a sighting log's retired rows keep the stamps they were written with -#}
    {%- set current = " where retired_through is null" if 'retired_through' in columns else "" -%}
    {#- the row stamped last tells both: a top-1 on the stamp skips row groups by their
        statistics (4 ms at 30M rows; a max over every row's hash took 0.15 s) -#}
    {%- set state = run_query(
        "select raw_loaded_through::string, "
        ~ "vocabulary_hash is distinct from " ~ vocabulary_hash(vocabulary)
        ~ " from (select raw_loaded_through, vocabulary_hash from " ~ this ~ current
        ~ " order by raw_loaded_through desc limit 1)") -%}
    {%- if state.rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermark, vocabulary_changed = state.rows[0][0], state.rows[0][1] -%}
    {{ return(none if (vocabulary_changed or watermark is none) else watermark) }}
{%- endmacro %}


{# A condition on `column` (an item id): true for the items this build must (re)process:
   `true` on a full build or when the vocabulary changed, else the items loaded after the
   table's watermark (decided when the model runs, so DuckDB sees a plain semi-join). #}
{% macro items_to_process(column='item_id', vocabulary=[]) -%}
    {%- set watermark = incremental_state(vocabulary) -%}
    {%- if watermark is none -%}
        true
    {%- else -%}
        {{ column }} in (
            select item_id from {{ ref('stg_raw__ingestion_items') }}
            where loaded_at > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
            union
            select item_id from {{ ref('stg_raw__extraction_results') }}
            where loaded_at > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
        )
    {%- endif -%}
{%- endmacro %}


{# The same scope read off an upstream stamped model: its rows an earlier step of this build
   rewrote (stamped after this table's watermark). A constant filter, so DuckDB skips the
   untouched row groups of the upstream table. #}
{% macro restamped_rows(vocabulary=[]) -%}
    {%- set watermark = incremental_state(vocabulary) -%}
    {%- if watermark is none -%}
        true
    {%- else -%}
        raw_loaded_through > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
    {%- endif -%}
{%- endmacro %}


{# Raw staging's item_first_loaded_at: when each item of `records` (a CTE of the rows it stages)
   was first loaded, as either kind of record (item_id, item_first_loaded_at). It never changes,
   and it tells the item-level models which items they may hold already
   (items_held_to_process). An incremental build looks up only the items of `records`. #}
{% macro item_first_loads(records) -%}
    select item_id, min(loaded_at) as item_first_loaded_at
    from (
        {%- for raw in ['ingestion_items', 'extraction_results'] %}
        {{ 'union all' if not loop.first }}
        select item_id, _loaded_at as loaded_at from {{ source('raw', raw) }}
        {%- if is_incremental() %}
        where item_id in (select item_id from {{ records }})
        {%- endif %}
        {%- endfor %}
    )
    group by item_id
{%- endmacro %}


{# The items this build processes that the table may hold already: those loaded after its
   `watermark` that were first loaded at or before it (an item-level table holds only items
   loaded by then: a build of new items only finds none, and deletes nothing). Read off the
   staging rows loaded after the watermark alone (a constant filter: DuckDB skips the other
   row groups); item_first_loaded_at is the item's, on each of its staging rows. #}
{% macro items_held_to_process(watermark) -%}
    select item_id from {{ ref('stg_raw__ingestion_items') }}
    where loaded_at > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
        and item_first_loaded_at <= cast('{{ watermark }}' as {{ type_timestamp_tz() }})
    union
    select item_id from {{ ref('stg_raw__extraction_results') }}
    where loaded_at > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
        and item_first_loaded_at <= cast('{{ watermark }}' as {{ type_timestamp_tz() }})
{%- endmacro %}


{# The pre-hook of every item-level model: delete the rows of the items this build processes
   that the table may hold, all of them (an item may now have no rows at all: a listing
   re-delivered without attributes); every row when every item is processed again. Then the
   model appends. Probing a large table for new items found nothing, slowly. #}
{% macro delete_items_to_process(vocabulary=[]) -%}
    {%- if is_incremental() -%}
        {%- set watermark = incremental_state(vocabulary) -%}
        delete from {{ this }}
        {%- if watermark is not none %}
        where item_id in ({{ items_held_to_process(watermark) }})
        {%- endif %}
    {%- endif -%}
{%- endmacro %}


{# The vocabulary each item-level step resolves against, its inputs' included. #}
{% macro category_vocabulary() -%}
    {{ return([
        ref('stg_domain_pack__category_mappings'),
        ref('int_category_terms_indexed'),
        ref('int_category_paths_resolved'),
    ]) }}
{%- endmacro %}

{% macro attribute_vocabulary() -%}
    {#- an attribute name resolves by the item's category first: the categories count too -#}
    {{ return(category_vocabulary() + [
        ref('stg_domain_pack__attributes'),
        ref('int_attribute_terms_indexed'),
        ref('int_value_terms_indexed'),
        ref('int_category_attributes_inherited'),
    ]) }}
{%- endmacro %}

{% macro normalization_vocabulary() -%}
    {{ return(attribute_vocabulary() + normalization_rules()) }}
{%- endmacro %}

{% macro elevated_vocabulary() -%}
    {{ return(normalization_vocabulary() + [ref('int_values_elevated'), ref('attribute_values')]) }}
{%- endmacro %}

{#- The domain pack's normalization rules: a change to any of them normalizes every value again. -#}
{% macro normalization_rules() -%}
    {{ return([
        ref('stg_domain_pack__units'),
        ref('stg_domain_pack__number_words'),
        ref('stg_domain_pack__number_formats'),
        ref('stg_domain_pack__value_rules'),
        ref('stg_domain_pack__value_families'),
        ref('int_term_mappings_chained'),
    ]) }}
{%- endmacro %}


{# The sighting log's pre-hooks (int_candidate_terms_sighted, append). Instead of deleting the
   sightings of the items this build processes again, retire_items_to_process retires them
   (retired_through = this build's raw_loaded_through), so the aggregate downstream sees which
   candidates lost sightings; purge_retired_sightings first deletes the rows retired in an
   earlier build that the aggregate has taken in (at or before its own latest stamp). #}
{% macro purge_retired_sightings(aggregate='int_candidate_sightings_aggregated') -%}
    {%- if is_incremental() -%}
        {#- the aggregate is downstream, so it is looked up, not ref()'d (that would be a cycle) -#}
        {%- set consumer = adapter.get_relation(
            database=this.database, schema=this.schema, identifier=aggregate) -%}
        {%- if consumer is not none -%}
            delete from {{ this }}
            where retired_through <= (select max(raw_loaded_through) from {{ consumer }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro retire_items_to_process(vocabulary=[]) -%}
    {%- if is_incremental() -%}
        {%- set watermark = incremental_state(vocabulary) -%}
        update {{ this }}
        set retired_through = {{ raw_loaded_through() }}
        where retired_through is null
        {%- if watermark is not none %}
            and item_id in ({{ items_held_to_process(watermark) }})
        {%- endif %}
    {%- endif -%}
{%- endmacro %}


{# Which candidates the aggregate of sightings recomputes from every sighting they have:
   those that lost sightings in this build (retired after the aggregate's latest stamp); all
   when the vocabulary changed. The others only take in their new sightings. #}
{% macro candidates_losing_sightings(vocabulary=[]) -%}
    {%- set watermark = incremental_state(vocabulary) -%}
    {%- if watermark is none -%}
        true
    {%- else -%}
        candidate_id in (
            select candidate_id from {{ ref('int_candidate_terms_sighted') }}
            where retired_through > cast('{{ watermark }}' as {{ type_timestamp_tz() }})
        )
    {%- endif -%}
{%- endmacro %}


{# The aggregate's pre-hook: drop the rows it recomputes (a candidate may have no sightings
   left, which delete+insert alone would leave in place). #}
{% macro delete_candidates_losing_sightings(vocabulary=[]) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ candidates_losing_sightings(vocabulary) }}
    {%- endif -%}
{%- endmacro %}
