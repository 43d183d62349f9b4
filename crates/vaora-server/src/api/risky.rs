//! Risky venues: the authority reports a case's visit; every device
//! downloads the signed list after its cursor and matches it against its
//! own journal, on the device (the download says nothing about the user).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use vaora_core::risk::{RiskyList, SignedRiskyEntry};
use vaora_core::wire::lenient;

use crate::api::extract::Body;
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::{NewRiskyEntry, Role};
use crate::error::{ApiError, ErrorBody};

/// Longest exposure window one entry may cover: 14 days.
const MAX_WINDOW_MINUTES: i64 = 14 * 24 * 60;
const MAX_ADVICE_CHARS: usize = 500;
/// Entries per download page.
const PAGE: i64 = 1000;

/// A case's visit. The window is a start and a length, so every request
/// the schema allows is one the server can sign (no "ends before it
/// starts").
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRisky {
    #[schema(minimum = 1)]
    #[serde(deserialize_with = "lenient::integer")]
    pub venue: i64,
    /// Absent: the whole venue.
    #[schema(minimum = 1, maximum = 65535)]
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub entrance: Option<u16>,
    /// Start of the window, Unix seconds (2020 to 2099).
    #[schema(minimum = 1577836800, maximum = 4102444799_i64)]
    #[serde(deserialize_with = "lenient::integer")]
    pub from: i64,
    /// Length of the window in minutes (up to 14 days).
    #[schema(minimum = 1, maximum = 20160)]
    #[serde(deserialize_with = "lenient::integer")]
    pub minutes: i64,
    /// What to do, in Vietnamese (shown on the phone; empty: the app's
    /// standard advice). Control characters are dropped.
    #[schema(max_length = 500)]
    pub advice_vi: String,
    /// The same in English.
    #[schema(max_length = 500)]
    pub advice_en: String,
}

/// Untrusted text for every phone's screen: control characters dropped,
/// trimmed, length-checked.
fn advice(text: &str) -> Result<String, ApiError> {
    if text.chars().count() > MAX_ADVICE_CHARS {
        return Err(ApiError::invalid("advice"));
    }
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    Ok(text.trim().to_owned())
}

#[utoipa::path(post, path = "/v1/risky-venues", tag = "risk", request_body = MarkRisky,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The signed entry, as devices will download it", body = Object),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
        (status = 422, description = "A field is out of range", body = ErrorBody),
        (status = 404, description = "No such venue or entrance", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Only the health authority marks venues", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
/// Marks a case's visit: a signed risky-venue entry.
pub async fn mark(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<MarkRisky>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    caller.require(&[Role::Authority])?;
    let signed = publish(&state, &req).await?;
    // Serialising our own type cannot fail.
    let json = serde_json::to_value(&signed).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(json)))
}

/// Checks a case's visit against the venue and signs it into the list.
pub(crate) async fn publish(
    state: &AppState,
    req: &MarkRisky,
) -> Result<SignedRiskyEntry, ApiError> {
    let in_range = (1_577_836_800..=4_102_444_799).contains(&req.from)
        && (1..=MAX_WINDOW_MINUTES).contains(&req.minutes);
    if !in_range {
        return Err(ApiError::invalid("window"));
    }
    let from =
        OffsetDateTime::from_unix_timestamp(req.from).map_err(|_| ApiError::invalid("window"))?;
    let to = from + Duration::minutes(req.minutes);
    let new = NewRiskyEntry {
        venue: req.venue,
        entrance: req.entrance,
        from,
        to,
        advice_vi: advice(&req.advice_vi)?,
        advice_en: advice(&req.advice_en)?,
    };
    let venue = state
        .db
        .venue(req.venue)
        .await?
        .ok_or(ApiError::NOT_FOUND)?;
    if req
        .entrance
        .is_some_and(|e| e == 0 || e > venue.venue.entrances)
    {
        return Err(ApiError::NOT_FOUND);
    }
    state
        .db
        .publish_risky(&state.issuer, &new)
        .await?
        .map_err(|e| {
            tracing::info!(error = %e, "risky entry not signed");
            ApiError::invalid("window")
        })
}

#[utoipa::path(get, path = "/v1/risky-venues", tag = "risk",
    params(("after" = Option<u64>, Query, description = "The highest entry id the device has (its cursor); absent: from the start")),
    responses(
        (status = 200, description = "Up to 1,000 signed entries after the cursor, oldest first", body = Object),
        (status = 422, description = "The cursor is not a number", body = ErrorBody),
    ))]
/// The signed list after a cursor. Public: anyone may download it, and
/// downloading reveals nothing but the cursor.
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<RiskyList>, ApiError> {
    let mut after: i64 = 0;
    for pair in query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        // Unknown parameters are ignored, as caches and proxies add some.
        if let Some(("after", value)) = pair.split_once('=') {
            after = cursor(value).ok_or_else(|| ApiError::invalid("after"))?;
        }
    }
    let entries = state.db.risky_after(after, PAGE).await?;
    Ok(Json(RiskyList { entries }))
}

/// A cursor as clients write it: `42`, also `42.0`; negative or past the
/// largest id the database can hold is refused.
fn cursor(value: &str) -> Option<i64> {
    if let Ok(v) = value.parse::<i64>() {
        return (v >= 0).then_some(v);
    }
    let f = value.parse::<f64>().ok()?;
    (f.fract() == 0.0 && (0.0..9.0e18).contains(&f)).then_some(f as i64)
}
