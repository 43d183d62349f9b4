//! `vaora-server`: the reference back end.
//!
//! Architecture invariant: no client code. The app talks to it only over
//! HTTP (`/v1/...`), so anything here can be replaced by another back end
//! that speaks the same protocol.

pub mod config;
pub mod poster;
pub mod routes;

pub use config::ServerConfig;
pub use routes::router;
