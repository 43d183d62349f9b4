use axum::{Json, Router, routing::get};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub api: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        api: "v1",
    })
}

pub fn router() -> Router {
    Router::new().route("/v1/health", get(health))
}
