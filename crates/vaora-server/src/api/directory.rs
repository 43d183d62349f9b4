//! `GET /v1/venue-directory`: the full names and addresses of a commune's
//! checkpoints, each entry signed, after a cursor. Phones fetch the
//! communes they have visited, to show more than the venue code's short
//! name. Public, like the risky list: venue names are posted at their doors.

use axum::Json;
use axum::extract::{RawQuery, State};
use vaora_core::calendar::vietnam_date_ms;
use vaora_core::venue::{CommuneCode, VenueId};
use vaora_core::venue_directory::{DirectoryEntry, VenueDirectory, sign_directory_entry};

use crate::api::extract::query_number;
use crate::app::AppState;
use crate::db::StoredVenue;
use crate::error::{ApiError, ErrorBody};

/// Entries per page.
pub const DIRECTORY_PAGE: i64 = 500;

fn entry(v: &StoredVenue) -> Option<DirectoryEntry> {
    Some(DirectoryEntry {
        venue: VenueId(u64::try_from(v.id).ok()?),
        name: v.venue.name.clone(),
        address: v.venue.address.clone(),
        commune: CommuneCode(v.venue.commune),
        kind: v.venue.kind,
        default_stay_minutes: v.venue.default_stay_minutes,
        entrances: v.venue.entrances,
        registered_on: vietnam_date_ms(v.created_at),
    })
}

#[utoipa::path(get, path = "/v1/venue-directory", tag = "venues",
    params(
        ("commune" = u32, Query, description = "Commune code (2025 units)", minimum = 1, maximum = 4294967295_u64),
        ("after" = Option<u64>, Query, description = "The highest venue number the device has for this commune (its cursor); absent: from the start", minimum = 0),
    ),
    responses(
        (status = 200, description = "Up to 500 signed entries after the cursor, by venue number", body = Object),
        (status = 422, description = "A parameter is missing or not a number", body = ErrorBody),
    ))]
pub async fn page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<VenueDirectory>, ApiError> {
    let query = query.as_deref();
    let commune = query_number(query, "commune", 1..=i64::from(u32::MAX))?
        .ok_or_else(|| ApiError::invalid("query"))?;
    let after = query_number(query, "after", 0..=i64::MAX)?.unwrap_or(0);
    let commune = u32::try_from(commune).map_err(|_| ApiError::invalid("query"))?;
    let venues = state
        .db
        .venues_in_commune(commune, after, DIRECTORY_PAGE)
        .await?;
    let entries = venues
        .iter()
        .filter_map(entry)
        .filter_map(|e| sign_directory_entry(&state.issuer, e).ok())
        .collect();
    Ok(Json(VenueDirectory { entries }))
}
