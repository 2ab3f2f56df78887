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
