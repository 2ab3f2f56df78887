-- The raw layer: rows exactly as delivered, the load ledger, and rejected rows.
-- Owned by the loader; dbt only reads it (models/staging/raw/_raw__sources.yml).

create table raw.load_batches (
    load_id            varchar primary key,
    kind               varchar not null,      -- items | extractions
    file_path          varchar not null,
    file_sha256        varchar not null,
    rows_read          bigint not null,
    rows_loaded        bigint not null,
    rows_rejected      bigint not null,
    status             varchar not null,      -- loaded (a batch is committed whole or not at all)
    started_at         timestamptz not null,
    finished_at        timestamptz not null,
    loader_version     varchar not null,
    raw_schema_version integer not null
);

create table raw.ingestion_items (
    item_id        varchar not null,
    title          varchar not null,
    description    varchar,
    raw_category   varchar,
    raw_attributes json not null,
    source         varchar not null,
    language       varchar not null,
    metadata       json not null,
    ingested_at    timestamptz not null,
    _load_id       varchar not null,
    _line_number   bigint not null,
    _loaded_at     timestamptz not null,
    _record_hash   varchar not null
);

create table raw.extraction_results (
    item_id            varchar not null,
    attributes         json not null,
    terms              json not null,
    metadata           json not null,
    model              varchar not null,
    run_id             varchar not null,
    extracted_at       timestamptz,
    processing_time_ms bigint,
    _load_id           varchar not null,
    _line_number       bigint not null,
    _loaded_at         timestamptz not null,
    _record_hash       varchar not null
);

create table raw.rejected_rows (
    load_id       varchar not null,
    kind          varchar not null,
    file_path     varchar not null,
    line_number   bigint not null,
    rule          varchar not null,
    field         varchar,
    message       varchar not null,
    payload       varchar,                    -- the line verbatim (null only when not UTF-8)
    payload_bytes blob,                       -- the bytes verbatim when the line is not UTF-8
    rejected_at   timestamptz not null
);
