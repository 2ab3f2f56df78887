"""The project on engines other than DuckDB: what the Spark target needs beside dbt."""
