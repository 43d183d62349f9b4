use thiserror::Error;

/// Failures a user of the journal can meet. Each maps to a message key that
/// the UI translates; the `Display` text is for logs and developers only.
#[derive(Debug, Error)]
pub enum Error {
    /// The database file could not be opened or created (permissions, disk full).
    #[error("cannot open the journal database: {0}")]
    Open(#[source] rusqlite::Error),
    /// The file exists but is not a VaoRa journal (or is corrupt). It is never
    /// overwritten: the user must decide what to do with it.
    #[error("the journal file is not a readable VaoRa database")]
    NotAJournal(#[source] rusqlite::Error),
    /// The file was written by a newer VaoRa than this one.
    #[error(
        "the journal was written by a newer version of VaoRa (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("cannot upgrade the journal schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("journal storage error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("invalid value for setting {key}")]
    InvalidSetting { key: &'static str },
}

impl Error {
    /// Stable key for the UI's message files (`ui/src/i18n/*.json`).
    pub fn message_key(&self) -> &'static str {
        match self {
            Error::Open(_) => "error.journal.open",
            Error::NotAJournal(_) => "error.journal.notAJournal",
            Error::TooNew { .. } => "error.journal.tooNew",
            Error::Migration(_) => "error.journal.migration",
            Error::Storage(_) => "error.journal.storage",
            Error::InvalidSetting { .. } => "error.settings.invalid",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
