//! Server-rendered HTML pages: the health authority's console, and the
//! declaration page a venue code opens on a phone without the app. They work
//! without JavaScript, on a phone and on paper. Every value is interpolated
//! by `maud`, which escapes it; nothing is ever written as raw HTML except
//! the fixed stylesheet. The pages call the same functions as the JSON API
//! (`api::activity::report`, `api::tracing_query::trace`,
//! `api::risky::publish`), so both always agree.

mod charts;
mod console;
mod declare;
mod messages;
mod page;
mod session;
mod vietnam_time;
mod words;

use words::{LANG_COOKIE, Lang};

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::app::AppState;

pub use session::Sessions;

/// The largest form any page posts (a declaration is about 1 KB).
const MAX_FORM_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/console", get(console::home))
        .route(
            "/console/login",
            get(console::login_page).post(console::login),
        )
        .route("/console/logout", post(console::logout))
        .route("/console/activity", get(console::activity::page))
        .route("/console/tracing", get(console::tracing::page))
        .route("/console/tracing.csv", get(console::tracing::csv))
        .route(
            "/console/risky",
            get(console::risky::page).post(console::risky::mark),
        )
        // A venue code is `HTTPS://HOST/V/TOKEN`; phones may lower-case it.
        .route("/V/{token}", get(declare::page).post(declare::submit))
        .route("/v/{token}", get(declare::page).post(declare::submit))
        .route("/lang/{code}", get(switch_language))
        .route(page::STYLESHEET, get(page::stylesheet))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::map_response(protect))
        .with_state(state)
}

/// Headers for pages that show personal data: nothing runs but our own
/// stylesheet, nothing frames them, nothing caches them, and the address
/// (with a tracing query in it) is not sent on to other sites.
async fn protect(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Remembers the language and goes back to the page the link was on.
async fn switch_language(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return Redirect::to("/console").into_response();
    };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(own_page)
        .unwrap_or("/console");
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    console::with_cookie(Redirect::to(back).into_response(), &cookie)
}

/// The path of one of these pages in a `Referer`, and nothing else: the
/// switch must not become a redirect to any other site.
fn own_page(referer: &str) -> Option<&str> {
    let path = referer.split_once("://").map_or(referer, |(_, rest)| {
        rest.find('/').map_or("", |slash| &rest[slash..])
    });
    let ours = ["/console/", "/v/", "/V/"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    let allowed = ours && !path.contains("//") && !path.contains('\\');
    allowed.then_some(path)
}

/// One cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_several_headers_and_pairs() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; b=2"));
        headers.append(header::COOKIE, HeaderValue::from_static("vaora_lang=en"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "vaora_lang"), Some("en"));
        assert_eq!(cookie(&headers, "c"), None);
        assert_eq!(cookie(&headers, "vaora"), None, "names match whole");
    }

    #[test]
    fn the_language_switch_only_returns_to_our_own_pages() {
        assert_eq!(
            own_page("http://127.0.0.1:8080/console/tracing?venue=1"),
            Some("/console/tracing?venue=1")
        );
        assert_eq!(own_page("https://vaora.vn/V/ABC"), Some("/V/ABC"));
        assert_eq!(own_page("/console/activity"), Some("/console/activity"));
        for elsewhere in [
            "https://evil.example/",
            "https://evil.example",
            "http://host//evil.example/console/x",
            "http://host/v1/keys",
            "http://host/console/..\\evil",
        ] {
            assert_eq!(own_page(elsewhere), None, "{elsewhere}");
        }
    }
}
