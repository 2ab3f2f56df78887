{#- Fails on every row whose validity window is not well formed: valid_from is required and
    must come before valid_to when valid_to is set (an open window has no valid_to). -#}
{% test valid_window(model, from_column='valid_from', to_column='valid_to') %}
    select *
    from {{ model }}
    where {{ from_column }} is null
       or ({{ to_column }} is not null and {{ to_column }} <= {{ from_column }})
{% endtest %}
