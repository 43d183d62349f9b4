-- Health declarations from citizens' phones (and, later, gates). The
-- answers are kept as the JSON the shared wire type defines, checked on
-- the way in (vaora_core::wire::DeclarationRecord::check); only the
-- columns tracing needs are broken out. Purged with visits.
CREATE TABLE declaration (
    id          BYTEA PRIMARY KEY NOT NULL,
    device_id   BIGINT NOT NULL,
    person      BIGINT,
    visit_id    BYTEA,
    declared_at BIGINT NOT NULL,
    answers     TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX declaration_by_time ON declaration (declared_at);
CREATE INDEX declaration_by_visit ON declaration (visit_id);
