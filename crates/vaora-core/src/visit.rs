//! A visit is one person's stay at one place: a checkpoint entrance (from a
//! code, or a gate) or a place typed by hand.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::person::PersonId;
use crate::venue::{CommuneCode, EntranceNo, VenueId};

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Why a visit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutKind {
    /// The person checked out (in the app or from the reminder).
    Manual,
    /// Nobody checked out: closed at the venue's default stay.
    StayOver,
    /// Closed when the same person checked in somewhere else.
    NextCheckIn,
}

impl CheckoutKind {
    pub fn code(self) -> &'static str {
        match self {
            CheckoutKind::Manual => "manual",
            CheckoutKind::StayOver => "stay_over",
            CheckoutKind::NextCheckIn => "next_check_in",
        }
    }

    pub fn from_code(code: &str) -> Option<CheckoutKind> {
        match code {
            "manual" => Some(CheckoutKind::Manual),
            "stay_over" => Some(CheckoutKind::StayOver),
            "next_check_in" => Some(CheckoutKind::NextCheckIn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub person: PersonId,
    /// `None` for a place typed by hand.
    pub venue: Option<VenueId>,
    pub entrance: EntranceNo,
    /// The venue's short name at check-in, or the typed name. Untrusted text.
    pub place_name: String,
    pub commune: Option<CommuneCode>,
    #[serde(with = "time::serde::rfc3339")]
    pub checked_in_at: OffsetDateTime,
    /// When the visit closes by itself if nobody checks out.
    #[serde(with = "time::serde::rfc3339::option")]
    pub planned_checkout_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub checked_out_at: Option<OffsetDateTime>,
    pub checkout: Option<CheckoutKind>,
    pub source: VisitSource,
    /// False when the code's signature could not be checked; kept and marked.
    pub verified: bool,
    /// Message key saying why it is unverified (`scan.venue.unknownKey`, …).
    pub unverified_reason: Option<String>,
    /// Visits checked in together ("me and two children") share a group.
    pub group: Option<Uuid>,
}

/// How long before the automatic check-out the reminder comes: enough to
/// leave and tap "check out" on the way, never before half the stay.
pub const REMINDER_LEAD: time::Duration = time::Duration::minutes(10);

impl Visit {
    pub fn is_open(&self) -> bool {
        self.checked_out_at.is_none()
    }

    /// When to remind the person to check out: `REMINDER_LEAD` before the
    /// planned automatic check-out, or half-way through a short stay. `None`
    /// for a closed visit or one with no planned check-out.
    pub fn reminder_at(&self) -> Option<OffsetDateTime> {
        let planned = self.planned_checkout_at.filter(|_| self.is_open())?;
        let stay = planned - self.checked_in_at;
        Some(planned - REMINDER_LEAD.min(stay / 2))
    }

    /// Whether, at `now`, the person should be asked to check out: the
    /// reminder time has come and the automatic check-out has not.
    pub fn reminder_due(&self, now: OffsetDateTime) -> bool {
        self.reminder_at().is_some_and(|at| at <= now)
            && self.planned_checkout_at.is_some_and(|p| p > now)
    }
}

/// Whether the code behind a check-in verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Verified,
    /// Kept and marked, with the message key saying why.
    Unverified(&'static str),
}
