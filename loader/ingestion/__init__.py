"""Ingestion: files of items and extraction results into raw.*, every row loaded or kept in
raw.rejected_rows with the reason; the raw schema's migrations; the loader's status."""
