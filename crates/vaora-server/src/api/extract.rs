//! Axum's JSON body and path extractors, with their rejections answered
//! like every other error (`{"error": code}` JSON, documented statuses)
//! instead of axum's plain-text messages.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(json_error(&rejection)),
        }
    }
}

fn json_error(rejection: &JsonRejection) -> ApiError {
    let status = rejection.status();
    let code = match status {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "json_expected",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        _ => "bad_json",
    };
    ApiError::new(status, code)
}

/// Path parameters (venue and entrance numbers).
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Params(value)),
            Err(rejection) => Err(path_error(&rejection)),
        }
    }
}

fn path_error(_: &PathRejection) -> ApiError {
    // A number that does not parse (or overflows) names nothing.
    ApiError::new(StatusCode::BAD_REQUEST, "bad_path")
}

/// The value of `key` in a raw query string (`a=1&b=2`), undecoded: the
/// server's query parameters are numbers and fixed words. Unknown
/// parameters are ignored, as caches and proxies add some.
pub fn query_value<'a>(query: Option<&'a str>, key: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// A whole-number query parameter within `range`: `Ok(None)` when absent,
/// an error (422) when present but not such a number.
pub fn query_number(
    query: Option<&str>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, crate::error::ApiError> {
    match query_value(query, key) {
        None => Ok(None),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|v| range.contains(v))
            .map(Some)
            .ok_or_else(|| crate::error::ApiError::invalid("query")),
    }
}
