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
    Storage(#[source] rusqlite::Error),
    /// The device (or the journal's size cap) is full. The transaction was
    /// rolled back: nothing half-written, everything earlier still there.
    #[error("the device storage is full")]
    StorageFull(#[source] rusqlite::Error),
    #[error("invalid value for setting {key}")]
    InvalidSetting { key: &'static str },
    /// An unreadable journal could not be moved aside (so nothing was touched).
    #[error("cannot move the unreadable journal aside: {0}")]
    MoveAside(#[source] std::io::Error),
    #[error("no visit with that id")]
    NoSuchVisit,
    #[error("no person with that id")]
    NoSuchPerson,
    /// A check-out before the check-in, a manual entry in the future, …
    #[error("that time is not possible for this visit")]
    ImpossibleTime,
    /// A manual entry without a place name, or a name too long.
    #[error("a place name is needed (at most 200 characters)")]
    PlaceName,
    #[error("a name is needed (at most 100 characters)")]
    PersonName,
    #[error("no one was chosen to check in")]
    NobodyChosen,
    /// A gate action on a device that is not bound to an entrance.
    #[error("this device is not a gate")]
    NotAGate,
    #[error("no gate entry with that id")]
    NoSuchGateEntry,
    /// An exit scan for someone with no open entry.
    #[error("that person has not entered through this gate")]
    NotInside,
    /// A gate is bound to an entrance on its server: moving it to another
    /// server would strand its binding and its entries' destination.
    #[error("a gate cannot change servers")]
    GateKeepsItsServer,
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
            Error::StorageFull(_) => "error.journal.full",
            Error::InvalidSetting { .. } => "error.settings.invalid",
            Error::MoveAside(_) => "error.journal.moveAside",
            Error::NoSuchVisit => "error.visit.notFound",
            Error::NoSuchPerson => "error.person.notFound",
            Error::ImpossibleTime => "error.visit.impossibleTime",
            Error::PlaceName => "error.visit.placeName",
            Error::PersonName => "error.person.name",
            Error::NobodyChosen => "error.visit.nobodyChosen",
            Error::NotAGate => "error.gate.notBound",
            Error::NoSuchGateEntry => "error.gate.noEntry",
            Error::NotInside => "error.gate.notInside",
            Error::GateKeepsItsServer => "error.settings.serverGate",
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// A full disk is told apart from other storage errors: the user can
    /// fix it (free some space) and should be told how.
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            Error::StorageFull(e)
        } else {
            Error::Storage(e)
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
