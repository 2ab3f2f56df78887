"""The echo-roots version: pyproject.toml reads it from here, the loader stamps it into the
ledger and the published copy, and dbt_project.yml must say the same (a test checks)."""

__version__ = "0.1.0"
