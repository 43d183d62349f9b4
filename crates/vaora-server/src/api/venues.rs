//! Venues: a registrar creates one with its entrances and gets the code
//! text and poster of each entrance. Names and addresses are untrusted
//! text: length-checked here, bound in SQL, drawn as glyphs on posters.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{VenueCodeContent, fit_short_name};
use vaora_core::wire::lenient;
use vaora_print::Poster;

use crate::api::extract::{Body, Params};
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::{NewVenue, Role, StoredVenue};
use crate::error::{ApiError, ErrorBody};

const MAX_NAME_CHARS: usize = 200;
const MAX_ADDRESS_CHARS: usize = 300;
const MAX_ENTRANCES: u16 = 50;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVenue {
    /// Shown on posters and in the venue directory. Control characters are
    /// dropped.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "[^\\s\\x00-\\x1f\\x7f-\\x9f]"
    )]
    pub name: String,
    /// What the QR code carries, cut to 32 bytes; by default the name.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub short_name: Option<String>,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub address: String,
    /// 2025 commune code.
    #[schema(minimum = 1, maximum = 16777215)]
    #[serde(deserialize_with = "lenient::integer")]
    pub commune: u32,
    pub kind: VenueKind,
    /// After this, a visit nobody checked out ends by itself.
    #[schema(minimum = 1, maximum = 1275)]
    #[serde(deserialize_with = "lenient::integer")]
    pub default_stay_minutes: u16,
    #[schema(minimum = 1, maximum = 50)]
    #[serde(deserialize_with = "lenient::integer")]
    pub entrances: u16,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VenueView {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub address: String,
    pub commune: u32,
    pub kind: VenueKind,
    pub default_stay_minutes: u16,
    pub entrances: Vec<EntranceView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntranceView {
    pub entrance: u16,
    /// The QR code's text, `HTTPS://HOST/V/…`.
    pub code: String,
}

/// Untrusted text as stored: control characters dropped, trimmed, and at
/// most `max_chars` long (else refused with `code`).
fn clean(text: &str, max_chars: usize, code: &'static str) -> Result<String, ApiError> {
    if text.chars().count() > max_chars {
        return Err(ApiError::invalid(code));
    }
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    if text.chars().count() > max_chars {
        return Err(ApiError::invalid(code));
    }
    Ok(text.to_owned())
}

/// What one entrance's code says. Codes carry the venue's creation date,
/// so a reprinted poster is the same poster.
pub(crate) fn content_of(
    state: &AppState,
    stored: &StoredVenue,
    entrance: u16,
) -> Result<VenueCodeContent, ApiError> {
    let venue = &stored.venue;
    let created = OffsetDateTime::from_unix_timestamp(stored.created_at / 1000)
        .map_err(|_| ApiError::invalid("venue_date"))?;
    Ok(VenueCodeContent {
        key_id: state.issuer.key_id(),
        venue: VenueId(stored.id as u64),
        entrance: EntranceNo(entrance),
        short_name: venue.short_name.clone(),
        commune: Some(CommuneCode(venue.commune)),
        kind: venue.kind,
        default_stay_minutes: venue.default_stay_minutes,
        issued_on: created.date(),
    })
}

/// The signed code of one entrance.
fn code_of(state: &AppState, stored: &StoredVenue, entrance: u16) -> Result<String, ApiError> {
    let signed = state
        .issuer
        .issue(content_of(state, stored, entrance)?)
        .map_err(|e| {
            tracing::info!(error = %e, "venue code not issued");
            ApiError::invalid("venue_code")
        })?;
    Ok(signed.to_text(&state.code_host))
}

fn view(state: &AppState, stored: StoredVenue) -> Result<VenueView, ApiError> {
    let entrances = (1..=stored.venue.entrances)
        .map(|entrance| {
            Ok(EntranceView {
                entrance,
                code: code_of(state, &stored, entrance)?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let v = stored.venue;
    Ok(VenueView {
        id: stored.id,
        name: v.name,
        short_name: v.short_name,
        address: v.address,
        commune: v.commune,
        kind: v.kind,
        default_stay_minutes: v.default_stay_minutes,
        entrances,
    })
}

#[utoipa::path(post, path = "/v1/venues", tag = "venues", request_body = CreateVenue,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
                (status = 201, description = "The venue, with each entrance's code", body = VenueView),
        (status = 422, description = "A field is out of range", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateVenue>,
) -> Result<(StatusCode, Json<VenueView>), ApiError> {
    caller.require(&[Role::Registrar])?;
    let name = clean(&req.name, MAX_NAME_CHARS, "name")?;
    if name.is_empty() {
        return Err(ApiError::invalid("name"));
    }
    // Whatever was asked, the code carries at most 32 bytes of it.
    let asked = match &req.short_name {
        Some(s) => clean(s, MAX_NAME_CHARS, "short_name")?,
        None => String::new(),
    };
    let short_name = fit_short_name(if asked.is_empty() { &name } else { &asked });
    if short_name.is_empty() {
        return Err(ApiError::invalid("short_name"));
    }
    if req.default_stay_minutes == 0 {
        return Err(ApiError::invalid("default_stay_minutes"));
    }
    if req.entrances == 0 || req.entrances > MAX_ENTRANCES {
        return Err(ApiError::invalid("entrances"));
    }
    let new = NewVenue {
        name,
        short_name,
        address: clean(&req.address, MAX_ADDRESS_CHARS, "address")?,
        commune: req.commune,
        kind: req.kind,
        default_stay_minutes: req.default_stay_minutes,
        entrances: req.entrances,
    };
    // The code format checks the commune and the stay: sign one entrance's
    // code before storing, so a stored venue always prints.
    let probe = StoredVenue {
        id: 1,
        created_at: crate::db::now_ms(),
        venue: new.clone(),
    };
    code_of(&state, &probe, 1)?;
    let venue = state.db.create_venue(&new).await?;
    Ok((StatusCode::CREATED, Json(view(&state, venue)?)))
}

#[utoipa::path(get, path = "/v1/venues/{id}", tag = "venues",
    params(("id" = i64, Path, description = "Venue number")),
    security(("bearer" = [])),
    responses(
        (status = 400, description = "A path number does not parse", body = ErrorBody),
                (status = 200, description = "The venue, with each entrance's code", body = VenueView),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<i64>,
) -> Result<Json<VenueView>, ApiError> {
    caller.require(&[Role::Registrar])?;
    let venue = state.db.venue(id).await?.ok_or(ApiError::NOT_FOUND)?;
    Ok(Json(view(&state, venue)?))
}

async fn poster(
    state: &AppState,
    caller: Caller,
    id: i64,
    entrance: u16,
) -> Result<Poster, ApiError> {
    caller.require(&[Role::Registrar])?;
    let stored = state.db.venue(id).await?.ok_or(ApiError::NOT_FOUND)?;
    if entrance == 0 || entrance > stored.venue.entrances {
        return Err(ApiError::NOT_FOUND);
    }
    Ok(Poster {
        code_text: code_of(state, &stored, entrance)?,
        venue_name: stored.venue.name,
        address: stored.venue.address,
        entrance,
    })
}

fn printed(
    bytes: Result<Vec<u8>, vaora_print::PrintError>,
    mime: &'static str,
) -> Result<Response, ApiError> {
    let bytes = bytes.map_err(|e| {
        tracing::error!(error = %e, "poster not rendered");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "poster")
    })?;
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}

#[utoipa::path(get, path = "/v1/venues/{id}/entrances/{entrance}/poster.pdf", tag = "venues",
    params(("id" = i64, Path, description = "Venue number"), ("entrance" = u16, Path, description = "Entrance number, from 1", minimum = 1, maximum = 65535)),
    security(("bearer" = [])),
    responses(
        (status = 400, description = "A path number does not parse", body = ErrorBody),
                (status = 200, description = "The A4 entrance poster", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "No such venue or entrance", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn poster_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Params((id, entrance)): Params<(i64, u16)>,
) -> Result<Response, ApiError> {
    let poster = poster(&state, caller, id, entrance).await?;
    printed(poster.render_pdf(), "application/pdf")
}

#[utoipa::path(get, path = "/v1/venues/{id}/entrances/{entrance}/poster.png", tag = "venues",
    params(("id" = i64, Path, description = "Venue number"), ("entrance" = u16, Path, description = "Entrance number, from 1", minimum = 1, maximum = 65535)),
    security(("bearer" = [])),
    responses(
        (status = 400, description = "A path number does not parse", body = ErrorBody),
                (status = 200, description = "The A4 entrance poster", content_type = "image/png", body = Vec<u8>),
        (status = 404, description = "No such venue or entrance", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn poster_png(
    State(state): State<AppState>,
    caller: Caller,
    Params((id, entrance)): Params<(i64, u16)>,
) -> Result<Response, ApiError> {
    let poster = poster(&state, caller, id, entrance).await?;
    printed(poster.render_png(150), "image/png")
}
