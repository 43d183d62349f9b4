-- vaora-server schema, PostgreSQL. Times are Unix milliseconds; ids made
-- by clients are 16-byte UUIDs (bytea). Keep in step with
-- ../sqlite/0001_init.sql: the same tables and columns.

CREATE TABLE token (
    hash       BYTEA PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('authority', 'registrar', 'device')),
    device_id  BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE device (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('citizen', 'gate')),
    venue_id   BIGINT,
    entrance   INTEGER,
    created_at BIGINT NOT NULL
);

CREATE TABLE venue (
    id                   BIGSERIAL PRIMARY KEY,
    name                 TEXT NOT NULL,
    short_name           TEXT NOT NULL,
    address              TEXT NOT NULL,
    commune              INTEGER NOT NULL,
    kind                 INTEGER NOT NULL,
    default_stay_minutes INTEGER NOT NULL,
    entrances            INTEGER NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE INDEX venue_by_commune ON venue (commune);

CREATE TABLE sync_item (
    id          BYTEA PRIMARY KEY,
    device_id   BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX sync_item_by_time ON sync_item (received_at);

-- Partitioned by day of check-in: retention drops whole partitions, and a
-- tracing query for a few days reads only those days. Partitions are made
-- by the server before it first writes a day (db::partitions).
CREATE TABLE visit (
    checked_in_at  BIGINT NOT NULL,
    id             BYTEA NOT NULL,
    device_id      BIGINT NOT NULL,
    person         BIGINT NOT NULL,
    venue_id       BIGINT,
    entrance       INTEGER NOT NULL,
    place_name     TEXT NOT NULL,
    commune        INTEGER,
    checked_out_at BIGINT,
    source         TEXT NOT NULL,
    verified       BOOLEAN NOT NULL,
    received_at    BIGINT NOT NULL,
    PRIMARY KEY (checked_in_at, id)
) PARTITION BY RANGE (checked_in_at);
CREATE INDEX visit_by_venue ON visit (venue_id, checked_in_at);
