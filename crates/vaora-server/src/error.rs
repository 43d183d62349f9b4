//! API errors: a status and a stable error code (`{"error": "…"}`), never
//! a database message or anything a client sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    /// Seconds to wait, sent as `Retry-After` (429).
    pub retry_after: Option<u64>,
}

/// Every error answer: a stable code, never a database message.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: &'static str,
}

impl ApiError {
    pub const fn new(status: StatusCode, code: &'static str) -> ApiError {
        ApiError {
            status,
            code,
            retry_after: None,
        }
    }

    pub fn too_many_requests(seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        }
    }

    pub const UNAUTHORIZED: ApiError = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized");
    pub const FORBIDDEN: ApiError = ApiError::new(StatusCode::FORBIDDEN, "forbidden");
    pub const NOT_FOUND: ApiError = ApiError::new(StatusCode::NOT_FOUND, "not_found");

    pub fn invalid(code: &'static str) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        tracing::error!(error = %e, "storage failure");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.code })).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
