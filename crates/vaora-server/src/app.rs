//! What every request handler shares.

use std::sync::Arc;

use vaora_core::personal_pass::AuthoritySecret;
use vaora_core::venue_code::VenueIssuer;

use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub issuer: Arc<VenueIssuer>,
    /// Opens personal passes; its public half is in `/v1/keys`.
    pub authority: Arc<AuthoritySecret>,
    /// Host name in printed venue codes.
    pub code_host: Arc<str>,
    pub limits: Arc<crate::limits::Limits>,
    /// Signed-in officers of the authority console.
    pub sessions: Arc<crate::web::Sessions>,
}
