-- Every pattern rule of the domain pack does what its example says: the example input
-- matches the rule's pattern, and the rule makes the example output of it. A rule that
-- fails here is a row of this test's result.
{{ config(severity='error', group='taxonomy_warehouse') }}
with rules as (
    select * from {{ ref('stg_domain_pack__value_rules') }}
),

applied as (
    select
        rules.rule_id,
        rules.attribute_id,
        rules.example_input,
        rules.example_output,
        {{ matches_pattern('trim(rules.example_input)', 'rules.pattern') }} as example_matches,
        {{ apply_value_rule('trim(rules.example_input)') }} as rule_output
    from rules
)

select *
from applied
where not example_matches or rule_output is distinct from trim(example_output)
