{#
    Tests on the incrementally built item-level tables check the rows this build wrote.

    dbt_project.yml gives every data test `where: __this_build__`. On a table that carries the
    build stamp `raw_loaded_through` (macros/incremental.sql) it reads "the rows stamped by
    the latest build": all rows after a full build, the (re)processed items after an
    incremental one. Sound for these tests: their rows are replaced per item, and the keys
    under test (item_id, observation_id) belong to one item. On raw staging (incremental by
    `loaded_at`, no stamps), during `echo-roots refresh` (the var `reconcile_loaded_after`), it
    reads "the items with a record loaded since the last refresh": the others were tested then.
    Any other table is tested whole.
    This overrides dbt's own get_where_subquery, the documented hook for such placeholders.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where and '__this_build__' in where -%}
        {#- the manifest says which tables carry the stamp: no catalog query per test -#}
        {%- set tested = graph.nodes.values()
            | selectattr('relation_name', 'equalto', relation | string) | list -%}
        {%- set stamped = execute and tested
            and 'raw_loaded_through' in tested[0].columns
            and load_relation(relation) is not none -%}
        {%- if not stamped -%}
            {%- do return(raw_staging_since_last_refresh(relation, tested)) -%}
        {%- endif -%}
        {#- the latest stamp as a constant, so DuckDB skips the row groups of earlier builds -#}
        {%- set latest = run_query(
            'select max(raw_loaded_through)::string from ' ~ relation).rows[0][0] -%}
        {%- if latest is none -%}
            {%- do return(relation) -%}
        {%- endif -%}
        {%- set this_build -%}
            raw_loaded_through = cast('{{ latest }}' as {{ type_timestamp_tz() }})
        {%- endset -%}
        {%- set where = where | replace('__this_build__', this_build) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#- Raw staging during a refresh: the rows of the items loaded since the previous refresh (a key
    duplicated by this build has a row among them); else the relation whole. -#}
{% macro raw_staging_since_last_refresh(relation, tested) -%}
    {%- set since = var('reconcile_loaded_after', none) -%}
    {%- if not (since and tested and 'loaded_at' in tested[0].columns
        and 'item_id' in tested[0].columns) -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {#- the time of the raw table the staging model reads -#}
    {%- set read = namespace(table=none) -%}
    {%- for node in tested[0].depends_on.nodes if node.startswith('source.') -%}
        {%- set read.table = node.split('.')[-1] -%}
    {%- endfor -%}
    {%- set after = since.get(read.table) -%}
    {%- if not after -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- do return('(select * from ' ~ relation ~ ' where item_id in (select item_id from '
        ~ relation ~ " where loaded_at > cast('" ~ after ~ "' as " ~ type_timestamp_tz()
        ~ "))) dbt_subquery") -%}
{%- endmacro %}
