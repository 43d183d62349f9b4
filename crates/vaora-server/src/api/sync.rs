//! `POST /v1/sync`: see `db::ingest` for the rules.

use axum::Json;
use axum::extract::State;
use vaora_core::wire::{MAX_BATCH_ITEMS, SyncBatch, SyncResponse};

use crate::app::AppState;
use crate::auth::Caller;
use crate::db::now_ms;
use crate::error::ApiError;

pub async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    Json(batch): Json<SyncBatch>,
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
