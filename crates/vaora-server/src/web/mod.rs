//! Server-rendered HTML pages: the health authority's console. They work
//! without JavaScript, on a phone and on paper. Every value is interpolated
//! by `maud`, which escapes it; nothing is ever written as raw HTML except
//! the fixed stylesheet. The pages call the same functions as the JSON API
//! (`api::activity::report`, `api::tracing_query::trace`,
//! `api::risky::publish`), so both always agree.

mod charts;
mod console;
mod page;
mod session;
mod vietnam_time;
mod words;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::app::AppState;

pub use session::Sessions;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/console", get(console::home))
        .route(
            "/console/login",
            get(console::login_page).post(console::login),
        )
        .route("/console/logout", post(console::logout))
        .route("/console/lang/{code}", get(console::switch_language))
        .route("/console/activity", get(console::activity::page))
        .route("/console/tracing", get(console::tracing::page))
        .route("/console/tracing.csv", get(console::tracing::csv))
        .route(
            "/console/risky",
            get(console::risky::page).post(console::risky::mark),
        )
        .route("/console/style.css", get(page::stylesheet))
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
}
