{#- The release this build produces: the `taxonomy_version` var, `YYYY.MM` with an optional
    `-suffix` (`2026.11`, `2026.11-rc1`). Checked here, at parse time, so a typo fails the
    build before anything is written instead of landing in taxonomy.releases forever.
    Pure Jinja, so no adapter.dispatch. -#}
{% macro taxonomy_version() -%}
    {%- set version = var('taxonomy_version') -%}
    {%- set pattern = '[0-9]{4}[.](0[1-9]|1[0-2])(-[a-z0-9][a-z0-9.]*)?' -%}
    {%- if version is not string or not modules.re.fullmatch(pattern, version) -%}
        {#- YAML reads an unquoted 2026.10 as the number 2026.1: say so -#}
        {%- set hint = ' (a number, not text: quote it)' if version is number else '' -%}
        {{ exceptions.raise_compiler_error(
            "Invalid taxonomy_version " ~ (version | tojson) ~ hint ~ ": expected YYYY.MM with a"
            ~ " month 01-12 and an optional -suffix of lower-case letters, digits and dots,"
            ~ " e.g. \"2026.11\" or \"2026.11-rc1\" (set it with --vars '{taxonomy_version: \"2026.11\"}')"
        ) }}
    {%- endif -%}
    {{ return(version) }}
{%- endmacro %}
