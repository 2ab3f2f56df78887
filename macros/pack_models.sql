{#
    Pack-level models: built from the domain pack alone (seeds, no source upstream), they are
    rebuilt only when the pack changed, not on every build (Shopify's pack: seconds each).

    Such a model is materialized `incremental` with incremental_strategy='append',
    on_schema_change='fail' and the pre-hook `{{ clear_when_pack_changed() }}`; its final select
    adds `{{ pack_fingerprint() }} as pack_fingerprint` and filters `where {{ pack_changed() }}`.
    When the fingerprint differs from the one its rows carry (or on a first or full build),
    the pre-hook empties the table and the select writes every row; else both do nothing.

    The fingerprint covers what the rows can depend on: the content of every seed upstream
    (row count and the sum of the rows' hashes), the SQL of the model and of every model
    between it and the seeds (dbt's checksums), the `domain` var, and the as-of date where
    a model on the way uses it. (A change to a macro they call needs --full-refresh.)
#}

{% macro pack_fingerprint() -%}
    {#- (a unit test renders the model without a relation of its own: no fingerprint) -#}
    {%- if this is none or model.resource_type != 'model' or not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set seeds, checksums, uses_date = [], [model.checksum.checksum], [] -%}
    {%- set queue, seen = model.depends_on.nodes | list, [] -%}
    {%- for unique_id in queue if unique_id not in seen -%}
        {%- do seen.append(unique_id) -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is none or node.resource_type == 'source' -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ " is a pack-level model but reads " ~ unique_id) }}
        {%- elif node.resource_type == 'seed' -%}
            {%- set seed = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if seed is none -%}
                {#- not loaded yet (`dbt compile` on a new warehouse): no fingerprint -#}
                {{ return("''") }}
            {%- endif -%}
            {%- do seeds.append(seed) -%}
        {%- else -%}
            {%- do checksums.append(node.checksum.checksum) -%}
            {%- do queue.extend(node.depends_on.nodes) -%}
            {%- if 'macro.echo_roots.as_of_date' in node.depends_on.macros -%}
                {%- do uses_date.append(true) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if 'macro.echo_roots.as_of_date' in model.depends_on.macros or uses_date -%}
        {%- set as_of = var('as_of_date', none) or run_started_at.strftime('%Y-%m-%d') -%}
        {%- do checksums.append(as_of | string) -%}
    {%- endif -%}
    {%- set fingerprint = run_query(
        "select md5(concat_ws('|', " ~ domain_literal() ~ ", "
        ~ "'" ~ (checksums | sort | join('|')) | replace("'", "''") ~ "', "
        ~ (vocabulary_hash(seeds | sort(attribute='identifier')) if seeds else "''") ~ "))"
    ).rows[0][0] -%}
    {{ return("'" ~ fingerprint ~ "'") }}
{%- endmacro %}


{#- True (as SQL) when the model must be written again: a first or full build, or a domain
    pack whose fingerprint differs from the one the table's rows carry. Decided when the model
    is compiled, before its pre-hook runs, so the hook and the select agree. -#}
{% macro pack_changed() -%}
    {%- if this is none or model.resource_type != 'model' or not execute -%}
        {{ return('true') }}
    {%- elif not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set stored = run_query(
        "select max(pack_fingerprint) is distinct from " ~ pack_fingerprint()
        ~ " or count(*) = 0 from " ~ this).rows[0][0] -%}
    {{ return('true' if stored else 'false') }}
{%- endmacro %}


{#- The pre-hook of a pack-level model: its rows go when the pack changed. -#}
{% macro clear_when_pack_changed() -%}
    {%- if is_incremental() and pack_changed() == 'true' -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
