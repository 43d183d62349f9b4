//! The page model every document is laid out into: A4 pages of positioned
//! text lines, QR codes and rules, in millimetres from the top left. The
//! renderers (`pdf`, `png`) only draw this model, so every output of one
//! document matches.

use ab_glyph::{Font, FontRef};
use qrcode::{Color, EcLevel, QrCode};

use crate::PrintError;

pub const PAGE_W_MM: f32 = 210.0;
pub const PAGE_H_MM: f32 = 297.0;
/// 1 pt = 1/72 inch.
pub const MM_PER_PT: f32 = 25.4 / 72.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.25;
const QUIET_MODULES: usize = 4;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/BeVietnamPro-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/BeVietnamPro-Bold.ttf");

/// The two faces of the bundled Be Vietnam Pro (full Vietnamese coverage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub(crate) const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }

    pub(crate) fn font(self) -> Result<FontRef<'static>, PrintError> {
        FontRef::try_from_slice(self.data()).map_err(|_| PrintError::Font)
    }
}

/// One line of text; `baseline_mm` from the top of the page. Text is
/// untrusted data: it is only ever drawn as glyphs.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub text: String,
    pub weight: Weight,
    pub size_pt: f32,
    pub x_mm: f32,
    pub baseline_mm: f32,
}

/// A QR code's modules (quiet zone included) and where the symbol sits.
#[derive(Debug, Clone)]
pub struct QrPlacement {
    pub modules: Vec<bool>,
    pub width: usize,
    pub left_mm: f32,
    pub top_mm: f32,
    pub module_mm: f32,
}

impl QrPlacement {
    /// Encodes `text` at error-correction level M and sizes the symbol,
    /// quiet zone included, to `size_mm`.
    pub fn encode(text: &str, left_mm: f32, top_mm: f32, size_mm: f32) -> Result<Self, PrintError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
        let inner = code.width();
        let width = inner + 2 * QUIET_MODULES;
        let mut modules = vec![false; width * width];
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (x, y) = (i % inner + QUIET_MODULES, i / inner + QUIET_MODULES);
            modules[y * width + x] = color == Color::Dark;
        }
        Ok(QrPlacement {
            modules,
            width,
            left_mm,
            top_mm,
            module_mm: size_mm / width as f32,
        })
    }
}

/// A thin horizontal line (table rules, separators).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub x_mm: f32,
    pub y_mm: f32,
    pub width_mm: f32,
}

/// One A4 page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub lines: Vec<TextLine>,
    pub qr: Vec<QrPlacement>,
    pub rules: Vec<Rule>,
}

/// Measures and wraps text in the bundled fonts.
pub struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    pub fn load() -> Result<Fonts, PrintError> {
        Ok(Fonts {
            regular: Weight::Regular.font()?,
            bold: Weight::Bold.font()?,
        })
    }

    fn face(&self, weight: Weight) -> &FontRef<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn width_mm(&self, text: &str, weight: Weight, size_pt: f32) -> f32 {
        let font = self.face(weight);
        let units: f32 = text
            .chars()
            .map(|c| font.h_advance_unscaled(font.glyph_id(c)))
            .sum();
        units / font.units_per_em().unwrap_or(1000.0) * size_pt * MM_PER_PT
    }

    /// Greedy word wrap to `width_mm`. A word wider than the line is cut
    /// at the last character that fits, so nothing runs off the page.
    pub fn wrap(&self, text: &str, weight: Weight, size_pt: f32, width_mm: f32) -> Vec<String> {
        let fits = |s: &str| self.width_mm(s, weight, size_pt) <= width_mm;
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if fits(&candidate) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone: split it if even that is too wide.
            for c in word.chars() {
                current.push(c);
                if !fits(&current) && current.chars().count() > 1 {
                    current.pop();
                    lines.push(std::mem::replace(&mut current, c.to_string()));
                }
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }
}

/// Where text starts on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
}

/// Lays text out top to bottom across as many pages as it needs.
pub struct Flow<'f> {
    fonts: &'f Fonts,
    pub margin_mm: f32,
    /// Where the next line's top is, from the top of the current page.
    pub y_mm: f32,
    bottom_mm: f32,
    pages: Vec<Page>,
}

/// One cell of a table row: text, its left edge and its width.
pub struct Cell<'a> {
    pub text: &'a str,
    pub x_mm: f32,
    pub width_mm: f32,
    pub weight: Weight,
}

impl<'f> Flow<'f> {
    /// Margins on all sides; `footer_mm` more is kept free at the bottom.
    pub fn new(fonts: &'f Fonts, margin_mm: f32, footer_mm: f32) -> Flow<'f> {
        Flow {
            fonts,
            margin_mm,
            y_mm: margin_mm,
            bottom_mm: PAGE_H_MM - margin_mm - footer_mm,
            pages: vec![Page::default()],
        }
    }

    pub fn text_width_mm(&self) -> f32 {
        PAGE_W_MM - 2.0 * self.margin_mm
    }

    pub fn page(&mut self) -> &mut Page {
        // `pages` is never empty: `new` starts with one.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page if `height_mm` does not fit on this one.
    pub fn need(&mut self, height_mm: f32) {
        if self.y_mm + height_mm > self.bottom_mm && self.y_mm > self.margin_mm {
            self.pages.push(Page::default());
            self.y_mm = self.margin_mm;
        }
    }

    pub fn gap(&mut self, mm: f32) {
        self.y_mm += mm;
    }

    pub fn line_height_mm(size_pt: f32) -> f32 {
        size_pt * MM_PER_PT * LEADING
    }

    /// A wrapped paragraph across the text width; at most `max_lines`.
    pub fn paragraph(
        &mut self,
        text: &str,
        weight: Weight,
        size_pt: f32,
        align: Align,
        max_lines: usize,
    ) {
        let width = self.text_width_mm();
        let lines = self.fonts.wrap(text, weight, size_pt, width);
        for line in lines.into_iter().take(max_lines) {
            let h = Self::line_height_mm(size_pt);
            self.need(h);
            let x_mm = match align {
                Align::Left => self.margin_mm,
                Align::Centre => (PAGE_W_MM - self.fonts.width_mm(&line, weight, size_pt)) / 2.0,
            };
            let baseline_mm = self.y_mm + size_pt * MM_PER_PT;
            self.page().lines.push(TextLine {
                text: line,
                weight,
                size_pt,
                x_mm,
                baseline_mm,
            });
            self.y_mm += h;
        }
    }

    /// A table row: each cell wraps in its own column; the row is as tall
    /// as its tallest cell and is never split across pages.
    pub fn row(&mut self, cells: &[Cell<'_>], size_pt: f32) {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .map(|c| self.fonts.wrap(c.text, c.weight, size_pt, c.width_mm))
            .collect();
        let h = Self::line_height_mm(size_pt);
        let rows = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
        self.need(h * rows as f32);
        let top = self.y_mm;
        for (cell, lines) in cells.iter().zip(wrapped) {
            for (i, text) in lines.into_iter().enumerate() {
                let baseline_mm = top + i as f32 * h + size_pt * MM_PER_PT;
                self.page().lines.push(TextLine {
                    text,
                    weight: cell.weight,
                    size_pt,
                    x_mm: cell.x_mm,
                    baseline_mm,
                });
            }
        }
        self.y_mm = top + h * rows as f32;
    }

    /// A rule across the text width, with a little air below.
    pub fn rule(&mut self) {
        let (x_mm, y_mm, width_mm) = (self.margin_mm, self.y_mm + 1.0, self.text_width_mm());
        self.page().rules.push(Rule {
            x_mm,
            y_mm,
            width_mm,
        });
        self.y_mm += 2.5;
    }

    pub fn finish(self) -> Vec<Page> {
        self.pages
    }
}
