//! VaoRa's domain and on-device storage.
//!
//! Architecture invariant: nothing here knows about Tauri, the camera or UI
//! strings. Errors carry a stable message key (see [`Error::message_key`]);
//! the UI owns the words in each language.

pub mod cccd;
mod compact;
pub mod error;
pub mod journal;
pub mod person;
pub mod personal_pass;
pub mod scanned;
pub mod settings;
pub mod venue;
pub mod venue_code;
pub mod visit;

pub use error::Error;
pub use journal::{
    CheckIn, CheckInOutcome, ExportFormat, Journal, JournalKey, JournalSummary, Opened, Place,
    PurgeReport, Verification, VisitCursor, export_visits,
};
pub use person::{Person, PersonId, Relation};
pub use scanned::{ScanContext, Scanned, classify};
pub use settings::Language;
pub use venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
pub use visit::{CheckoutKind, Visit, VisitId, VisitSource};
