//! Entrance posters: the venue code as a 15 × 15 cm QR code on A4, with the
//! venue's name, the entrance, and instructions in Vietnamese and English.

use crate::PrintError;
use crate::page::{Align, Flow, Fonts, PAGE_W_MM, Page, QrPlacement, Weight};

/// The QR code's printed size, quiet zone included (DESIGN §8: 15 × 15 cm).
pub const QR_MM: f32 = 150.0;

/// What a poster shows. Names and addresses are untrusted text: they are
/// only ever drawn as glyphs, never interpreted.
#[derive(Debug, Clone)]
pub struct Poster {
    /// The venue code's QR text (`HTTPS://…/V/…`).
    pub code_text: String,
    pub venue_name: String,
    pub address: String,
    pub entrance: u16,
}

impl Poster {
    pub fn page(&self) -> Result<Page, PrintError> {
        let fonts = Fonts::load()?;
        let mut flow = Flow::new(&fonts, 15.0, 0.0);
        flow.y_mm = 12.0;
        let centred = |flow: &mut Flow<'_>, text: &str, weight, size, gap| {
            flow.paragraph(text, weight, size, Align::Centre, 2);
            flow.gap(gap);
        };
        centred(
            &mut flow,
            "ĐIỂM KIỂM DỊCH · CHECKPOINT",
            Weight::Bold,
            16.0,
            4.0,
        );
        centred(&mut flow, &self.venue_name, Weight::Bold, 24.0, 1.0);
        if !self.address.trim().is_empty() {
            centred(&mut flow, &self.address, Weight::Regular, 11.0, 2.0);
        }
        let entrance = format!("Cổng {0} · Entrance {0}", self.entrance);
        centred(&mut flow, &entrance, Weight::Bold, 14.0, 2.0);

        let qr = QrPlacement::encode(&self.code_text, (PAGE_W_MM - QR_MM) / 2.0, flow.y_mm, QR_MM)?;
        flow.page().qr.push(qr);
        flow.gap(QR_MM + 4.0);
        centred(
            &mut flow,
            "Quét mã bằng ứng dụng VaoRa hoặc camera điện thoại để khai báo y tế trước khi vào.",
            Weight::Regular,
            13.0,
            1.0,
        );
        centred(
            &mut flow,
            "Scan with the VaoRa app or your phone camera to declare your health before entering.",
            Weight::Regular,
            11.0,
            2.0,
        );
        centred(
            &mut flow,
            "Không đăng mã này lên mạng · Do not post this code online",
            Weight::Bold,
            11.0,
            0.0,
        );
        // Everything above is capped in lines, so it fits one page.
        Ok(flow.finish().swap_remove(0))
    }

    /// One-page A4 PDF: vector QR, embedded fonts.
    pub fn render_pdf(&self) -> Result<Vec<u8>, PrintError> {
        crate::pdf::render_pdf(&[self.page()?])
    }

    /// Greyscale PNG at `dpi`.
    pub fn render_png(&self, dpi: u32) -> Result<Vec<u8>, PrintError> {
        crate::png::render_png(&self.page()?, dpi)
    }
}
