-- How well each extraction model and run did: what it delivered, how much of it the
-- vocabulary understood, and how much the loader refused.
with extraction_results as (
    select * from {{ ref('stg_raw__extraction_results') }}
),

-- the observations counted per build partition and run, not read one by one
observation_counts as (
    select * from {{ ref('extraction_run_counts') }}
    where provenance = 'extraction'
),

extracted_terms as (
    select * from {{ ref('int_extracted_terms_unnested') }}
),

rejected_rows as (
    select * from {{ ref('stg_raw__rejected_rows') }}
    where kind = 'extractions'
),

result_metrics as (
    select
        model,
        run_id,
        -- staging holds one result per item and run (its unique_combination test): a run's
        -- items are its results, counted without a distinct over every result
        count(*) as items,
        count(*) as extraction_results,
        min(extracted_at) as first_extracted_at,
        max(extracted_at) as last_extracted_at
    from extraction_results
    group by model, run_id
),

observation_metrics as (
    select
        model,
        run_id,
        sum(observations)::bigint as observations,
        sum(observations_unmatched)::bigint as observations_unmatched,
        (sum(confidence_sum) / nullif(sum(observations_with_confidence), 0))::double
            as avg_confidence
    from observation_counts
    group by model, run_id
),

term_metrics as (
    select
        model,
        run_id,
        count(*) as free_terms
    from extracted_terms
    group by model, run_id
),

rejected_metrics as (
    -- a line that does not parse names no run; one that parses but lacks a field still
    -- names what it has, so a missing model does not hide its run
    select
        case when payload_is_json then coalesce(payload_model, '(missing)')
            else '(unparseable)' end as model,
        case when payload_is_json then coalesce(payload_run_id, '(missing)')
            else '(unparseable)' end as run_id,
        count(*) as rows_rejected
    from rejected_rows
    group by all
),

runs as (
    select model, run_id from result_metrics
    union
    select model, run_id from rejected_metrics
),

final as (
    select
        runs.model,
        runs.run_id,
        coalesce(result_metrics.items, 0) as items,
        coalesce(result_metrics.extraction_results, 0) as extraction_results,
        coalesce(observation_metrics.observations, 0) as observations,
        coalesce(observation_metrics.observations_unmatched, 0) as observations_unmatched,
        coalesce(term_metrics.free_terms, 0) as free_terms,
        round(observation_metrics.avg_confidence, 4) as avg_confidence,
        round(observation_metrics.observations_unmatched
            / nullif(observation_metrics.observations, 0), 4) as share_unmatched,
        coalesce(rejected_metrics.rows_rejected, 0) as rows_rejected,
        -- runs has a row only where something was loaded or rejected: never 0 / 0
        round(coalesce(rejected_metrics.rows_rejected, 0)
            / (coalesce(result_metrics.extraction_results, 0)
                + coalesce(rejected_metrics.rows_rejected, 0)), 4) as share_rejected_at_load,
        result_metrics.first_extracted_at,
        result_metrics.last_extracted_at
    from runs
    left join result_metrics using (model, run_id)
    left join observation_metrics using (model, run_id)
    left join term_metrics using (model, run_id)
    left join rejected_metrics using (model, run_id)
)

select * from final
