-- Risky-venue entries the authority publishes: a case was at a venue
-- (entrance optional) during a window. `signed` is the entry as devices
-- download it (vaora_core::risk::SignedRiskyEntry, JSON), signed once when
-- made. The id is the list's cursor.
CREATE TABLE risky_entry (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    venue_id   BIGINT NOT NULL,
    entrance   INTEGER,
    from_s     BIGINT NOT NULL,
    to_s       BIGINT NOT NULL,
    signed     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX risky_entry_by_venue ON risky_entry (venue_id, from_s);
