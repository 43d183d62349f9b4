//! The health authority's console: sign-in, and one module per page
//! (checkpoint activity, contact tracing, risky venues).

pub mod activity;
pub mod risky;
pub mod tracing;

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{Notice, Section, notice, shell};
use super::session::{Officer, SESSION_COOKIE, SESSION_LIFETIME, session_id};
use super::words::{Lang, Words};
use crate::app::AppState;
use crate::db::Role;
use crate::error::ApiError;

/// The console's start page: activity when signed in.
pub async fn home(officer: Result<Officer, Response>) -> Redirect {
    match officer {
        Ok(_) => Redirect::to("/console/activity"),
        Err(_) => Redirect::to("/console/login"),
    }
}

pub async fn login_page(headers: HeaderMap) -> Markup {
    sign_in(Lang::of_request(&headers), None)
}

fn sign_in(lang: Lang, problem: Option<&str>) -> Markup {
    let w = lang.words();
    shell(
        lang,
        Section::SignIn,
        None,
        w.sign_in,
        html! {
            @if let Some(problem) = problem { (notice(&Notice::Problem(problem))) }
            form method="post" action="/console/login" {
                label {
                    (w.token)
                    input type="password" name="token" required autocomplete="current-password"
                        autofocus spellcheck="false" maxlength="128";
                    small { (w.token_hint) }
                }
                p { button type="submit" { (w.sign_in) } }
            }
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    #[serde(default)]
    token: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let w = lang.words();
    // Guessing tokens costs the caller's address its budget.
    if state.limits.check_address(peer.ip()).is_err() {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            sign_in(lang, Some(w.too_many_requests)),
        )
            .into_response();
    }
    let token = form.token.trim();
    let owner = if token.is_empty() || token.len() > 128 {
        Ok(None)
    } else {
        state.db.token_owner(token).await
    };
    match owner {
        Ok(Some(owner)) if owner.role == Role::Authority => {
            let id = state.sessions.open();
            ::tracing::info!("console sign-in");
            let cookie = format!(
                "{SESSION_COOKIE}={id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={}",
                SESSION_LIFETIME.as_secs()
            );
            with_cookie(Redirect::to("/console/activity").into_response(), &cookie)
        }
        Ok(_) => (StatusCode::UNAUTHORIZED, sign_in(lang, Some(w.wrong_token))).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            (e.status, sign_in(lang, Some(problem_text(w, &e)))).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct FormToken {
    #[serde(default)]
    form_token: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    officer: Officer,
    headers: HeaderMap,
    Form(form): Form<FormToken>,
) -> Response {
    if !officer.sent(form.form_token.as_deref()) {
        return Redirect::to("/console/activity").into_response();
    }
    if let Some(id) = session_id(&headers) {
        state.sessions.close(id);
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    with_cookie(Redirect::to("/console/login").into_response(), &cookie)
}

pub(crate) fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// What an API refusal means to the officer, in their language.
fn problem_text(w: &'static Words, e: &ApiError) -> &'static str {
    match (e.status, e.code) {
        (StatusCode::NOT_FOUND, _) => w.no_such_venue,
        (_, "window") => w.bad_window,
        (_, "advice") => w.advice_too_long,
        (StatusCode::TOO_MANY_REQUESTS, _) => w.too_many_requests,
        (StatusCode::SERVICE_UNAVAILABLE, _) => w.storage_unavailable,
        _ => w.check_fields,
    }
}

/// A page of the console for a signed-in officer, with the status its
/// notice implies (422 for bad input, 503 when storage failed, …).
fn respond(
    lang: Lang,
    section: Section,
    officer: &Officer,
    title: &str,
    status: StatusCode,
    content: Markup,
) -> Response {
    (status, shell(lang, section, Some(officer), title, content)).into_response()
}
