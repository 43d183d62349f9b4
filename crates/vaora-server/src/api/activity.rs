//! `GET /v1/activity`: checkpoints created against checkpoints that
//! actually produced data (a province once counted 459 active of 8,655),
//! per day, per commune, and the dormant ones to follow up.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;
use vaora_core::AdminUnits;
use vaora_core::venue::CommuneCode;

use crate::api::extract::query_number;
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::{Db, Role, VenueDay, VenueSummary, day_date, vietnam_day};
use crate::error::{ApiError, ErrorBody};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Most dormant venues listed (the rest are counted).
const DORMANT_LISTED: usize = 1000;
/// Busiest venues listed.
const BUSIEST_LISTED: usize = 20;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayActivity {
    /// Calendar day in Vietnam, `YYYY-MM-DD`.
    pub day: String,
    /// Checkpoints registered by the end of that day.
    pub created: usize,
    /// Checkpoints with at least one scan that day.
    pub active: usize,
    pub scans: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommuneActivity {
    pub province: Option<u16>,
    pub province_name: Option<String>,
    pub commune: u32,
    pub commune_name: Option<String>,
    /// Registered by the end of the period.
    pub created: usize,
    /// With at least one scan in the period.
    pub active: usize,
    pub scans: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DormantVenue {
    pub id: i64,
    pub name: String,
    pub commune: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProvinceActivity {
    pub province: Option<u16>,
    pub province_name: Option<String>,
    pub created: usize,
    pub active: usize,
    pub scans: i64,
}

/// A checkpoint and its scans in the period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VenueActivity {
    pub id: i64,
    pub name: String,
    pub commune: u32,
    pub scans: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    pub days: Vec<DayActivity>,
    /// Most scans first.
    pub provinces: Vec<ProvinceActivity>,
    /// Most scans first.
    pub communes: Vec<CommuneActivity>,
    /// The checkpoints with the most scans, most first (at most 20).
    pub busiest: Vec<VenueActivity>,
    /// Registered, but not one scan in the period: oldest first.
    pub dormant: Vec<DormantVenue>,
    pub dormant_total: usize,
}

/// A day number as `YYYY-MM-DD` (also what a `date` input takes).
pub(crate) fn day_text(day: i64) -> String {
    day_date(day).map(|d| d.to_string()).unwrap_or_default()
}

#[utoipa::path(get, path = "/v1/activity", tag = "tracing",
    security(("bearer" = [])),
    params(
        ("from" = i64, Query, description = "First day of the period: any moment in it, Unix seconds", minimum = 1577836800, maximum = 4102444799_i64),
        ("days" = Option<i64>, Query, description = "Length of the period in days (default 7)", minimum = 1, maximum = 92),
    ),
    responses(
        (status = 200, description = "Checkpoints created and active, per day and per commune, and the dormant ones", body = ActivityView),
        (status = 422, description = "A parameter is missing or out of range", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Only the health authority sees statistics", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn activity(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<ActivityView>, ApiError> {
    caller.require(&[Role::Authority])?;
    let query = query.as_deref();
    let from = query_number(query, "from", 1_577_836_800..=4_102_444_799)?
        .ok_or_else(|| ApiError::invalid("query"))?;
    let days = query_number(query, "days", 1..=92)?.unwrap_or(7);
    Ok(Json(
        report(&state.db, vietnam_day(from * 1000), days).await?,
    ))
}

/// The statistics for `days` Vietnamese calendar days from `first_day`
/// (days since 1970-01-01): the API's JSON and the console's pages.
pub(crate) async fn report(db: &Db, first_day: i64, days: i64) -> Result<ActivityView, ApiError> {
    let last_day = first_day + days - 1;
    // Day boundaries in Vietnam, as Unix milliseconds.
    let from_ms = first_day * DAY_MS - 7 * 3600 * 1000;
    let to_ms = (last_day + 1) * DAY_MS - 7 * 3600 * 1000;

    let venues = db.venue_summaries().await?;
    let scans = db.scans_per_venue_day(from_ms, to_ms).await?;
    let commune_of: BTreeMap<i64, u32> = venues.iter().map(|v| (v.id, v.commune)).collect();

    let mut active_days: BTreeMap<i64, (BTreeSet<i64>, i64)> = BTreeMap::new();
    let mut per_commune: BTreeMap<u32, (BTreeSet<i64>, i64)> = BTreeMap::new();
    for s in &scans {
        let day = active_days.entry(s.day).or_default();
        day.0.insert(s.venue);
        day.1 += s.scans;
        if let Some(commune) = commune_of.get(&s.venue) {
            let c = per_commune.entry(*commune).or_default();
            c.0.insert(s.venue);
            c.1 += s.scans;
        }
    }
    let days = (first_day..=last_day)
        .map(|day| {
            let (active, scans) = active_days
                .get(&day)
                .map_or((0, 0), |(venues, n)| (venues.len(), *n));
            DayActivity {
                day: day_text(day),
                created: venues.iter().filter(|v| v.created_day <= day).count(),
                active,
                scans,
            }
        })
        .collect();

    let units = AdminUnits::embedded();
    let registered: Vec<_> = venues
        .iter()
        .filter(|v| v.created_day <= last_day)
        .collect();
    let mut created_per_commune: BTreeMap<u32, usize> = BTreeMap::new();
    for v in &registered {
        *created_per_commune.entry(v.commune).or_default() += 1;
    }
    let mut communes: Vec<CommuneActivity> = created_per_commune
        .iter()
        .map(|(commune, created)| {
            let (active, scans) = per_commune
                .get(commune)
                .map_or((0, 0), |(venues, n)| (venues.len(), *n));
            let unit = units.commune(CommuneCode(*commune));
            let province = unit.and_then(|c| units.province(c.province));
            CommuneActivity {
                province: province.map(|p| p.code.0),
                province_name: province.map(|p| p.name.clone()),
                commune: *commune,
                commune_name: unit.map(|c| c.name.clone()),
                created: *created,
                active,
                scans,
            }
        })
        .collect();
    communes.sort_by(|a, b| b.scans.cmp(&a.scans).then(a.commune.cmp(&b.commune)));

    let provinces = per_province(&communes);
    let busiest = busiest(&venues, &scans);

    let active_venues: BTreeSet<i64> = scans.iter().map(|s| s.venue).collect();
    let dormant_all: Vec<DormantVenue> = registered
        .iter()
        .filter(|v| !active_venues.contains(&v.id))
        .map(|v| DormantVenue {
            id: v.id,
            name: v.name.clone(),
            commune: v.commune,
        })
        .collect();
    let dormant_total = dormant_all.len();
    Ok(ActivityView {
        days,
        provinces,
        communes,
        busiest,
        dormant: dormant_all.into_iter().take(DORMANT_LISTED).collect(),
        dormant_total,
    })
}

/// The communes' figures summed per province, most scans first.
fn per_province(communes: &[CommuneActivity]) -> Vec<ProvinceActivity> {
    let mut by_code: BTreeMap<Option<u16>, ProvinceActivity> = BTreeMap::new();
    for c in communes {
        let p = by_code
            .entry(c.province)
            .or_insert_with(|| ProvinceActivity {
                province: c.province,
                province_name: c.province_name.clone(),
                created: 0,
                active: 0,
                scans: 0,
            });
        p.created += c.created;
        p.active += c.active;
        p.scans += c.scans;
    }
    let mut provinces: Vec<ProvinceActivity> = by_code.into_values().collect();
    provinces.sort_by(|a, b| b.scans.cmp(&a.scans).then(a.province.cmp(&b.province)));
    provinces
}

/// The venues with the most scans in the period.
fn busiest(venues: &[VenueSummary], scans: &[VenueDay]) -> Vec<VenueActivity> {
    let mut per_venue: BTreeMap<i64, i64> = BTreeMap::new();
    for s in scans {
        *per_venue.entry(s.venue).or_default() += s.scans;
    }
    let mut ranked: Vec<(i64, i64)> = per_venue.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_id: BTreeMap<i64, &VenueSummary> = venues.iter().map(|v| (v.id, v)).collect();
    ranked
        .into_iter()
        .filter_map(|(id, scans)| {
            let v = by_id.get(&id)?;
            Some(VenueActivity {
                id,
                name: v.name.clone(),
                commune: v.commune,
                scans,
            })
        })
        .take(BUSIEST_LISTED)
        .collect()
}
