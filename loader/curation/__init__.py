"""Curation: turning existing taxonomies into the domain pack's seeds (never touches the
warehouse; the seeds are reviewed in pull requests and the next dbt build applies them)."""
