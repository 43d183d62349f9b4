-- vaora-server schema, SQLite. Times are Unix milliseconds; ids made by
-- clients are 16-byte UUIDs. Keep in step with ../postgres/0001_init.sql:
-- the same tables and columns, so one query layer serves both.

-- Bearer tokens: only a SHA-256 of each token is stored.
CREATE TABLE token (
    hash       BLOB PRIMARY KEY NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('authority', 'registrar', 'device')),
    device_id  BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE device (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('citizen', 'gate')),
    venue_id   BIGINT,
    entrance   INTEGER,
    created_at BIGINT NOT NULL
);

CREATE TABLE venue (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Every item id ever stored: a resent item is a duplicate, not a new record.
CREATE TABLE sync_item (
    id          BLOB PRIMARY KEY NOT NULL,
    device_id   BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX sync_item_by_time ON sync_item (received_at);

-- Visits, keyed by the partition column first (as in Postgres, where the
-- table is partitioned by day and the key must include it).
CREATE TABLE visit (
    checked_in_at  BIGINT NOT NULL,
    id             BLOB NOT NULL,
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
);
CREATE INDEX visit_by_venue ON visit (venue_id, checked_in_at);
