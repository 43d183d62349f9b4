//! Documents people print: entrance posters (server), and the journal's
//! timeline for a tracing interview and a single visit's record (app).
//!
//! `page` is the model (A4 pages of positioned text, QR codes and rules)
//! and the layout helpers (`Fonts`, `Flow`); `pdf` and `png` only draw that
//! model; `poster` and `journal` decide what goes where.

pub mod journal;
pub mod page;
pub mod pdf;
pub mod png;
pub mod poster;
pub mod qr_svg;

use thiserror::Error;

pub use journal::{Timeline, TimelineEntry, VisitRecord};
pub use page::Page;
pub use pdf::render_pdf;
pub use png::render_png;
pub use poster::Poster;
pub use qr_svg::{QrPath, qr_path};

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("the text does not fit in a QR code")]
    Qr(#[from] qrcode::types::QrError),
    #[error("cannot encode the image: {0}")]
    Image(#[from] image::ImageError),
    #[error("the bundled font is unreadable")]
    Font,
}
