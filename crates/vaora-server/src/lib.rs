//! `vaora-server`: the reference back end.
//!
//! Architecture invariant: no client code. The app talks to it only over
//! HTTP (`/v1/...`), so anything here can be replaced by another back end
//! that speaks the same protocol. `db/` is the only module with SQL;
//! `api/` has the JSON handlers and `web/` the HTML pages (the authority
//! console), which call the same functions.

pub mod api;
pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
#[cfg(feature = "faults")]
pub mod faults;
pub mod issuer;
pub mod limits;
pub mod serve;
pub mod web;
/// Entrance posters (laid out and drawn by `vaora-print`).
pub mod poster {
    pub use vaora_print::PrintError as PosterError;
    pub use vaora_print::poster::{Poster, QR_MM};
}

pub use api::router;
pub use app::AppState;
pub use config::ServerConfig;
