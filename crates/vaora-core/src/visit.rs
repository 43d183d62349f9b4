//! A visit is one person's stay at one venue entrance.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::person::PersonId;
use crate::venue::{EntranceNo, VenueId};

/// Made on the device (UUIDv7: time-ordered), so the same record keeps the
/// same id through every sync retry and the server can deduplicate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VisitId(pub Uuid);

impl VisitId {
    pub fn new() -> VisitId {
        VisitId(Uuid::now_v7())
    }
}

impl Default for VisitId {
    fn default() -> Self {
        Self::new()
    }
}

/// How the visit got into the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitSource {
    /// The person scanned the venue's code.
    Scan,
    /// Typed by hand, for a place without a code.
    Manual,
    /// Recorded by a gate device on the person's behalf.
    Gate,
}

impl VisitSource {
    pub fn code(self) -> &'static str {
        match self {
            VisitSource::Scan => "scan",
            VisitSource::Manual => "manual",
            VisitSource::Gate => "gate",
        }
    }

    pub fn from_code(code: &str) -> Option<VisitSource> {
        match code {
            "scan" => Some(VisitSource::Scan),
            "manual" => Some(VisitSource::Manual),
            "gate" => Some(VisitSource::Gate),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub person: PersonId,
    pub venue: VenueId,
    pub entrance: EntranceNo,
    #[serde(with = "time::serde::rfc3339")]
    pub checked_in_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub checked_out_at: Option<OffsetDateTime>,
    pub source: VisitSource,
    /// False when the code's signature could not be checked; kept and marked.
    pub verified: bool,
}
