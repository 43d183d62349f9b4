-- Scans per checkpoint and Vietnamese calendar day (days since 1970-01-01
-- in UTC+7): a phone's check-in at a registered venue, or a gate's entry
-- that was not voided. Kept by ingest in the same transaction as the
-- records it counts, so the activity statistics read a few hundred
-- thousand counts instead of recounting tens of millions of visits (the
-- scale benchmark: 10 million visits, 30 days). Keep in step with
-- ../sqlite/0005_scan_counts.sql.
CREATE TABLE venue_day_scans (
    day      BIGINT NOT NULL,
    venue_id BIGINT NOT NULL,
    scans    BIGINT NOT NULL,
    PRIMARY KEY (day, venue_id)
);
-- What was stored before this migration, counted once.
INSERT INTO venue_day_scans (day, venue_id, scans)
SELECT day, venue_id, sum(n) FROM (
    SELECT (checked_in_at + 25200000) / 86400000 AS day, venue_id, count(*) AS n
    FROM visit WHERE venue_id IS NOT NULL
    GROUP BY 1, 2
    UNION ALL
    SELECT (checked_in_at + 25200000) / 86400000 AS day, venue_id, count(*) AS n
    FROM gate_entry WHERE NOT voided
    GROUP BY 1, 2
) scans
GROUP BY day, venue_id;
-- The tracing query looks up each contact's latest declaration by device
-- and person: without this, one seek became a scan of every declaration
-- for every contact.
CREATE INDEX declaration_by_person ON declaration (device_id, person, declared_at);
