use ab_glyph::{Font, ScaleFont, point};
use image::{GrayImage, ImageFormat, Luma};

use crate::PrintError;
use crate::page::{MM_PER_PT, PAGE_H_MM, PAGE_W_MM, Page};

/// Renders one page as a greyscale PNG at `dpi` (150 is enough to print;
/// 300 for a print shop).
pub fn render_png(page: &Page, dpi: u32) -> Result<Vec<u8>, PrintError> {
    let px_per_mm = dpi as f32 / 25.4;
    let px = |mm: f32| (mm * px_per_mm).round() as i64;
    let mut img = GrayImage::from_pixel(px(PAGE_W_MM) as u32, px(PAGE_H_MM) as u32, Luma([255]));

    // QR modules on whole pixels, so every module has the same size.
    for qr in &page.qr {
        let module_px = ((qr.module_mm * px_per_mm).floor() as i64).max(1);
        let qr_px = module_px * qr.width as i64;
        let left = px(qr.left_mm) + (px(qr.module_mm * qr.width as f32) - qr_px) / 2;
        let top = px(qr.top_mm);
        for (i, &dark) in qr.modules.iter().enumerate() {
            if dark {
                let (mx, my) = ((i % qr.width) as i64, (i / qr.width) as i64);
                fill(
                    &mut img,
                    left + mx * module_px,
                    top + my * module_px,
                    module_px,
                );
            }
        }
    }
    for rule in &page.rules {
        let y = px(rule.y_mm);
        let x0 = px(rule.x_mm);
        for x in x0..x0 + px(rule.width_mm) {
            if x >= 0 && (x as u32) < img.width() && y >= 0 && (y as u32) < img.height() {
                img.put_pixel(x as u32, y as u32, Luma([128]));
            }
        }
    }

    for line in &page.lines {
        let font = line.weight.font()?;
        let size_px = line.size_pt * MM_PER_PT * px_per_mm;
        // ab_glyph scales by line height; one em must be `size_px`, as in the PDF.
        let upem = font.units_per_em().ok_or(PrintError::Font)?;
        let scale = ab_glyph::PxScale::from(size_px * font.height_unscaled() / upem);
        let scaled = font.as_scaled(scale);
        let mut x = line.x_mm * px_per_mm;
        let baseline = line.baseline_mm * px_per_mm;
        for c in line.text.chars() {
            let glyph = scaled.scaled_glyph(c);
            let advance = scaled.h_advance(glyph.id);
            let glyph = ab_glyph::Glyph {
                position: point(x, baseline),
                ..glyph
            };
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    let (x, y) = (b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64);
                    if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
                        let p = img.get_pixel_mut(x as u32, y as u32);
                        let ink = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
                        p.0[0] = p.0[0].saturating_sub(ink);
                    }
                });
            }
            x += advance;
        }
    }

    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn fill(img: &mut GrayImage, x0: i64, y0: i64, size: i64) {
    for y in y0.max(0)..(y0 + size).min(img.height() as i64) {
        for x in x0.max(0)..(x0 + size).min(img.width() as i64) {
            img.put_pixel(x as u32, y as u32, Luma([0]));
        }
    }
}
