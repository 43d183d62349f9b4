//! `GET /v1/tracing`: the health authority's tracing query. Everyone whose
//! stay at a venue overlapped a case's window (widened, one hour by
//! default), with the contact details they sent in a declaration: a
//! phone's latest one, a gate's confirmed form, or a personal pass opened
//! here with the authority key. JSON, or CSV safe to open in a spreadsheet.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vaora_core::declaration::Declaration;
use vaora_core::personal_pass::PersonalPass;
use vaora_core::spreadsheet::safe_csv;

use crate::api::extract::{query_number, query_value};
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::{Contact, Role};
use crate::error::{ApiError, ErrorBody};

/// One person who may have been exposed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContactView {
    /// `visit` (their own phone) or `gate` (recorded by staff).
    pub source: &'static str,
    pub entrance: i32,
    /// Unix milliseconds.
    pub checked_in_at: i64,
    pub checked_out_at: Option<i64>,
    pub full_name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub commune: Option<u32>,
    pub street: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TracingView {
    pub contacts: Vec<ContactView>,
}

#[utoipa::path(get, path = "/v1/tracing", tag = "tracing",
    security(("bearer" = [])),
    params(
        ("venue" = i64, Query, description = "Venue number", minimum = 1),
        ("from" = i64, Query, description = "Start of the case's window, Unix seconds", minimum = 1577836800, maximum = 4102444799_i64),
        ("minutes" = i64, Query, description = "Length of the case's window", minimum = 1, maximum = 20160),
        ("widen" = Option<i64>, Query, description = "Minutes added either side (default 60)", minimum = 0, maximum = 1440),
        ("format" = Option<String>, Query, description = "`json` (default) or `csv`", pattern = "^(json|csv)$"),
    ),
    responses(
        (status = 200, description = "The contacts, earliest stay first: JSON, or CSV with `format=csv`",
            content(
                (TracingView = "application/json"),
                (String = "text/csv"),
            )),
        (status = 422, description = "A parameter is missing or out of range", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Only the health authority traces", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn contacts(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Authority])?;
    let query = query.as_deref();
    let missing = || ApiError::invalid("query");
    let venue = query_number(query, "venue", 1..=i64::MAX)?.ok_or_else(missing)?;
    let from = query_number(query, "from", 1_577_836_800..=4_102_444_799)?.ok_or_else(missing)?;
    let minutes = query_number(query, "minutes", 1..=20_160)?.ok_or_else(missing)?;
    let widen = query_number(query, "widen", 0..=1440)?.unwrap_or(60);
    let csv = match query_value(query, "format") {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(missing()),
    };
    let contacts = trace(
        &state,
        &CaseWindow {
            venue,
            from,
            minutes,
            widen,
        },
    )
    .await?;
    if csv {
        Ok(csv_response(&contacts))
    } else {
        Ok(Json(TracingView { contacts }).into_response())
    }
}

/// A case's stay at a venue, as the authority enters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CaseWindow {
    pub venue: i64,
    /// Unix seconds.
    pub from: i64,
    pub minutes: i64,
    /// Minutes added either side.
    pub widen: i64,
}

/// Everyone whose stay overlapped the widened window, earliest first.
pub(crate) async fn trace(
    state: &AppState,
    case: &CaseWindow,
) -> Result<Vec<ContactView>, ApiError> {
    let from_ms = (case.from - case.widen * 60) * 1000;
    let to_ms = (case.from + (case.minutes + case.widen) * 60) * 1000;
    let found = state.db.contacts_at(case.venue, from_ms, to_ms).await?;
    let contacts: Vec<ContactView> = found.iter().map(|c| view(state, c)).collect();
    tracing::info!(contacts = contacts.len(), "tracing query");
    Ok(contacts)
}

/// The declaration behind a stay: sent as is, or sealed in a pass that
/// only this server's authority key opens.
fn declaration_of(state: &AppState, c: &Contact) -> Option<Declaration> {
    if let Some(json) = &c.declaration {
        return serde_json::from_str(json).ok();
    }
    let pass = PersonalPass::parse(c.pass.as_deref()?)?.ok()?;
    let opened = state.authority.open(&pass).ok()?;
    serde_json::from_slice(&opened).ok()
}

fn view(state: &AppState, c: &Contact) -> ContactView {
    let d = declaration_of(state, c);
    ContactView {
        source: c.source,
        entrance: c.entrance,
        checked_in_at: c.checked_in_at,
        checked_out_at: c.checked_out_at,
        full_name: d.as_ref().map(|d| d.full_name.clone()),
        id_number: d
            .as_ref()
            .map(|d| d.id_number.clone())
            .filter(|n| !n.is_empty()),
        phone: d
            .as_ref()
            .map(|d| d.phone.clone())
            .filter(|p| !p.is_empty()),
        commune: d.as_ref().map(|d| d.commune.0),
        street: d
            .as_ref()
            .map(|d| d.street.clone())
            .filter(|s| !s.is_empty()),
    }
}

pub(crate) fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub(crate) fn csv_response(contacts: &[ContactView]) -> Response {
    let header = [
        "source",
        "entrance",
        "checked_in_at",
        "checked_out_at",
        "full_name",
        "id_number",
        "phone",
        "commune",
        "street",
    ];
    let body = safe_csv(
        &header,
        contacts.iter().map(|c| {
            [
                c.source.to_owned(),
                c.entrance.to_string(),
                rfc3339(c.checked_in_at),
                c.checked_out_at.map(rfc3339).unwrap_or_default(),
                c.full_name.clone().unwrap_or_default(),
                c.id_number.clone().unwrap_or_default(),
                c.phone.clone().unwrap_or_default(),
                c.commune.map(|n| n.to_string()).unwrap_or_default(),
                c.street.clone().unwrap_or_default(),
            ]
        }),
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tracing.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}
