//! The on-device journal: one SQLite file in the app-data directory.
//!
//! This module owns the connection, the schema and its migrations. Every
//! write the user is told about has committed (WAL, `synchronous=FULL`)
//! before the function returns.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::person::{Person, PersonId, Relation};
use crate::settings::Language;
use crate::venue::{EntranceNo, Venue, VenueId};
use crate::visit::{Visit, VisitId, VisitSource};

/// Schema history. Append only: never edit a migration that has shipped.
const MIGRATIONS: &[M<'static>] = &[M::up(
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
)];

/// What the home screen shows: honest numbers straight from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalSummary {
    pub visits_total: u64,
    pub visits_since: u64,
    pub people: u64,
}

pub struct Journal {
    conn: Connection,
}

impl Journal {
    /// Opens the journal at `path`, creating it (and its parent directory's
    /// file) if missing, and upgrades the schema. A file that is not a VaoRa
    /// database is reported and left untouched.
    pub fn open(path: &Path) -> Result<Journal> {
        let mut conn = Connection::open(path).map_err(Error::Open)?;
        // Reading the schema is the first thing that touches the file's
        // contents: a foreign or corrupt file fails here, before any write.
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(Error::NotAJournal)?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(Error::TooNew { found, known });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        let journal = Journal { conn };
        journal.ensure_me()?;
        Ok(journal)
    }

    fn ensure_me(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO person (display_name, relation)
             SELECT '', 'me' WHERE NOT EXISTS (SELECT 1 FROM person WHERE relation = 'me')",
            [],
        )?;
        Ok(())
    }

    /// The phone's owner.
    pub fn me(&self) -> Result<Person> {
        Ok(self.conn.query_row(
            "SELECT id, display_name FROM person WHERE relation = 'me'",
            [],
            |r| {
                Ok(Person {
                    id: PersonId(r.get(0)?),
                    display_name: r.get(1)?,
                    relation: Relation::Me,
                })
            },
        )?)
    }

    /// Caches a venue learned from a code or a manual entry; a newer short
    /// name replaces the old one.
    pub fn remember_venue(&self, venue: &Venue) -> Result<()> {
        self.conn.execute(
            "INSERT INTO venue (id, short_name, commune, kind, default_stay_minutes)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET short_name = excluded.short_name,
                 commune = excluded.commune, kind = excluded.kind,
                 default_stay_minutes = excluded.default_stay_minutes",
            params![
                venue_id_to_sql(venue.id),
                venue.short_name,
                venue.commune.map(|c| c.0),
                venue.kind.code(),
                venue.default_stay_minutes,
            ],
        )?;
        Ok(())
    }

    /// Records a check-in. Returns only after the row is durable.
    pub fn check_in(
        &self,
        person: PersonId,
        venue: VenueId,
        entrance: EntranceNo,
        source: VisitSource,
        verified: bool,
        at: OffsetDateTime,
    ) -> Result<Visit> {
        let visit = Visit {
            id: VisitId::new(),
            person,
            venue,
            entrance,
            checked_in_at: at,
            checked_out_at: None,
            source,
            verified,
        };
        self.conn.execute(
            "INSERT INTO visit (id, person_id, venue_id, entrance, checked_in_at, source, verified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                visit.id.0.as_bytes(),
                person.0,
                venue_id_to_sql(venue),
                entrance.0,
                unix_ms(at),
                source.code(),
                verified,
            ],
        )?;
        Ok(visit)
    }

    /// Counts for the home screen; `since` is the start of the user's day.
    pub fn summary(&self, since: OffsetDateTime) -> Result<JournalSummary> {
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, p, |r| r.get(0))?;
            Ok(n.max(0) as u64)
        };
        Ok(JournalSummary {
            visits_total: count("SELECT count(*) FROM visit", &[])?,
            visits_since: count(
                "SELECT count(*) FROM visit WHERE checked_in_at >= ?1",
                &[&unix_ms(since)],
            )?,
            people: count("SELECT count(*) FROM person", &[])?,
        })
    }

    pub fn language(&self) -> Result<Language> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'language'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        // A value this build does not know falls back to Vietnamese.
        Ok(stored
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default())
    }

    pub fn set_language(&self, language: Language) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES ('language', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [language.code()],
        )?;
        Ok(())
    }

    /// Schema version of the open file (for diagnostics and the About screen).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Venue ids are u64 on the wire; SQLite integers are i64. The bit pattern is
/// kept, so ids above i64::MAX round-trip as negative numbers in the file.
fn venue_id_to_sql(id: VenueId) -> i64 {
    id.0 as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::VenueKind;
    use time::macros::datetime;

    fn shop() -> Venue {
        Venue {
            id: VenueId(42),
            short_name: "Tạp hoá Cô Ba".into(),
            commune: None,
            kind: VenueKind::Shop,
            default_stay_minutes: VenueKind::Shop.default_stay_minutes(),
        }
    }

    #[test]
    fn new_journal_has_its_owner_and_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.db")).unwrap();
        assert_eq!(journal.me().unwrap().relation, Relation::Me);
        let s = journal.summary(datetime!(2026-01-01 0:00 UTC)).unwrap();
        assert_eq!(
            s,
            JournalSummary {
                visits_total: 0,
                visits_since: 0,
                people: 1
            }
        );
        assert_eq!(journal.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn check_ins_survive_reopening_and_count_by_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        {
            let journal = Journal::open(&path).unwrap();
            let me = journal.me().unwrap().id;
            journal.remember_venue(&shop()).unwrap();
            for at in [
                datetime!(2026-11-24 9:00 UTC),
                datetime!(2026-11-25 8:00 UTC),
            ] {
                journal
                    .check_in(me, VenueId(42), EntranceNo(1), VisitSource::Scan, true, at)
                    .unwrap();
            }
        }
        let journal = Journal::open(&path).unwrap();
        let s = journal.summary(datetime!(2026-11-25 0:00 UTC)).unwrap();
        assert_eq!((s.visits_total, s.visits_since, s.people), (2, 1, 1));
    }

    #[test]
    fn language_defaults_to_vietnamese_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        assert_eq!(
            Journal::open(&path).unwrap().language().unwrap(),
            Language::Vi
        );
        Journal::open(&path)
            .unwrap()
            .set_language(Language::En)
            .unwrap();
        assert_eq!(
            Journal::open(&path).unwrap().language().unwrap(),
            Language::En
        );
    }

    #[test]
    fn a_foreign_file_is_reported_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let junk = b"this is a photo, not a database, and it matters to someone".repeat(100);
        std::fs::write(&path, &junk).unwrap();
        let err = Journal::open(&path).err().expect("must refuse");
        assert!(matches!(err, Error::NotAJournal(_)), "{err:?}");
        assert_eq!(err.message_key(), "error.journal.notAJournal");
        assert_eq!(std::fs::read(&path).unwrap(), junk);
    }

    #[test]
    fn a_journal_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Journal::open(&path).err().expect("must refuse");
        assert!(matches!(err, Error::TooNew { found: 99, .. }), "{err:?}");
    }
}
