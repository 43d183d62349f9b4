//! The sync protocol's JSON shapes (`POST /v1/sync`), shared by the app's
//! outbox and `vaora-server` so the two cannot drift apart. Only types and
//! their validation here; no HTTP.
//!
//! A batch carries items, each with a client-made UUIDv7 id. The server
//! answers one result per item: `accepted` (stored now), `duplicate` (that
//! item id was stored before: the client may forget it too) or `rejected`
//! (with a reason key; the client keeps it and shows why). A visit item is
//! the visit's latest state: the server upserts it by visit id
//! (decision 0003).

pub mod lenient;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::declaration::Declaration;
use crate::visit::{Visit, VisitSource};

/// Most items in one batch; the server refuses larger batches whole.
pub const MAX_BATCH_ITEMS: usize = 500;
/// Longest place name accepted (the journal's own limit).
pub const MAX_PLACE_NAME_CHARS: usize = 200;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncBatch {
    pub items: Vec<SyncItem>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncItem {
    pub id: Uuid,
    #[serde(flatten)]
    pub payload: ItemPayload,
}

/// What an item carries, tagged by `kind`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum ItemPayload {
    Visit(VisitRecord),
    /// Boxed: a declaration is several times the size of a visit.
    Declaration(Box<DeclarationRecord>),
    GateEntry(Box<GateEntryRecord>),
}

/// A person through a gate device, as sent: the entry's latest state
/// (upserted by id, like a visit) with either the declaration staff
/// confirmed or the personal pass they scanned (sealed for the authority;
/// the server opens it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateEntryRecord {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    #[serde(deserialize_with = "lenient::integer")]
    pub venue: u64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 65535))]
    #[serde(deserialize_with = "lenient::integer")]
    pub entrance: u16,
    #[serde(deserialize_with = "lenient::integer")]
    pub checked_in_at: i64,
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub checked_out_at: Option<i64>,
    #[serde(default)]
    pub voided: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<Declaration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
}

impl GateEntryRecord {
    /// The checks every server applies before storing a gate entry.
    pub fn check(&self, now_ms: i64, today: time::Date) -> Result<(), RejectReason> {
        check_stay(self.checked_in_at, self.checked_out_at, now_ms)?;
        match (&self.declaration, &self.pass) {
            (Some(d), None) => {
                let today = today.next_day().unwrap_or(today);
                d.check(
                    crate::declaration::Channel::Gate,
                    today,
                    crate::admin_units::AdminUnits::embedded(),
                )
                .map_err(|_| RejectReason::InvalidDeclaration)
            }
            (None, Some(pass)) => match crate::personal_pass::PersonalPass::parse(pass) {
                Some(Ok(_)) => Ok(()),
                _ => Err(RejectReason::InvalidDeclaration),
            },
            _ => Err(RejectReason::InvalidDeclaration),
        }
    }
}

/// A health declaration as sent: the answers, who on the device it is for
/// (the device-local person number) and the visit it was made for, if any.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationRecord {
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub person: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    #[serde(default, deserialize_with = "lenient::optional_id")]
    pub visit: Option<Uuid>,
    #[serde(deserialize_with = "lenient::integer")]
    pub declared_at: i64,
    pub declaration: Declaration,
}

impl DeclarationRecord {
    /// The checks every server applies before storing a declaration;
    /// `today` is the date in Vietnam.
    pub fn check(&self, now_ms: i64, today: time::Date) -> Result<(), RejectReason> {
        let in_window = self.declared_at >= now_ms.saturating_sub(MAX_PAST_MS)
            && self.declared_at <= now_ms.saturating_add(MAX_FUTURE_MS);
        if !in_window {
            return Err(RejectReason::ImpossibleTime);
        }
        if self.visit == Some(lenient::UNREADABLE_ID) {
            return Err(RejectReason::InvalidDeclaration);
        }
        // A phone a day ahead may date a declaration tomorrow.
        let today = today.next_day().unwrap_or(today);
        self.declaration
            .check(
                crate::declaration::Channel::Own,
                today,
                crate::admin_units::AdminUnits::embedded(),
            )
            .map_err(|_| RejectReason::InvalidDeclaration)
    }
}

/// A visit as the server sees it: no names of people, the device-local
/// person number only; times in Unix milliseconds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub id: Uuid,
    #[serde(deserialize_with = "lenient::integer")]
    pub person: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub venue: Option<u64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 65535))]
    #[serde(deserialize_with = "lenient::integer")]
    pub entrance: u16,
    pub place_name: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4294967295_u64))]
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub commune: Option<u32>,
    #[serde(deserialize_with = "lenient::integer")]
    pub checked_in_at: i64,
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub checked_out_at: Option<i64>,
    pub source: VisitSource,
    pub verified: bool,
}

fn unix_ms(at: time::OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

impl From<&Visit> for VisitRecord {
    fn from(v: &Visit) -> Self {
        VisitRecord {
            id: v.id.0,
            person: v.person.0,
            venue: v.venue.map(|v| v.0),
            entrance: v.entrance.0,
            place_name: v.place_name.clone(),
            commune: v.commune.map(|c| c.0),
            checked_in_at: unix_ms(v.checked_in_at),
            checked_out_at: v.checked_out_at.map(unix_ms),
            source: v.source,
            verified: v.verified,
        }
    }
}

/// Why the server refuses an item. The key is stable; the client shows the
/// sentence for it (`ui/src/i18n`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The place name is empty or too long.
    PlaceName,
    /// Check-in in the far future or past, or check-out before check-in.
    ImpossibleTime,
    /// The visit id belongs to another device's visit.
    NotYours,
    /// A declaration that fails the form's rules (a client of another
    /// version, or a tampered one).
    InvalidDeclaration,
    /// A gate entry from a device that is not bound to that entrance.
    NotThisGate,
}

impl RejectReason {
    pub fn message_key(self) -> &'static str {
        match self {
            RejectReason::PlaceName => "sync.rejected.placeName",
            RejectReason::ImpossibleTime => "sync.rejected.impossibleTime",
            RejectReason::NotYours => "sync.rejected.notYours",
            RejectReason::InvalidDeclaration => "sync.rejected.invalidDeclaration",
            RejectReason::NotThisGate => "sync.rejected.notThisGate",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Accepted,
    Duplicate,
    Rejected,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: Uuid,
    pub status: ItemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<ItemResult>,
}

/// How far from the server's clock a visit may start: phones keep visits
/// offline for up to the retention period, and clocks drift.
pub const MAX_PAST_MS: i64 = 60 * 24 * 3600 * 1000;
pub const MAX_FUTURE_MS: i64 = 24 * 3600 * 1000;

/// A stay's times as every server checks them: the start within the
/// window a phone may keep records offline (and a day of clock drift
/// ahead), the end not before the start nor in the future.
fn check_stay(
    checked_in_at: i64,
    checked_out_at: Option<i64>,
    now_ms: i64,
) -> Result<(), RejectReason> {
    let started_ok = checked_in_at >= now_ms.saturating_sub(MAX_PAST_MS)
        && checked_in_at <= now_ms.saturating_add(MAX_FUTURE_MS);
    let ended_ok = checked_out_at
        .is_none_or(|out| out >= checked_in_at && out <= now_ms.saturating_add(MAX_FUTURE_MS));
    if started_ok && ended_ok {
        Ok(())
    } else {
        Err(RejectReason::ImpossibleTime)
    }
}

impl VisitRecord {
    /// The checks every server applies before storing a visit.
    pub fn check(&self, now_ms: i64) -> Result<(), RejectReason> {
        let name = self.place_name.trim();
        if name.is_empty() || name.chars().count() > MAX_PLACE_NAME_CHARS {
            return Err(RejectReason::PlaceName);
        }
        check_stay(self.checked_in_at, self.checked_out_at, now_ms)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> VisitRecord {
        VisitRecord {
            id: Uuid::now_v7(),
            person: 1,
            venue: Some(7),
            entrance: 1,
            place_name: "Chợ Bến Thành".into(),
            commune: Some(26_734),
            checked_in_at: 1_795_593_600_000,
            checked_out_at: None,
            source: VisitSource::Scan,
            verified: true,
        }
    }

    #[test]
    fn a_batch_round_trips_with_kind_and_body() {
        let batch = SyncBatch {
            items: vec![SyncItem {
                id: Uuid::now_v7(),
                payload: ItemPayload::Visit(record()),
            }],
        };
        let json = serde_json::to_value(&batch).unwrap();
        assert_eq!(json["items"][0]["kind"], "visit");
        assert_eq!(json["items"][0]["body"]["source"], "scan");
        let back: SyncBatch = serde_json::from_value(json).unwrap();
        assert_eq!(back, batch);
    }

    #[test]
    fn impossible_visits_are_rejected_with_a_reason() {
        let now = 1_795_593_600_000 + 3_600_000;
        assert_eq!(record().check(now), Ok(()));
        let mut r = record();
        r.place_name = "   ".into();
        assert_eq!(r.check(now), Err(RejectReason::PlaceName));
        let mut r = record();
        r.checked_out_at = Some(r.checked_in_at - 1);
        assert_eq!(r.check(now), Err(RejectReason::ImpossibleTime));
        let mut r = record();
        r.checked_in_at = now + 2 * MAX_FUTURE_MS;
        assert_eq!(r.check(now), Err(RejectReason::ImpossibleTime));
    }
}
