-- People recorded by gate devices (gate mode): each entry's latest state,
-- upserted by id like a visit. Either the declaration staff confirmed
-- (answers, JSON) or the personal pass they scanned, still sealed for the
-- authority key (opened only when a tracing query needs it). Purged with
-- visits.
CREATE TABLE gate_entry (
    id             BYTEA PRIMARY KEY NOT NULL,
    device_id      BIGINT NOT NULL,
    venue_id       BIGINT NOT NULL,
    entrance       INTEGER NOT NULL,
    checked_in_at  BIGINT NOT NULL,
    checked_out_at BIGINT,
    voided         BOOLEAN NOT NULL,
    answers        TEXT,
    pass           TEXT,
    received_at    BIGINT NOT NULL
);
CREATE INDEX gate_entry_by_venue ON gate_entry (venue_id, checked_in_at);
CREATE INDEX gate_entry_by_time ON gate_entry (checked_in_at);
