//! The HTTP API, versioned under `/v1`. One file per area; each handler
//! checks the caller's role first (`auth::Caller::require`).

pub(crate) mod activity;
mod devices;
mod directory;
pub mod extract;
pub mod openapi;
pub(crate) mod risky;
mod sync;
pub(crate) mod tracing_query;
mod venues;

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use vaora_core::venue_code::KeyRing;

use crate::app::AppState;

/// Largest request body accepted, after inflating a gzip body: a full sync
/// batch (500 visits) is well under 256 KiB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub api: &'static str,
}

#[utoipa::path(get, path = "/v1/health", tag = "meta",
    responses((status = 200, description = "The server is up", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        api: "v1",
    })
}

/// The key ring devices trust: this server's venue-signing key, and the
/// authority key personal passes are sealed to.
#[utoipa::path(get, path = "/v1/keys", tag = "meta",
    responses((status = 200, description = "The key ring devices trust to verify venue codes offline", body = Object)))]
async fn keys(State(state): State<AppState>) -> Json<KeyRing> {
    Json(crate::issuer::key_ring(&state.issuer, &state.authority))
}

pub fn router(state: AppState) -> Router {
    let api = routes(state.clone()).merge(crate::web::router(state));
    #[cfg(feature = "faults")]
    let api = {
        let faults = std::sync::Arc::new(crate::faults::Faults::default());
        api.route_layer(axum::middleware::from_fn_with_state(
            faults.clone(),
            crate::faults::inject,
        ))
        .merge(
            Router::new()
                .route("/test/faults", post(crate::faults::set))
                .with_state(faults),
        )
    };
    api
}

fn routes(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/keys", get(keys))
        .route("/openapi.json", get(openapi::document))
        .route("/v1/devices", post(devices::register))
        .route("/v1/venues", post(venues::create))
        .route("/v1/venues/{id}", get(venues::show))
        .route(
            "/v1/venues/{id}/entrances/{entrance}/poster.pdf",
            get(venues::poster_pdf),
        )
        .route(
            "/v1/venues/{id}/entrances/{entrance}/poster.png",
            get(venues::poster_png),
        )
        .route(
            "/v1/venues/{id}/entrances/{entrance}/gates",
            post(devices::bind_gate),
        )
        .route("/v1/sync", post(sync::ingest))
        .route("/v1/gates/certificate", post(devices::certify_gate_key))
        .route("/v1/risky-venues", post(risky::mark).get(risky::list))
        .route("/v1/venue-directory", get(directory::page))
        .route("/v1/tracing", get(tracing_query::contacts))
        .route("/v1/activity", get(activity::activity))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Outermost: a gzip body is inflated as it is read, and the limit
        // above counts the inflated bytes (no zip bombs).
        .layer(tower_http::decompression::RequestDecompressionLayer::new())
        // Answers gzipped for the clients that ask (the app does): a sync
        // answer names every item, about as many bytes as the gzipped batch.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
