-- The two columns unique to (almost) every row, the item id and the record hash, are stored
-- with FSST string compression, named here. Left to choose, DuckDB tries every method on every
-- segment a load writes and picks FSST for them anyway: naming it saved 0.1-0.2 s of a 2.9 s
-- load of a million short rows, same file size. Other columns keep DuckDB's choice: forcing
-- FSST on titles and JSON documents saved more on unique rows but tripled the file where they
-- repeat (dictionary compression). DuckDB cannot change a column's compression in place: the
-- tables are rebuilt, rows in order.

alter table raw.ingestion_items rename to ingestion_items_before_002;

create table raw.ingestion_items (
    item_id        varchar not null using compression fsst,
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
    _record_hash   varchar not null using compression fsst
);

insert into raw.ingestion_items select * from raw.ingestion_items_before_002;

drop table raw.ingestion_items_before_002;

alter table raw.extraction_results rename to extraction_results_before_002;

create table raw.extraction_results (
    item_id            varchar not null using compression fsst,
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
    _record_hash       varchar not null using compression fsst
);

insert into raw.extraction_results select * from raw.extraction_results_before_002;

drop table raw.extraction_results_before_002;
