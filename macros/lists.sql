{#- Lists, behind adapter.dispatch (see macros/normalize_term.sql). -#}

{#- The first `n` elements of a list. -#}
{% macro list_head(expression, n) -%}
    {{ return(adapter.dispatch('list_head', 'echo_roots')(expression, n)) }}
{%- endmacro %}

{% macro duckdb__list_head(expression, n) -%}
    {{ expression }}[1:{{ n }}]
{%- endmacro %}

{% macro spark__list_head(expression, n) -%}
    slice({{ expression }}, 1, {{ n }})
{%- endmacro %}

{#- A list of the SQL expressions in `elements` (a list of strings). -#}
{% macro list_of(elements) -%}
    {{ return(adapter.dispatch('list_of', 'echo_roots')(elements)) }}
{%- endmacro %}

{% macro duckdb__list_of(elements) -%}
    list_value({{ elements | join(', ') }})
{%- endmacro %}

{% macro spark__list_of(elements) -%}
    array({{ elements | join(', ') }})
{%- endmacro %}

{#- Each element of a list through `body`, SQL over the element named `element`. -#}
{% macro list_map(expression, element, body) -%}
    {{ return(adapter.dispatch('list_map', 'echo_roots')(expression, element, body)) }}
{%- endmacro %}

{% macro duckdb__list_map(expression, element, body) -%}
    list_transform({{ expression }}, lambda {{ element }}: {{ body }})
{%- endmacro %}

{% macro spark__list_map(expression, element, body) -%}
    transform({{ expression }}, {{ element }} -> {{ body }})
{%- endmacro %}

{#- The elements of a list for which `condition` (SQL over the element named `element`) is
    true, in order. -#}
{% macro list_where(expression, element, condition) -%}
    {{ return(adapter.dispatch('list_where', 'echo_roots')(expression, element, condition)) }}
{%- endmacro %}

{% macro duckdb__list_where(expression, element, condition) -%}
    list_filter({{ expression }}, lambda {{ element }}: {{ condition }})
{%- endmacro %}

{% macro spark__list_where(expression, element, condition) -%}
    filter({{ expression }}, {{ element }} -> {{ condition }})
{%- endmacro %}

{#- The parts of the text split at `delimiter` (a literal string, not a pattern), as a list;
    empty parts included. -#}
{% macro split_text(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_text', 'echo_roots')(expression, delimiter)) }}
{%- endmacro %}

{% macro duckdb__split_text(expression, delimiter) -%}
    string_split({{ expression }}, '{{ delimiter | replace("'", "''") }}')
{%- endmacro %}

{#- (Spark splits at a Java pattern: the delimiter quoted as \Q...\E, and a limit of -1 keeps
    trailing empty parts. A literal taken as written cannot hold a quote: such a delimiter is
    refused.) -#}
{% macro spark__split_text(expression, delimiter) -%}
    {%- if "'" in delimiter or "\\E" in delimiter -%}
        {{ exceptions.raise_compiler_error("split_text on Spark: a delimiter with a quote or \\E") }}
    {%- endif -%}
    split({{ expression }}, '\Q{{ delimiter }}\E', -1)
{%- endmacro %}

{#- One row per element of a list (none for an empty or null list). Use at the top of a select
    list, once per select on Spark. -#}
{% macro unnest_list(expression) -%}
    {{ return(adapter.dispatch('unnest_list', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(expression) -%}
    unnest({{ expression }})
{%- endmacro %}

{% macro spark__unnest_list(expression) -%}
    explode({{ expression }})
{%- endmacro %}

{#- Two columns, one row per element of a list: the element, as `element`, and its position
    from 1, as `position` (none for an empty or null list). At the top of a select list. -#}
{% macro unnest_with_position(expression, element, position) -%}
    {{ return(adapter.dispatch('unnest_with_position', 'echo_roots')(expression, element, position)) }}
{%- endmacro %}

{% macro duckdb__unnest_with_position(expression, element, position) -%}
    unnest({{ expression }}) as {{ element }}, generate_subscripts({{ expression }}, 1) as {{ position }}
{%- endmacro %}

{#- (Spark: inline, a generator, over the elements as structs with their index, which
    transform counts from 0) -#}
{% macro spark__unnest_with_position(expression, element, position) -%}
    inline(transform({{ expression }}, (x, i) -> struct(x as {{ element }}, i + 1 as {{ position }})))
{%- endmacro %}

{#- The element of a list at a position from 1; null past its end. -#}
{% macro list_element(expression, index) -%}
    {{ return(adapter.dispatch('list_element', 'echo_roots')(expression, index)) }}
{%- endmacro %}

{% macro duckdb__list_element(expression, index) -%}
    {{ expression }}[{{ index }}]
{%- endmacro %}

{#- (Spark's `[]` counts from 0; try_element_at gives null, not an error, past the end) -#}
{% macro spark__list_element(expression, index) -%}
    try_element_at({{ expression }}, {{ index }})
{%- endmacro %}

{#- The number of elements of a list. -#}
{% macro list_length(expression) -%}
    {{ return(adapter.dispatch('list_length', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__list_length(expression) -%}
    len({{ expression }})
{%- endmacro %}

{#- (array_size: null for a null list, where size may give -1; a bigint as DuckDB's len) -#}
{% macro spark__list_length(expression) -%}
    cast(array_size({{ expression }}) as bigint)
{%- endmacro %}

{#- The elements of a list of text joined by `separator` (a literal), nulls left out. -#}
{% macro list_join(expression, separator) -%}
    {{ return(adapter.dispatch('list_join', 'echo_roots')(expression, separator)) }}
{%- endmacro %}

{% macro duckdb__list_join(expression, separator) -%}
    array_to_string({{ expression }}, '{{ separator | replace("'", "''") }}')
{%- endmacro %}

{% macro spark__list_join(expression, separator) -%}
    {%- if "'" in separator -%}
        {{ exceptions.raise_compiler_error("list_join on Spark: a separator with a quote") }}
    {%- endif -%}
    array_join({{ expression }}, '{{ separator }}')
{%- endmacro %}

{#- The elements of a list in ascending order, nulls last. -#}
{% macro list_sorted(expression) -%}
    {{ return(adapter.dispatch('list_sorted', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__list_sorted(expression) -%}
    list_sort({{ expression }}, 'ASC', 'NULLS LAST')
{%- endmacro %}

{% macro spark__list_sorted(expression) -%}
    array_sort({{ expression }})
{%- endmacro %}

{#- Aggregate: the distinct non-null values of `expression` in a group, as a list in ascending
    order (empty when there are none). -#}
{% macro sorted_set_agg(expression) -%}
    {{ return(adapter.dispatch('sorted_set_agg', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__sorted_set_agg(expression) -%}
    list_sort(list_distinct(list({{ expression }})))
{%- endmacro %}

{% macro spark__sorted_set_agg(expression) -%}
    array_sort(collect_set({{ expression }}))
{%- endmacro %}

{#- Aggregate: every non-null value of `expression` in a group, repeats kept, as a list in
    ascending order (empty when there are none). -#}
{% macro sorted_list_agg(expression) -%}
    {{ return(adapter.dispatch('sorted_list_agg', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__sorted_list_agg(expression) -%}
    list_sort(list_filter(list({{ expression }}), lambda element: element is not null))
{%- endmacro %}

{% macro spark__sorted_list_agg(expression) -%}
    array_sort(collect_list({{ expression }}))
{%- endmacro %}

{#- Aggregate: the distinct non-null elements of the lists `expression` in a group, as one
    list in ascending order (empty when there are none). -#}
{% macro sorted_set_union_agg(expression) -%}
    {{ return(adapter.dispatch('sorted_set_union_agg', 'echo_roots')(expression)) }}
{%- endmacro %}

{% macro duckdb__sorted_set_union_agg(expression) -%}
    list_sort(list_distinct(flatten(list({{ expression }}))))
{%- endmacro %}

{#- (collect_list leaves null lists out; flatten would give null for the group otherwise) -#}
{% macro spark__sorted_set_union_agg(expression) -%}
    array_sort(array_distinct(filter(flatten(collect_list({{ expression }})), element -> element is not null)))
{%- endmacro %}

{#- An empty list of `element_type` (a type name both engines read, such as `string`). -#}
{% macro empty_list(element_type) -%}
    {{ return(adapter.dispatch('empty_list', 'echo_roots')(element_type)) }}
{%- endmacro %}

{% macro duckdb__empty_list(element_type) -%}
    cast([] as {{ element_type }}[])
{%- endmacro %}

{% macro spark__empty_list(element_type) -%}
    cast(array() as array<{{ element_type }}>)
{%- endmacro %}
