//! `vaora-server`: the reference back end.
//!
//! Architecture invariant: no client code. The app talks to it only over
//! HTTP (`/v1/...`), so anything here can be replaced by another back end
//! that speaks the same protocol.

pub mod config;
/// Entrance posters (laid out and drawn by `vaora-print`).
pub mod poster {
    pub use vaora_print::PrintError as PosterError;
    pub use vaora_print::poster::{Poster, QR_MM};
}
pub mod routes;

pub use config::ServerConfig;
pub use routes::router;
