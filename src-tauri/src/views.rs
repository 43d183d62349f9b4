//! Serialisable shapes the UI receives. Core types are converted here so the
//! IPC format can change without touching the domain. Nothing here carries
//! more personal data than the screen shows.

use serde::Serialize;
use vaora_core::{JournalSummary, Language, Scanned, Visit};

/// An error the UI can show: a message key from `ui/src/i18n/*.json`.
/// Never contains personal data.
#[derive(Debug, Clone, Serialize)]
pub struct UiError {
    pub key: &'static str,
}

impl UiError {
    pub fn new(key: &'static str) -> UiError {
        UiError { key }
    }
}

impl From<vaora_core::Error> for UiError {
    fn from(e: vaora_core::Error) -> UiError {
        tracing::warn!(error = %e, "core error");
        UiError::new(e.message_key())
    }
}

impl From<vaora_scan::ScanError> for UiError {
    fn from(e: vaora_scan::ScanError) -> UiError {
        tracing::info!(error = %e, "image not scanned");
        UiError::new(e.message_key())
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeView {
    pub language: Language,
    pub visits_total: u64,
    pub visits_today: u64,
    pub open_visits: u64,
    pub outbox_pending: u64,
    /// Where the journal lives, shown in the privacy explanation.
    pub journal_path: Option<String>,
    /// Where an unreadable journal was moved at start, if it was.
    pub moved_aside: Option<String>,
    /// Where the journal's encryption key is kept.
    pub key_home: Option<crate::keystore::KeyHome>,
    /// Days visits are kept on the device.
    pub retention_days: u32,
    /// Open visits whose check-out reminder is due: the home screen asks
    /// "still there?" with a check-out button.
    pub check_out_due: Vec<VisitView>,
    pub sync: SyncView,
}

/// Sync as the home screen shows it.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    #[serde(flatten)]
    pub status: crate::sync::SyncStatus,
    /// Records the server refused (kept on the device, with the reason).
    pub rejected: u64,
}

impl HomeView {
    pub fn new(
        language: Language,
        s: JournalSummary,
        journal_path: Option<String>,
        moved_aside: Option<String>,
        key_home: Option<crate::keystore::KeyHome>,
    ) -> HomeView {
        HomeView {
            language,
            visits_total: s.visits_total,
            visits_today: s.visits_since,
            open_visits: s.open_visits,
            outbox_pending: s.outbox_pending,
            journal_path,
            moved_aside,
            key_home,
            retention_days: vaora_core::settings::DEFAULT_RETENTION_DAYS,
            check_out_due: Vec::new(),
            sync: SyncView {
                status: Default::default(),
                rejected: s.outbox_rejected,
            },
        }
    }
}

fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitView {
    pub id: String,
    /// Who on this phone (to declare for the visit).
    pub person: i64,
    pub place_name: String,
    pub entrance: u16,
    pub checked_in_ms: i64,
    pub planned_checkout_ms: Option<i64>,
    pub checked_out_ms: Option<i64>,
    pub checkout: Option<vaora_core::CheckoutKind>,
    pub source: vaora_core::VisitSource,
    pub verified: bool,
    pub unverified_reason: Option<String>,
    /// The venue's full name and address from the signed directory, when
    /// sync has brought them (the code carries a short name only).
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
}

impl VisitView {
    /// The view of `v` completed from the journal's venue directory.
    pub fn with_directory(v: &Visit, journal: &vaora_core::Journal) -> VisitView {
        let details = v
            .venue
            .and_then(|venue| journal.venue_details(venue).ok().flatten());
        VisitView {
            venue_name: details.as_ref().map(|d| d.name.clone()),
            venue_address: details.map(|d| d.address),
            ..VisitView::from(v)
        }
    }
}

impl From<&Visit> for VisitView {
    fn from(v: &Visit) -> VisitView {
        VisitView {
            id: v.id.0.to_string(),
            person: v.person.0,
            place_name: v.place_name.clone(),
            entrance: v.entrance.0,
            checked_in_ms: ms(v.checked_in_at),
            planned_checkout_ms: v.planned_checkout_at.map(ms),
            checked_out_ms: v.checked_out_at.map(ms),
            checkout: v.checkout,
            source: v.source,
            verified: v.verified,
            unverified_reason: v.unverified_reason.clone(),
            venue_name: None,
            venue_address: None,
        }
    }
}

/// What the scan result sheet shows.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ScanView {
    /// No QR code in the picture.
    NoCode,
    #[serde(rename_all = "camelCase")]
    CheckedIn { visits: Vec<VisitView> },
    #[serde(rename_all = "camelCase")]
    AlreadyCheckedIn { visits: Vec<VisitView> },
    /// A venue code that did not verify. With `text`, the user may record
    /// the visit anyway (marked unverified); the text goes back to the
    /// `check_in_unverified` command, which classifies it again.
    #[serde(rename_all = "camelCase")]
    Unverified {
        reason: &'static str,
        place_name: Option<String>,
        text: Option<String>,
    },
    /// Not a checkpoint code. `what` names the kind; the content is not
    /// echoed (an ID card's data stays out of the UI outside gate mode).
    #[serde(rename_all = "camelCase")]
    NotACheckpoint { what: &'static str },
}

impl ScanView {
    /// The sheet for a scan that is not a check-in.
    pub fn for_non_venue(scanned: &Scanned, text: &str) -> ScanView {
        match scanned {
            Scanned::UnverifiedVenue { content, error } => ScanView::Unverified {
                reason: error.message_key(),
                place_name: content.as_ref().map(|c| c.short_name.clone()),
                text: content.as_ref().map(|_| text.to_owned()),
            },
            Scanned::Cccd(_) | Scanned::BadCccd(_) => ScanView::NotACheckpoint { what: "cccd" },
            Scanned::PersonalPass(_) | Scanned::BadPass(_) => {
                ScanView::NotACheckpoint { what: "pass" }
            }
            Scanned::OtherUrl(_) => ScanView::NotACheckpoint { what: "url" },
            Scanned::Text(_) | Scanned::Venue(_) => ScanView::NotACheckpoint { what: "text" },
        }
    }
}

/// A record the server refused, as the home screen lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedView {
    /// The visit's place, if the visit is still in the journal.
    pub place_name: Option<String>,
    pub checked_in_ms: Option<i64>,
    /// Why, as a message key (`sync.rejected.*`).
    pub reason_key: String,
}

/// Settings → About: the app's version and the server it syncs with.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AboutView {
    pub version: &'static str,
    pub server_url: String,
    /// Set in Settings rather than built in.
    pub custom_server: bool,
}
