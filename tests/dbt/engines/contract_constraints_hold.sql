-- DuckDB enforces the marts' contract constraints as it writes them; Spark's plain Parquet
-- tables take none (dbt-spark applies them to Delta tables only): there this test is what
-- checks them (on DuckDB it checks them again, one query). A row per constraint that some
-- rows break, with how many.
{%- set checks = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.contract.enforced %}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) %}
        {%- for column in node.columns.values() if relation is not none %}
            {%- for constraint in column.constraints %}
                {%- set broken = column.name ~ ' is null' if constraint.type == 'not_null'
                    else 'not coalesce(' ~ constraint.expression ~ ', true)' %}
                {%- do checks.append(
                    "select '" ~ node.name ~ "' as model, '" ~ column.name ~ "' as column_name, '"
                    ~ constraint.type ~ "' as constraint_type, count(*) as rows_breaking from "
                    ~ relation ~ " where " ~ broken
                ) %}
            {%- endfor %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}
{%- if not checks %}
    {%- do checks.append("select null as model, null as column_name, null as constraint_type, "
        ~ "0 as rows_breaking") %}
{%- endif %}
select * from (
    {{ checks | join('\n    union all\n    ') }}
) as constraints_checked
where rows_breaking > 0
