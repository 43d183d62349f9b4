//! What every request handler shares.

use std::sync::Arc;

use vaora_core::venue_code::VenueIssuer;

use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub issuer: Arc<VenueIssuer>,
    /// Host name in printed venue codes.
    pub code_host: Arc<str>,
    pub limits: Arc<crate::limits::Limits>,
}
