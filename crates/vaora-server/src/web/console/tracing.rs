//! Contact tracing: a case's venue and time in, everyone whose stay
//! overlapped out, with what they declared; the same list as a CSV file
//! that is safe to open in a spreadsheet.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vaora_core::AdminUnits;
use vaora_core::venue::CommuneCode;

use super::{problem_text, respond};
use crate::api::tracing_query::{CaseWindow, ContactView, csv_response, trace};
use crate::app::AppState;
use crate::db::StoredVenue;
use crate::error::ApiError;
use crate::web::page::{Notice, Section, notice};
use crate::web::session::Officer;
use crate::web::vietnam_time::{local_input, parse_local, show};
use crate::web::words::{Lang, Words};

const DEFAULT_MINUTES: i64 = 60;
const DEFAULT_WIDEN: i64 = 60;

/// The form's fields as typed (all text, so a typo is a message, not a
/// rejected request).
#[derive(Debug, Default, Deserialize)]
pub struct CaseQuery {
    venue: Option<String>,
    from: Option<String>,
    minutes: Option<String>,
    widen: Option<String>,
}

fn number(text: Option<&str>, default: i64, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    match text.map(str::trim) {
        None | Some("") => Some(default),
        Some(t) => t.parse().ok().filter(|n| range.contains(n)),
    }
}

impl CaseQuery {
    /// `Ok(None)`: the empty form, nothing asked yet.
    fn window(&self) -> Result<Option<CaseWindow>, ApiError> {
        let venue = self.venue.as_deref().map(str::trim).unwrap_or("");
        if venue.is_empty() {
            return Ok(None);
        }
        let bad = || ApiError::invalid("query");
        let venue = venue.parse().ok().filter(|v| *v > 0).ok_or_else(bad)?;
        let from = self
            .from
            .as_deref()
            .and_then(parse_local)
            .filter(|s| (1_577_836_800..=4_102_444_799).contains(s))
            .ok_or_else(|| ApiError::invalid("window"))?;
        let minutes = number(self.minutes.as_deref(), DEFAULT_MINUTES, 1..=20_160)
            .ok_or_else(|| ApiError::invalid("window"))?;
        let widen = number(self.widen.as_deref(), DEFAULT_WIDEN, 0..=1440)
            .ok_or_else(|| ApiError::invalid("window"))?;
        Ok(Some(CaseWindow {
            venue,
            from,
            minutes,
            widen,
        }))
    }
}

pub async fn page(
    State(state): State<AppState>,
    officer: Officer,
    headers: HeaderMap,
    Query(query): Query<CaseQuery>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let w = lang.words();
    let answer = match query.window() {
        Ok(None) => Ok(None),
        Ok(Some(case)) => found(&state, &case).await.map(Some),
        Err(e) => Err(e),
    };
    let form = case_form(w, &query);
    let (status, content) = match answer {
        Ok(None) => (StatusCode::OK, form),
        Ok(Some((case, venue, contacts))) => (
            StatusCode::OK,
            html! { (form) (results(w, &case, &venue, &contacts)) },
        ),
        Err(e) => (
            e.status,
            html! { (notice(&Notice::Problem(problem_text(w, &e)))) (form) },
        ),
    };
    respond(
        lang,
        Section::Tracing,
        &officer,
        w.tracing_title,
        status,
        content,
    )
}

/// The same contacts as a CSV download.
pub async fn csv(
    State(state): State<AppState>,
    _officer: Officer,
    Query(query): Query<CaseQuery>,
) -> Response {
    match query.window() {
        Ok(Some(case)) => match found(&state, &case).await {
            Ok((_, _, contacts)) => csv_response(&contacts),
            Err(e) => e.into_response(),
        },
        Ok(None) => ApiError::invalid("query").into_response(),
        Err(e) => e.into_response(),
    }
}

async fn found(
    state: &AppState,
    case: &CaseWindow,
) -> Result<(CaseWindow, StoredVenue, Vec<ContactView>), ApiError> {
    let venue = state
        .db
        .venue(case.venue)
        .await?
        .ok_or(ApiError::NOT_FOUND)?;
    let contacts = trace(state, case).await?;
    Ok((*case, venue, contacts))
}

fn case_form(w: &Words, q: &CaseQuery) -> Markup {
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
    let minutes = q
        .minutes
        .clone()
        .unwrap_or_else(|| DEFAULT_MINUTES.to_string());
    let widen = q.widen.clone().unwrap_or_else(|| DEFAULT_WIDEN.to_string());
    html! {
        form.query method="get" action="/console/tracing" {
            label { (w.venue) input type="number" name="venue" min="1" required value=(text(&q.venue)); }
            label { (w.start) input type="datetime-local" name="from" required value=(text(&q.from)); }
            label { (w.minutes) input type="number" name="minutes" min="1" max="20160" required value=(minutes); }
            label { (w.widen) input type="number" name="widen" min="0" max="1440" value=(widen); }
            button type="submit" { (w.search) }
        }
    }
}

fn address(units: &AdminUnits, c: &ContactView) -> String {
    let commune = c.commune.and_then(|code| units.commune(CommuneCode(code)));
    let province = commune.and_then(|u| units.province(u.province));
    [
        c.street.clone(),
        commune.map(|u| u.name.clone()),
        province.map(|p| p.name.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

fn results(w: &Words, case: &CaseWindow, venue: &StoredVenue, contacts: &[ContactView]) -> Markup {
    let units = AdminUnits::embedded();
    let csv_link = format!(
        "/console/tracing.csv?venue={}&from={}&minutes={}&widen={}",
        case.venue,
        local_input(case.from),
        case.minutes,
        case.widen
    );
    html! {
        h2 { (venue.venue.name) " (" (venue.id) ")" }
        p { (venue.venue.address) }
        p { strong { (w.contacts_found(contacts.len())) } }
        @if contacts.is_empty() {
            p { (w.no_contacts) }
        } @else {
            p { a.button href=(csv_link) download="tracing.csv" { (w.download_csv) } }
            div.table { table {
                thead { tr {
                    th { (w.checked_in) } th { (w.checked_out) } th.number { (w.entrance) }
                    th { (w.name) } th { (w.id_number) } th { (w.phone) } th { (w.address) } th { (w.source) }
                } }
                tbody { @for c in contacts {
                    tr {
                        td { (show(c.checked_in_at)) }
                        td { (c.checked_out_at.map(show).unwrap_or_default()) }
                        td.number { (c.entrance) }
                        @if let Some(name) = &c.full_name {
                            td { (name) }
                        } @else {
                            td { em { (w.not_declared) } }
                        }
                        td { (c.id_number.as_deref().unwrap_or("")) }
                        td { (c.phone.as_deref().unwrap_or("")) }
                        td { (address(units, c)) }
                        td { (if c.source == "gate" { w.source_gate } else { w.source_visit }) }
                    }
                } }
            } }
        }
    }
}
