{#- Seeds are loaded as written: RFC 4180 CSV (a quote inside a quoted field doubled, as
    Python's csv module and spreadsheets write it) into the column types their YAML declares.
    dbt-duckdb's own fast path lets DuckDB sniff each file's dialect, which misreads a value
    such as "1/4""-20" (Shopify's thread size) as an unterminated quote. The path is quoted as
    a literal. -#}
{% macro duckdb__load_csv_rows(model, agate_table) %}
    {% set seed_file_path = adapter.get_seed_file_path(model) %}
    {% set delimiter = config.get('delimiter', ',') %}
    {% set sql %}
        copy {{ this.render() }} from '{{ seed_file_path | replace("'", "''") }}' (
            format csv, header true, auto_detect false,
            delimiter '{{ delimiter | replace("'", "''") }}', quote '"', escape '"'
        )
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {{ return(sql) }}
{% endmacro %}

{#- On Spark, dbt-spark's session method formats each value into its SQL unescaped (a quote
    in the value ends the literal) and writes a missing value as the text 'None'. Here each
    value is a text literal of its own, cast to its column's type (spark__text_literal: the
    session reads string literals as written, escapedStringLiterals), and an empty field is
    null, as DuckDB's COPY reads it. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_types = model['config'].get('column_types', {}) %}
    {% set types = [] %}
    {% for column in agate_table.column_names %}
        {% do types.append(column_types.get(column, adapter.convert_type(agate_table, loop.index0))) %}
    {% endfor %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set literal = 'null' if value is none else spark__text_literal(value) -%}
                    cast({{ literal }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif %}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% do statements.append(sql) %}
    {% endfor %}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
