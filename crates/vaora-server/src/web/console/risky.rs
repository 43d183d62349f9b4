//! Marking a case's visit: the officer enters the venue, the entrance if
//! known, the time and the advice; the entry is signed and published to
//! every phone (`api::risky::publish`, as the JSON API does).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vaora_core::risk::SignedRiskyEntry;

use super::{problem_text, respond};
use crate::api::risky::{MarkRisky, publish};
use crate::app::AppState;
use crate::error::ApiError;
use crate::web::page::{Notice, Section, notice};
use crate::web::session::Officer;
use crate::web::vietnam_time::{parse_local, show};
use crate::web::words::{Lang, Words};

/// Entries listed under the form.
const RECENT: i64 = 20;

/// The form as typed: kept whole so that a mistake loses nothing.
#[derive(Debug, Default, Deserialize)]
pub struct MarkForm {
    #[serde(default)]
    form_token: Option<String>,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    entrance: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    advice_vi: String,
    #[serde(default)]
    advice_en: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Published {
    published: Option<String>,
}

impl MarkForm {
    fn request(&self) -> Result<MarkRisky, ApiError> {
        let venue = self
            .venue
            .trim()
            .parse()
            .ok()
            .filter(|v| *v > 0)
            .ok_or(ApiError::NOT_FOUND)?;
        let entrance = match self.entrance.trim() {
            "" => None,
            e => Some(e.parse().map_err(|_| ApiError::NOT_FOUND)?),
        };
        let from = parse_local(&self.from).ok_or_else(|| ApiError::invalid("window"))?;
        let minutes = self
            .minutes
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid("window"))?;
        Ok(MarkRisky {
            venue,
            entrance,
            from,
            minutes,
            advice_vi: self.advice_vi.clone(),
            advice_en: self.advice_en.clone(),
        })
    }
}

pub async fn page(
    State(state): State<AppState>,
    officer: Officer,
    headers: HeaderMap,
    Query(done): Query<Published>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let w = lang.words();
    let done = done
        .published
        .is_some()
        .then_some(Notice::Done(w.published));
    render(
        &state,
        lang,
        &officer,
        &MarkForm::default(),
        done,
        StatusCode::OK,
    )
    .await
}

pub async fn mark(
    State(state): State<AppState>,
    officer: Officer,
    headers: HeaderMap,
    Form(form): Form<MarkForm>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let w = lang.words();
    if !officer.sent(form.form_token.as_deref()) {
        let problem = Some(Notice::Problem(w.form_expired));
        return render(
            &state,
            lang,
            &officer,
            &form,
            problem,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let published = match form.request() {
        Ok(request) => publish(&state, &request).await,
        Err(e) => Err(e),
    };
    match published {
        // After a post, a redirect: reloading the page does not publish twice.
        Ok(signed) => {
            Redirect::to(&format!("/console/risky?published={}", signed.entry.id)).into_response()
        }
        Err(e) => {
            let problem = Some(Notice::Problem(problem_text(w, &e)));
            render(&state, lang, &officer, &form, problem, e.status).await
        }
    }
}

async fn render(
    state: &AppState,
    lang: Lang,
    officer: &Officer,
    form: &MarkForm,
    notice_shown: Option<Notice<'_>>,
    status: StatusCode,
) -> Response {
    let w = lang.words();
    let recent = state.db.latest_risky(RECENT).await;
    let content = html! {
        @if let Some(n) = &notice_shown { (notice(n)) }
        (mark_form(w, officer, form))
        h2 { (w.recent_risky) }
        @match &recent {
            Ok(entries) => (recent_table(w, entries)),
            Err(_) => (notice(&Notice::Problem(w.storage_unavailable))),
        }
    };
    respond(
        lang,
        Section::Risky,
        officer,
        w.risky_title,
        status,
        content,
    )
}

fn mark_form(w: &Words, officer: &Officer, f: &MarkForm) -> Markup {
    html! {
        form method="post" action="/console/risky" {
            input type="hidden" name="form_token" value=(officer.form_token);
            div.columns {
                label { (w.venue) input type="number" name="venue" min="1" required value=(f.venue); }
                label {
                    (w.entrance)
                    input type="number" name="entrance" min="1" max="65535" value=(f.entrance);
                    small { (w.whole_venue) }
                }
                label { (w.start) input type="datetime-local" name="from" required value=(f.from); }
                label { (w.minutes) input type="number" name="minutes" min="1" max="20160" required value=(f.minutes); }
                label {
                    (w.advice_vi)
                    textarea name="advice_vi" maxlength="500" lang="vi" { (f.advice_vi) }
                    small { (w.advice_hint) }
                }
                label {
                    (w.advice_en)
                    textarea name="advice_en" maxlength="500" lang="en" { (f.advice_en) }
                }
            }
            p { button type="submit" { (w.publish) } }
        }
    }
}

fn recent_table(w: &Words, entries: &[SignedRiskyEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            p { (w.none_yet) }
        } @else {
            div.table { table {
                thead { tr {
                    th.number { "#" } th.number { (w.venue) } th.number { (w.entrance) }
                    th { (w.window) } th { (w.advice_vi) }
                } }
                tbody { @for e in entries {
                    @let e = &e.entry;
                    tr {
                        td.number { (e.id) }
                        td.number { (e.venue.0) }
                        td.number { @if let Some(n) = e.entrance { (n.0) } }
                        td { (show(e.from.unix_timestamp() * 1000)) " – " (show(e.to.unix_timestamp() * 1000)) }
                        td { (e.advice_vi) }
                    }
                } }
            } }
        }
    }
}
