use ab_glyph::{Font, FontRef};
use qrcode::{Color, EcLevel, QrCode};
use thiserror::Error;

pub(crate) const PAGE_W_MM: f32 = 210.0;
pub(crate) const PAGE_H_MM: f32 = 297.0;
/// The QR code's printed size, quiet zone included (DESIGN §8: 15 × 15 cm).
pub(crate) const QR_MM: f32 = 150.0;
const QUIET_MODULES: usize = 4;
const TEXT_W_MM: f32 = 180.0;
/// 1 pt = 1/72 inch.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/BeVietnamPro-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/BeVietnamPro-Bold.ttf");

#[derive(Debug, Error)]
pub enum PosterError {
    #[error("the venue code does not fit in a QR code")]
    Qr(#[from] qrcode::types::QrError),
    #[error("cannot encode the poster image: {0}")]
    Image(#[from] image::ImageError),
    #[error("the bundled font is unreadable")]
    Font,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }

    pub(crate) fn font(self) -> Result<FontRef<'static>, PosterError> {
        FontRef::try_from_slice(self.data()).map_err(|_| PosterError::Font)
    }
}

/// One line of centred text; `baseline_mm` from the top of the page.
#[derive(Debug, Clone)]
pub(crate) struct TextLine {
    pub text: String,
    pub weight: Weight,
    pub size_pt: f32,
    pub baseline_mm: f32,
    /// Left edge that centres the line on the page.
    pub x_mm: f32,
}

/// The QR code's modules and where the symbol (quiet zone included) sits.
pub(crate) struct QrPlacement {
    pub modules: Vec<bool>,
    pub width: usize,
    pub left_mm: f32,
    pub top_mm: f32,
    pub module_mm: f32,
}

pub(crate) struct Layout {
    pub lines: Vec<TextLine>,
    pub qr: QrPlacement,
}

impl Poster {
    pub(crate) fn layout(&self) -> Result<Layout, PosterError> {
        let regular = Weight::Regular.font()?;
        let bold = Weight::Bold.font()?;
        let mut lines = Vec::new();
        let mut y = 18.0;
        let mut add = |text: &str, weight: Weight, size_pt: f32, gap_mm: f32, y: &mut f32| {
            let font = if weight == Weight::Bold {
                &bold
            } else {
                &regular
            };
            for line in wrap(font, text, size_pt, TEXT_W_MM).into_iter().take(2) {
                let w = text_width_mm(font, &line, size_pt);
                lines.push(TextLine {
                    x_mm: (PAGE_W_MM - w) / 2.0,
                    text: line,
                    weight,
                    size_pt,
                    baseline_mm: *y,
                });
                *y += size_pt * MM_PER_PT * 1.25;
            }
            *y += gap_mm;
        };
        add(
            "ĐIỂM KIỂM DỊCH · CHECKPOINT",
            Weight::Bold,
            16.0,
            4.0,
            &mut y,
        );
        add(&self.venue_name, Weight::Bold, 24.0, 1.0, &mut y);
        if !self.address.trim().is_empty() {
            add(&self.address, Weight::Regular, 11.0, 2.0, &mut y);
        }
        let entrance = format!("Cổng {0} · Entrance {0}", self.entrance);
        add(&entrance, Weight::Bold, 14.0, 0.0, &mut y);

        let code = QrCode::with_error_correction_level(self.code_text.as_bytes(), EcLevel::M)?;
        let inner = code.width();
        let width = inner + 2 * QUIET_MODULES;
        let mut modules = vec![false; width * width];
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (x, y) = (i % inner + QUIET_MODULES, i / inner + QUIET_MODULES);
            modules[y * width + x] = color == Color::Dark;
        }
        let qr_top = y;
        let qr = QrPlacement {
            modules,
            width,
            left_mm: (PAGE_W_MM - QR_MM) / 2.0,
            top_mm: qr_top,
            module_mm: QR_MM / width as f32,
        };

        let mut y = qr_top + QR_MM + 6.0;
        add(
            "Quét mã bằng ứng dụng VaoRa hoặc camera điện thoại để khai báo y tế trước khi vào.",
            Weight::Regular,
            13.0,
            1.0,
            &mut y,
        );
        add(
            "Scan with the VaoRa app or your phone camera to declare your health before entering.",
            Weight::Regular,
            11.0,
            2.0,
            &mut y,
        );
        add(
            "Không đăng mã này lên mạng · Do not post this code online",
            Weight::Bold,
            11.0,
            0.0,
            &mut y,
        );
        Ok(Layout { lines, qr })
    }
}

pub(crate) fn text_width_mm(font: &FontRef<'_>, text: &str, size_pt: f32) -> f32 {
    let units: f32 = text
        .chars()
        .map(|c| font.h_advance_unscaled(font.glyph_id(c)))
        .sum();
    units / font.units_per_em().unwrap_or(1000.0) * size_pt * MM_PER_PT
}

/// Greedy word wrap to `width_mm`. A single word wider than the line is
/// kept whole (it is shrunk by nobody; names are short in practice).
fn wrap(font: &FontRef<'_>, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && text_width_mm(font, &candidate, size_pt) > width_mm {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}
