use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use time::{OffsetDateTime, UtcOffset};
use vaora_core::calendar::vietnam_date;
use vaora_core::venue_code::{DEFAULT_HOST, KeyRing};
use vaora_core::{Journal, ScanContext};

use crate::JOURNAL_FILE;
use crate::keystore::{KeyHome, journal_key};
use crate::views::UiError;

/// The key ring shipped with the app; sync replaces it with a file in the
/// app-data directory (`trusted-keys.json`), which wins when present.
const SHIPPED_KEYS: &str = include_str!("../../assets/trusted-keys.json");
pub const SYNCED_KEYS_FILE: &str = "trusted-keys.json";
const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

/// Everything the commands share. The journal may have failed to open (a
/// newer schema, no disk): the app still starts and the UI says what
/// happened instead of the app vanishing.
pub struct AppState {
    journal: Result<Mutex<Journal>, UiError>,
    pub journal_path: Option<PathBuf>,
    /// Set when an unreadable journal was moved aside at start.
    pub moved_aside: Option<PathBuf>,
    /// Replaced whole when sync brings a new one (`set_key_ring`).
    key_ring: RwLock<Arc<KeyRing>>,
    pub data_dir: Option<PathBuf>,
    /// Where the journal's encryption key is kept, if there is a journal.
    pub key_home: Option<KeyHome>,
    /// The device's UTC offset in minutes, as the UI last reported it (the
    /// webview knows the time zone; Rust cannot ask safely once threads
    /// run). Vietnam's until then.
    utc_offset_minutes: AtomicI32,
}

impl AppState {
    pub fn open(app_data_dir: tauri::Result<PathBuf>) -> AppState {
        let dir = match app_data_dir {
            Ok(dir) => dir,
            Err(e) => {
                tracing::error!(error = %e, "no app-data directory on this platform");
                return AppState {
                    journal: Err(UiError::new("error.journal.open")),
                    journal_path: None,
                    moved_aside: None,
                    key_ring: RwLock::new(Arc::new(load_key_ring(None))),
                    data_dir: None,
                    key_home: None,
                    utc_offset_minutes: AtomicI32::new(VIETNAM_OFFSET_MINUTES),
                };
            }
        };
        let path = dir.join(JOURNAL_FILE);
        let now = OffsetDateTime::now_utc();
        let keyed = std::fs::create_dir_all(&dir)
            .and_then(|()| journal_key(&dir))
            .map_err(|e| {
                tracing::error!(error = %e, "cannot prepare the app-data directory or key");
                UiError::new("error.journal.open")
            });
        let key_home = keyed.as_ref().ok().map(|(_, home)| *home);
        let opened = keyed
            .and_then(|(key, _)| Journal::open_or_recover(&path, &key, now).map_err(UiError::from));
        let (journal, moved_aside) = match opened {
            Ok(mut opened) => {
                start_of_day_upkeep(&mut opened.journal, now);
                (Ok(Mutex::new(opened.journal)), opened.moved_aside)
            }
            Err(e) => {
                tracing::error!(key = e.key, "journal unavailable");
                (Err(e), None)
            }
        };
        AppState {
            journal,
            journal_path: Some(path),
            moved_aside,
            key_ring: RwLock::new(Arc::new(load_key_ring(Some(&dir)))),
            data_dir: Some(dir),
            key_home,
            utc_offset_minutes: AtomicI32::new(VIETNAM_OFFSET_MINUTES),
        }
    }

    /// Overdue check-outs and the retention purge, as at start; the app
    /// runs it again every few hours while it stays open.
    pub fn upkeep(&self) {
        let _ = self.with_journal(|j| {
            start_of_day_upkeep(j, OffsetDateTime::now_utc());
            Ok(())
        });
    }

    /// The trusted issuer keys in force now.
    pub fn key_ring(&self) -> Arc<KeyRing> {
        self.key_ring
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A key ring fetched from the server: saved as `trusted-keys.json`
    /// (written aside, then renamed, so a crash leaves the old one) and in
    /// force at once. Returns whether anything changed.
    pub fn set_key_ring(&self, ring: KeyRing) -> std::io::Result<bool> {
        let json = ring.to_json();
        if self.key_ring().to_json() == json {
            return Ok(false);
        }
        if let Some(dir) = &self.data_dir {
            let path = dir.join(SYNCED_KEYS_FILE);
            let tmp = dir.join(format!("{SYNCED_KEYS_FILE}.new"));
            std::fs::write(&tmp, &json)?;
            std::fs::rename(&tmp, &path)?;
        }
        *self.key_ring.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
        Ok(true)
    }

    /// What the classifier needs to judge a scanned code on this device
    /// today, with `ring` (from [`AppState::key_ring`]).
    pub fn scan_context<'a>(&self, ring: &'a KeyRing) -> ScanContext<'a> {
        // Key validity is by day in Vietnam's calendar, wherever the
        // phone's clock is set.
        ScanContext {
            key_ring: ring,
            known_hosts: &[DEFAULT_HOST],
            today: vietnam_date(OffsetDateTime::now_utc()),
            now: time::OffsetDateTime::now_utc(),
        }
    }

    pub fn utc_offset(&self) -> UtcOffset {
        let minutes = self.utc_offset_minutes.load(Ordering::Relaxed);
        UtcOffset::from_whole_seconds(minutes * 60).unwrap_or(UtcOffset::UTC)
    }

    /// Remembers the device's offset; an impossible one is ignored.
    pub fn set_utc_offset_minutes(&self, minutes: i32) {
        if (-18 * 60..=18 * 60).contains(&minutes) {
            self.utc_offset_minutes.store(minutes, Ordering::Relaxed);
        }
    }

    /// The journal itself, for the sync engine (which locks it briefly).
    pub fn journal(&self) -> Result<&Mutex<Journal>, UiError> {
        self.journal.as_ref().map_err(Clone::clone)
    }

    /// Runs `f` with the journal, or returns why there is none.
    pub fn with_journal<T>(
        &self,
        f: impl FnOnce(&mut Journal) -> Result<T, vaora_core::Error>,
    ) -> Result<T, UiError> {
        let journal = self.journal.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock would be a bug; the data is in
        // SQLite, so continuing with the inner value is safe.
        let mut guard = journal.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(UiError::from)
    }
}

/// Automatic check-outs that came due while the app was closed, and the
/// retention purge. Failures are logged: the journal still works.
fn start_of_day_upkeep(journal: &mut Journal, now: OffsetDateTime) {
    if let Err(e) = journal.close_overdue(now) {
        tracing::warn!(error = %e, "closing overdue visits failed");
    }
    match journal.purge_expired(now) {
        Ok(report) if report.unsent_kept > 0 => {
            tracing::info!(unsent = report.unsent_kept, "old unsent items kept")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "retention purge failed"),
    }
}

fn load_key_ring(dir: Option<&Path>) -> KeyRing {
    let synced = dir
        .map(|d| d.join(SYNCED_KEYS_FILE))
        .and_then(|p| std::fs::read_to_string(p).ok());
    if let Some(json) = synced {
        match KeyRing::from_json(&json) {
            Ok(ring) => return ring,
            // A damaged synced file must not lock the user out of
            // verification: fall back to the shipped keys.
            Err(e) => tracing::warn!(error = %e, "synced key ring unreadable"),
        }
    }
    KeyRing::from_json(SHIPPED_KEYS).unwrap_or_default()
}
