//! VaoRa's domain and on-device storage.
//!
//! Architecture invariant: nothing here knows about Tauri, the camera or UI
//! strings. Errors carry a stable message key (see [`Error::message_key`]);
//! the UI owns the words in each language.
//!
//! The journal (SQLCipher) is behind the default feature `journal`; the
//! codecs and parsers build without it (the fuzz targets do, so a fuzz build
//! does not compile SQLCipher and OpenSSL).

pub mod admin_units;
pub mod calendar;
pub mod cccd;
mod compact;
pub mod declaration;
#[cfg(feature = "journal")]
pub mod error;
pub mod gate;
pub mod hex;
#[cfg(feature = "journal")]
pub mod journal;
pub mod person;
pub mod personal_pass;
pub mod risk;
pub mod scanned;
pub mod settings;
#[cfg(feature = "journal")]
pub mod spreadsheet;
#[cfg(feature = "sync")]
pub mod sync;
pub mod venue;
pub mod venue_code;
pub mod venue_directory;
pub mod visit;
pub mod wire;

pub use admin_units::{AdminUnits, ProvinceCode};
#[cfg(feature = "journal")]
pub use error::Error;
#[cfg(feature = "journal")]
pub use journal::{
    CheckIn, CheckInOutcome, ExportFormat, GateCounters, GateEntry, GateOutcome, Journal,
    JournalKey, JournalSummary, Opened, Place, PurgeReport, VisitCursor, export_visits,
};
pub use person::{Person, PersonId, Relation};
pub use scanned::{ScanContext, Scanned, classify};
pub use settings::Language;
pub use venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
pub use visit::{CheckoutKind, Verification, Visit, VisitId, VisitSource};
