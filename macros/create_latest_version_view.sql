{#- Post-hook for versioned models: the unversioned name (`taxonomy.semantic_candidates`)
    is a view of the latest version, so queries that do not name a version follow the
    latest one. The pattern the dbt docs recommend for model versions. -#}
{% macro create_latest_version_view() %}
    {%- if model.get('version') and model.get('version') == model.get('latest_version') -%}
        {%- set latest = this.incorporate(path={'identifier': model['name']}) -%}
        {%- set existing = load_relation(latest) -%}
        {%- if existing and not existing.is_view -%}
            {%- do drop_relation_if_exists(existing) -%}
        {%- endif -%}
        create or replace view {{ latest }} as select * from {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
