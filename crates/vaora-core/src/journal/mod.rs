//! The on-device journal: one SQLite file in the app-data directory.
//!
//! `mod.rs` owns the connection (open, recover, pragmas), `schema.rs` the
//! migrations; the other files add queries next to the type they load:
//! `visits.rs` (check-in, check-out, listing), `people.rs`, `outbox.rs`,
//! `retention.rs`, `export.rs`. Every write the user is told about has
//! committed (WAL, `synchronous=FULL`) before the function returns.

mod alerts;
mod declarations;
mod directory;
mod export;
mod gate;
mod key;
mod outbox;
mod people;
mod retention;
mod schema;
mod server;
mod visits;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::Migrations;
use serde::Serialize;
use time::OffsetDateTime;

pub use alerts::Alert;
pub use declarations::StoredDeclaration;
pub use directory::VenueDetails;
pub use export::{ExportFormat, export_visits};
pub use gate::{GateCounters, GateEntry, GateOutcome};
pub use key::JournalKey;
pub use outbox::{OutboxItem, OutboxState};
pub use retention::PurgeReport;
pub use visits::{CheckIn, CheckInOutcome, Place, RESCAN_WINDOW, VisitCursor};

use crate::error::{Error, Result};
use crate::settings::{DEFAULT_RETENTION_DAYS, Language};

/// What the home screen shows: honest numbers straight from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalSummary {
    pub visits_total: u64,
    pub visits_since: u64,
    pub people: u64,
    pub open_visits: u64,
    pub outbox_pending: u64,
    /// Items the server refused; kept, with the reason.
    pub outbox_rejected: u64,
}

pub struct Journal {
    conn: Connection,
}

/// The result of [`Journal::open_or_recover`].
pub struct Opened {
    pub journal: Journal,
    /// Where an unreadable file was moved, if one was.
    pub moved_aside: Option<PathBuf>,
}

impl Journal {
    /// Opens the encrypted journal at `path`, creating it if missing, and
    /// upgrades the schema. A file this key cannot read (a foreign file, a
    /// damaged one, or one made with another key: SQLCipher cannot tell
    /// these apart) is reported and left untouched; see
    /// [`Journal::open_or_recover`] for the app's policy. A plaintext VaoRa
    /// journal (made before encryption) is encrypted in place first.
    pub fn open(path: &Path, key: &JournalKey) -> Result<Journal> {
        initialize_sqlite_once();
        if is_plaintext_sqlite(path) {
            encrypt_plaintext(path, key)?;
        }
        let mut conn = Connection::open(path).map_err(Error::Open)?;
        key.apply(&conn).map_err(Error::Open)?;
        // Reading the schema is the first thing that touches the file's
        // contents: an unreadable file fails here, before any write.
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(Error::NotAJournal)?;
        let known = schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(Error::TooNew { found, known });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(Error::NotAJournal)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Migrations::from_slice(schema::MIGRATIONS).to_latest(&mut conn)?;
        let journal = Journal { conn };
        journal.ensure_me()?;
        Ok(journal)
    }

    /// The app's policy: an unreadable file is moved aside (never deleted)
    /// to `<name>.unreadable-<unix seconds>`, and a fresh journal starts, so
    /// the user can keep checking in while someone looks at the old file.
    /// A journal from a newer VaoRa is not moved: updating the app fixes it.
    pub fn open_or_recover(path: &Path, key: &JournalKey, now: OffsetDateTime) -> Result<Opened> {
        match Journal::open(path, key) {
            Ok(journal) => Ok(Opened {
                journal,
                moved_aside: None,
            }),
            Err(Error::NotAJournal(_)) => {
                let aside = aside_path(path, now);
                std::fs::rename(path, &aside).map_err(Error::MoveAside)?;
                for suffix in ["-wal", "-shm"] {
                    let side = sidecar(path, suffix);
                    if side.exists() {
                        let _ = std::fs::rename(&side, sidecar(&aside, suffix));
                    }
                }
                tracing::warn!("unreadable journal moved aside; starting a fresh one");
                Ok(Opened {
                    journal: Journal::open(path, key)?,
                    moved_aside: Some(aside),
                })
            }
            Err(e) => Err(e),
        }
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
            open_visits: count(
                "SELECT count(*) FROM visit WHERE checked_out_at IS NULL",
                &[],
            )?,
            outbox_pending: count("SELECT count(*) FROM outbox WHERE state = 'pending'", &[])?,
            // Uses the partial index outbox_subject (state != 'sent').
            outbox_rejected: count(
                "SELECT count(*) FROM outbox WHERE state != 'sent' AND state = 'rejected'",
                &[],
            )?,
        })
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    pub fn language(&self) -> Result<Language> {
        // A value this build does not know falls back to Vietnamese.
        Ok(self
            .setting("language")?
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default())
    }

    pub fn set_language(&self, language: Language) -> Result<()> {
        self.set_setting("language", language.code())
    }

    /// Days visits and declarations are kept on the device.
    pub fn retention_days(&self) -> Result<u32> {
        Ok(self
            .setting("retention_days")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// 1 to 365 days; anything else is refused, not clamped silently.
    pub fn set_retention_days(&self, days: u32) -> Result<()> {
        if !(1..=365).contains(&days) {
            return Err(Error::InvalidSetting {
                key: "retention_days",
            });
        }
        self.set_setting("retention_days", &days.to_string())
    }

    /// Schema version of the open file (for diagnostics and the About screen).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

pub(crate) fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) fn from_unix_ms(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Finishes SQLite's one-time set-up before any journal connection opens.
///
/// SQLCipher registers its SQL functions (`sqlcipher_export`) in SQLite's
/// "extra init" step, which runs after `sqlite3_initialize` has already
/// marked the library ready and released its lock. A second thread opening
/// its first connection in that window gets a connection without those
/// functions, and encrypting a plaintext journal fails (seen in CI, about 1
/// run in 30 with two journals opened at once). Opening one throw-away
/// in-memory connection inside a `Once` makes every other caller wait until
/// set-up has completed.
fn initialize_sqlite_once() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        if let Err(error) = Connection::open_in_memory() {
            tracing::warn!(%error, "SQLite set-up failed");
        }
    });
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A SQLCipher file starts with random salt; a plain SQLite file with this
/// header.
fn is_plaintext_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == SQLITE_HEADER)
}

/// Copies a plaintext journal into an encrypted one (`sqlcipher_export`),
/// then replaces it. The plaintext copy is removed only after the encrypted
/// one is complete on disk.
fn encrypt_plaintext(path: &Path, key: &JournalKey) -> Result<()> {
    let tmp = sidecar(path, ".encrypting");
    let _ = std::fs::remove_file(&tmp);
    {
        let conn = Connection::open(path).map_err(Error::Open)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(Error::NotAJournal)?;
        conn.execute(
            &format!(
                "ATTACH DATABASE ?1 AS encrypted KEY \"x'{}'\"",
                key.to_hex()
            ),
            [tmp.to_string_lossy()],
        )?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
        ))?;
    }
    std::fs::rename(&tmp, path).map_err(Error::MoveAside)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
    tracing::info!("plaintext journal encrypted");
    Ok(())
}

fn aside_path(path: &Path, now: OffsetDateTime) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal.db".into());
    path.with_file_name(format!("{name}.unreadable-{}", now.unix_timestamp()))
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Relation;
    use time::macros::datetime;

    #[test]
    fn new_journal_has_its_owner_and_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap();
        assert_eq!(journal.me().unwrap().relation, Relation::Me);
        let s = journal.summary(datetime!(2026-01-01 0:00 UTC)).unwrap();
        assert_eq!((s.visits_total, s.people, s.outbox_pending), (0, 1, 0));
        assert_eq!(
            journal.schema_version().unwrap(),
            schema::MIGRATIONS.len() as i64
        );
    }

    #[test]
    fn settings_default_and_persist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let key = JournalKey::generate();
        let j = Journal::open(&path, &key).unwrap();
        assert_eq!(j.language().unwrap(), Language::Vi);
        assert_eq!(j.retention_days().unwrap(), 21);
        j.set_language(Language::En).unwrap();
        j.set_retention_days(14).unwrap();
        assert!(j.set_retention_days(0).is_err());
        assert!(j.set_retention_days(366).is_err());
        drop(j);
        let j = Journal::open(&path, &key).unwrap();
        assert_eq!(j.language().unwrap(), Language::En);
        assert_eq!(j.retention_days().unwrap(), 14);
    }

    #[test]
    fn a_foreign_file_is_reported_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let junk = b"this is a photo, not a database, and it matters to someone".repeat(100);
        std::fs::write(&path, &junk).unwrap();
        let err = Journal::open(&path, &JournalKey::generate())
            .err()
            .expect("must refuse");
        assert!(matches!(err, Error::NotAJournal(_)), "{err:?}");
        assert_eq!(err.message_key(), "error.journal.notAJournal");
        assert_eq!(std::fs::read(&path).unwrap(), junk);
    }

    #[test]
    fn the_app_moves_a_foreign_file_aside_and_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        let junk = b"not sqlite at all".repeat(300);
        std::fs::write(&path, &junk).unwrap();
        let opened = Journal::open_or_recover(
            &path,
            &JournalKey::generate(),
            datetime!(2026-11-25 8:00 UTC),
        )
        .unwrap();
        let aside = opened.moved_aside.expect("moved aside");
        assert_eq!(
            aside.file_name().unwrap(),
            "journal.db.unreadable-1795593600"
        );
        assert_eq!(
            std::fs::read(&aside).unwrap(),
            junk,
            "the old bytes are kept"
        );
        assert_eq!(
            opened
                .journal
                .summary(datetime!(2026-01-01 0:00 UTC))
                .unwrap()
                .visits_total,
            0
        );
    }

    #[test]
    fn the_journal_is_encrypted_at_rest_and_another_key_cannot_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let key = JournalKey::generate();
        let j = Journal::open(&path, &key).unwrap();
        j.set_setting("probe", "Nguyễn Thị Minh Khai 0901234567")
            .unwrap();
        drop(j);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(SQLITE_HEADER));
        let needle = "0901234567".as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "plaintext on disk"
        );
        let err = Journal::open(&path, &JournalKey::generate())
            .err()
            .expect("wrong key refused");
        assert!(matches!(err, Error::NotAJournal(_)), "{err:?}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "a wrong key never changes the file"
        );
        assert!(Journal::open(&path, &key).is_ok());
    }

    #[test]
    fn keys_round_trip_through_hex_and_bad_hex_is_refused() {
        let key = JournalKey::generate();
        assert_eq!(JournalKey::from_hex(&key.to_hex()), Some(key.clone()));
        assert_eq!(JournalKey::from_hex("abc"), None);
        assert_eq!(format!("{key:?}"), "JournalKey(…)");
    }

    /// A full disk, reproduced with SQLite's own size cap (the same
    /// SQLITE_FULL a full flash chip gives): the failing check-in reports
    /// `StorageFull`, leaves no half-written row, and every earlier visit
    /// and its outbox item survive; with space again, check-in works.
    #[test]
    fn a_full_disk_is_reported_and_leaves_no_half_written_rows() {
        use crate::venue::{EntranceNo, Venue, VenueId, VenueKind};
        use crate::visit::{Verification, VisitSource};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let key = JournalKey::generate();
        let mut j = Journal::open(&path, &key).unwrap();
        let me = j.me().unwrap().id;
        let pages: i64 = j
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        j.conn
            .pragma_update(None, "max_page_count", pages + 4)
            .unwrap();
        let check_in = |j: &mut Journal, n: u64| {
            j.check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: Venue {
                        id: VenueId(1_000 + n),
                        short_name: format!("Trạm y tế phường Bến Nghé số {n} — cổng chính"),
                        commune: None,
                        kind: VenueKind::Other,
                        default_stay_minutes: 30,
                    },
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at: datetime!(2026-11-25 8:00 UTC) + time::Duration::minutes(n as i64),
            })
        };
        let mut acknowledged = Vec::new();
        let err = loop {
            match check_in(&mut j, acknowledged.len() as u64) {
                Ok(CheckInOutcome::CheckedIn(v)) => {
                    acknowledged.extend(v.into_iter().map(|v| v.id))
                }
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => break e,
            }
            assert!(acknowledged.len() < 100_000, "the cap never bit");
        };
        assert!(matches!(err, Error::StorageFull(_)), "{err:?}");
        assert_eq!(err.message_key(), "error.journal.full");
        assert!(acknowledged.len() > 5, "only {} fitted", acknowledged.len());

        let counts = |j: &Journal| -> (i64, i64, i64) {
            j.conn
                .query_row(
                    "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM outbox),
                            (SELECT count(*) FROM venue)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap()
        };
        let n = acknowledged.len() as i64;
        assert_eq!(counts(&j), (n, n, n), "no half-written check-in");
        for id in &acknowledged {
            j.visit(*id).expect("acknowledged visit present");
        }
        let ok: String = j
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");

        // Space freed (the cap lifted, as after deleting photos): it works again,
        // and after a restart everything is still there.
        j.conn
            .pragma_update(None, "max_page_count", 1_000_000)
            .unwrap();
        check_in(&mut j, 99_999).expect("works again");
        drop(j);
        let j = Journal::open(&path, &key).unwrap();
        assert_eq!(counts(&j), (n + 1, n + 1, n + 1));
    }

    #[test]
    fn a_journal_from_a_newer_version_is_refused_and_not_moved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let key = JournalKey::generate();
        let conn = Connection::open(&path).unwrap();
        key.apply(&conn).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Journal::open_or_recover(&path, &key, datetime!(2026-11-25 8:00 UTC))
            .err()
            .expect("must refuse");
        assert!(matches!(err, Error::TooNew { found: 99, .. }), "{err:?}");
        assert!(path.exists());
    }
}
