//! Serialisable shapes the UI receives. Core types are converted here so the
//! IPC format can change without touching the domain.

use serde::Serialize;
use vaora_core::{JournalSummary, Language};

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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeView {
    pub language: Language,
    pub visits_total: u64,
    pub visits_today: u64,
    pub people: u64,
    /// Where the journal lives, shown in the privacy explanation.
    pub journal_path: Option<String>,
}

impl HomeView {
    pub fn new(language: Language, s: JournalSummary, journal_path: Option<String>) -> HomeView {
        HomeView {
            language,
            visits_total: s.visits_total,
            visits_today: s.visits_since,
            people: s.people,
            journal_path,
        }
    }
}
