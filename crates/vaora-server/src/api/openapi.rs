//! `/openapi.json`: the API described from the handlers and types
//! themselves (`#[utoipa::path]` on each handler), so it cannot drift.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "VaoRa API", description = "Venue check-in, health declarations and sync for VaoRa."),
    paths(
        super::health,
        super::keys,
        super::devices::register,
        super::devices::bind_gate,
        super::devices::certify_gate_key,
        super::risky::mark,
        super::risky::list,
        super::directory::page,
        super::tracing_query::contacts,
        super::activity::activity,
        super::venues::create,
        super::venues::show,
        super::venues::poster_pdf,
        super::venues::poster_png,
        super::sync::ingest,
    ),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// Tokens are opaque bearer strings (hex), issued once.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
