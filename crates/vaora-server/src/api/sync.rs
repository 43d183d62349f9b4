//! `POST /v1/sync`: see `db::ingest` for the rules.

use axum::Json;
use axum::extract::State;
use vaora_core::wire::{MAX_BATCH_ITEMS, SyncBatch, SyncResponse};

use crate::api::extract::Body;
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::now_ms;
use crate::error::{ApiError, ErrorBody};

#[utoipa::path(post, path = "/v1/sync", tag = "sync", request_body = SyncBatch,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 422, description = "The JSON is not a batch", body = ErrorBody),
                (status = 200, description = "One result per item: accepted, duplicate or rejected with a reason", body = SyncResponse),
        (status = 413, description = "More than 500 items, or a body over 256 KiB (after gzip)", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<SyncBatch>,
) -> Result<Json<SyncResponse>, ApiError> {
    let device = caller.device()?;
    if batch.items.len() > MAX_BATCH_ITEMS {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
        ));
    }
    let results = state.db.ingest(device, &batch.items, now_ms()).await?;
    Ok(Json(SyncResponse { results }))
}
