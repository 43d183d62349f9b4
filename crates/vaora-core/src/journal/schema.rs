//! The journal's schema history. Append only: never edit a migration that
//! has shipped; `tests/journal_upgrade.rs` opens a file of every earlier
//! version and upgrades it.

use rusqlite_migration::M;

pub(crate) const MIGRATIONS: &[M<'static>] = &[
    // v1: the first release.
    M::up(
        "CREATE TABLE setting (
             key   TEXT PRIMARY KEY NOT NULL,
             value TEXT NOT NULL
         ) STRICT;
         CREATE TABLE person (
             id           INTEGER PRIMARY KEY,
             display_name TEXT NOT NULL,
             relation     TEXT NOT NULL CHECK (relation IN ('me', 'dependent'))
         ) STRICT;
         CREATE UNIQUE INDEX one_me ON person(relation) WHERE relation = 'me';
         CREATE TABLE venue (
             id                   INTEGER PRIMARY KEY,
             short_name           TEXT NOT NULL,
             commune              INTEGER,
             kind                 INTEGER NOT NULL,
             default_stay_minutes INTEGER NOT NULL
         ) STRICT;
         CREATE TABLE visit (
             id             BLOB PRIMARY KEY NOT NULL,
             person_id      INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
             venue_id       INTEGER NOT NULL REFERENCES venue(id),
             entrance       INTEGER NOT NULL,
             checked_in_at  INTEGER NOT NULL,
             checked_out_at INTEGER,
             source         TEXT NOT NULL CHECK (source IN ('scan', 'manual', 'gate')),
             verified       INTEGER NOT NULL CHECK (verified IN (0, 1))
         ) STRICT;
         CREATE INDEX visit_by_time ON visit(checked_in_at);",
    ),
    // v2: manual places (no venue), check-out kinds and planned automatic
    // check-out, groups, why a visit is unverified; declarations; outbox.
    // SQLite cannot drop NOT NULL in place, so `visit` is rebuilt, and
    // WITHOUT ROWID: its UUID key is the table's only key, saving an index.
    M::up(
        "CREATE TABLE visit_v2 (
             id                  BLOB PRIMARY KEY NOT NULL,
             person_id           INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
             venue_id            INTEGER REFERENCES venue(id),
             entrance            INTEGER NOT NULL DEFAULT 0,
             place_name          TEXT NOT NULL,
             commune             INTEGER,
             checked_in_at       INTEGER NOT NULL,
             planned_checkout_at INTEGER,
             checked_out_at      INTEGER,
             checkout_kind       TEXT CHECK (checkout_kind IN ('manual', 'stay_over', 'next_check_in')),
             source              TEXT NOT NULL CHECK (source IN ('scan', 'manual', 'gate')),
             verified            INTEGER NOT NULL CHECK (verified IN (0, 1)),
             unverified_reason   TEXT,
             group_id            BLOB,
             CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
         ) STRICT, WITHOUT ROWID;
         INSERT INTO visit_v2 (id, person_id, venue_id, entrance, place_name, commune,
                               checked_in_at, planned_checkout_at, checked_out_at,
                               checkout_kind, source, verified)
             SELECT v.id, v.person_id, v.venue_id, v.entrance, ve.short_name, ve.commune,
                    v.checked_in_at, v.checked_in_at + ve.default_stay_minutes * 60000,
                    v.checked_out_at,
                    CASE WHEN v.checked_out_at IS NULL THEN NULL ELSE 'manual' END,
                    v.source, v.verified
             FROM visit v JOIN venue ve ON ve.id = v.venue_id;
         DROP TABLE visit;
         ALTER TABLE visit_v2 RENAME TO visit;
         CREATE INDEX visit_by_time ON visit(checked_in_at, id);
         CREATE INDEX visit_open ON visit(person_id) WHERE checked_out_at IS NULL;
         CREATE TABLE declaration (
             id         BLOB PRIMARY KEY NOT NULL,
             person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
             visit_id   BLOB REFERENCES visit(id) ON DELETE SET NULL,
             answers    TEXT NOT NULL,
             created_at INTEGER NOT NULL
         ) STRICT;
         CREATE INDEX declaration_by_time ON declaration(created_at);
         CREATE TABLE outbox (
             id              BLOB PRIMARY KEY NOT NULL,
             kind            TEXT NOT NULL,
             subject         BLOB NOT NULL,
             -- NULL for kind 'visit': the body is the visit row as it is
             -- when sent, so a check-out before sync adds nothing.
             body            TEXT,
             state           TEXT NOT NULL DEFAULT 'pending'
                             CHECK (state IN ('pending', 'sent', 'rejected')),
             attempts        INTEGER NOT NULL DEFAULT 0,
             next_attempt_at INTEGER,
             last_error      TEXT,
             created_at      INTEGER NOT NULL
         ) STRICT, WITHOUT ROWID;
         -- Partial indexes: once sync has sent an item it costs no index space.
         CREATE INDEX outbox_pending ON outbox(created_at) WHERE state = 'pending';
         CREATE INDEX outbox_subject ON outbox(subject) WHERE state != 'sent';",
    ),
    // v3: a visit's check-out reminder is raised once.
    M::up(
        "ALTER TABLE visit ADD COLUMN reminded INTEGER NOT NULL DEFAULT 0
             CHECK (reminded IN (0, 1));",
    ),
    // v4: gate mode. One row per person through this device's gate; the
    // declaration (or the sealed personal pass) is kept with the entry.
    M::up(
        "CREATE TABLE gate_entry (
             id              BLOB PRIMARY KEY NOT NULL,
             venue_id        INTEGER NOT NULL,
             entrance        INTEGER NOT NULL,
             -- who, for spotting a second scan (see gate::SubjectKey)
             subject_key     TEXT NOT NULL,
             given_name      TEXT NOT NULL,
             needs_attention INTEGER NOT NULL CHECK (needs_attention IN (0, 1)),
             declaration     TEXT,
             pass            TEXT,
             checked_in_at   INTEGER NOT NULL,
             checked_out_at  INTEGER,
             voided          INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
             CHECK ((declaration IS NULL) <> (pass IS NULL)),
             CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
         ) STRICT, WITHOUT ROWID;
         CREATE INDEX gate_entry_by_time ON gate_entry(checked_in_at);
         CREATE INDEX gate_entry_by_subject ON gate_entry(subject_key, checked_in_at);",
    ),
    // v5: exposure alerts. The verified risky-venue entries the device
    // downloaded (matched again as new visits arrive), and one alert per
    // (entry, visit) match, raised once.
    M::up(
        "CREATE TABLE risky_entry (
             id        INTEGER PRIMARY KEY,
             venue_id  INTEGER NOT NULL,
             entrance  INTEGER,
             from_ms   INTEGER NOT NULL,
             to_ms     INTEGER NOT NULL,
             advice_vi TEXT NOT NULL,
             advice_en TEXT NOT NULL
         ) STRICT;
         CREATE TABLE alert (
             entry_id  INTEGER NOT NULL REFERENCES risky_entry(id) ON DELETE CASCADE,
             visit_id  BLOB NOT NULL REFERENCES visit(id) ON DELETE CASCADE,
             overlap_s INTEGER NOT NULL,
             raised_at INTEGER NOT NULL,
             PRIMARY KEY (entry_id, visit_id)
         ) STRICT, WITHOUT ROWID;",
    ),
    // v6: the signed venue directory (full names and addresses) for the
    // communes this device has visited, with a download cursor per commune.
    M::up(
        "CREATE TABLE directory_venue (
             venue_id INTEGER PRIMARY KEY,
             commune  INTEGER NOT NULL,
             name     TEXT NOT NULL,
             address  TEXT NOT NULL
         ) STRICT;
         CREATE TABLE directory_cursor (
             commune INTEGER PRIMARY KEY,
             after   INTEGER NOT NULL
         ) STRICT;",
    ),
];
