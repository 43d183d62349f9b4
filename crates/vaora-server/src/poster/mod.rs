//! Printable entrance posters: the venue code as a 15 × 15 cm QR code on A4,
//! with the venue's name, the entrance, and instructions in Vietnamese and
//! English. PNG for quick printing and previews, PDF (vector QR, embedded
//! Be Vietnam Pro) for print shops.
//!
//! `layout` decides what goes where in millimetres; `png` and `pdf` only
//! draw that layout, so both outputs always match.

mod layout;
mod pdf;
mod png;

pub use layout::{Poster, PosterError};
pub use pdf::render_pdf;
pub use png::render_png;
