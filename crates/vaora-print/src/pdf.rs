use std::collections::BTreeMap;

use ab_glyph::{Font, FontRef, GlyphId};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use crate::PrintError;
use crate::page::{MM_PER_PT, PAGE_H_MM, PAGE_W_MM, Page, QrPlacement, Weight};

const PT_PER_MM: f32 = 1.0 / MM_PER_PT;
const FONT_NAMES: [Name<'static>; 2] = [Name(b"R"), Name(b"B")];

/// Renders pages as an A4 PDF: QR codes as vector squares (sharp at any
/// printer resolution) and text in embedded Be Vietnam Pro, selectable
/// and searchable (ToUnicode maps).
pub fn render_pdf(pages: &[Page]) -> Result<Vec<u8>, PrintError> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let (catalog, pages_ref) = (alloc(), alloc());
    let font_refs: Vec<Ref> = Weight::ALL.iter().map(|_| alloc()).collect();
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();
    pdf.catalog(catalog).pages(pages_ref);
    pdf.pages(pages_ref)
        .kids(page_refs.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);

    let fonts = [Weight::Regular.font()?, Weight::Bold.font()?];
    // The glyphs each font uses, for its width table and ToUnicode map.
    let mut used: [BTreeMap<u16, char>; 2] = [BTreeMap::new(), BTreeMap::new()];
    let page_h = PAGE_H_MM * PT_PER_MM;
    for (page, (page_ref, content_ref)) in pages.iter().zip(&page_refs) {
        let mut writer = pdf.page(*page_ref);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_W_MM * PT_PER_MM, page_h))
            .parent(pages_ref)
            .contents(*content_ref);
        let mut resources = writer.resources();
        let mut font_dict = resources.fonts();
        for (name, r) in FONT_NAMES.iter().zip(&font_refs) {
            font_dict.pair(*name, *r);
        }
        font_dict.finish();
        resources.finish();
        writer.finish();

        let mut content = Content::new();
        content.set_fill_gray(0.0);
        for qr in &page.qr {
            draw_qr(&mut content, qr, page_h);
        }
        for rule in &page.rules {
            content.set_line_width(0.4);
            content.set_stroke_gray(0.5);
            let y = page_h - rule.y_mm * PT_PER_MM;
            content.move_to(rule.x_mm * PT_PER_MM, y);
            content.line_to((rule.x_mm + rule.width_mm) * PT_PER_MM, y);
            content.stroke();
        }
        for line in &page.lines {
            let i = Weight::ALL
                .iter()
                .position(|w| *w == line.weight)
                .unwrap_or(0);
            let mut encoded = Vec::with_capacity(line.text.len() * 2);
            for c in line.text.chars() {
                let GlyphId(gid) = fonts[i].glyph_id(c);
                used[i].insert(gid, c);
                encoded.extend_from_slice(&gid.to_be_bytes());
            }
            content
                .begin_text()
                .set_font(FONT_NAMES[i], line.size_pt)
                .next_line(line.x_mm * PT_PER_MM, page_h - line.baseline_mm * PT_PER_MM)
                .show(Str(&encoded))
                .end_text();
        }
        let content = content.finish().into_vec();
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&content, 6);
        pdf.stream(*content_ref, &compressed)
            .filter(Filter::FlateDecode);
    }

    for (i, weight) in Weight::ALL.iter().enumerate() {
        let refs = [alloc(), alloc(), alloc(), alloc()];
        embed_font(&mut pdf, font_refs[i], refs, *weight, &used[i])?;
    }
    Ok(pdf.finish())
}

/// One rectangle per run of dark modules in a row.
fn draw_qr(content: &mut Content, qr: &QrPlacement, page_h: f32) {
    for row in 0..qr.width {
        let mut col = 0;
        while col < qr.width {
            if !qr.modules[row * qr.width + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < qr.width && qr.modules[row * qr.width + col] {
                col += 1;
            }
            let x = (qr.left_mm + start as f32 * qr.module_mm) * PT_PER_MM;
            let top = (qr.top_mm + row as f32 * qr.module_mm) * PT_PER_MM;
            let m = qr.module_mm * PT_PER_MM;
            // PDF's y axis points up; a hair of overlap avoids seams.
            content.rect(
                x,
                page_h - top - m,
                (col - start) as f32 * m + 0.05,
                m + 0.05,
            );
        }
    }
    content.fill_nonzero();
}

/// Type 0 font with Identity-H encoding over the whole TrueType file, so
/// text is written as glyph ids and every Vietnamese letter renders exactly.
fn embed_font(
    pdf: &mut Pdf,
    type0: Ref,
    [cid_ref, descriptor_ref, file_ref, cmap_ref]: [Ref; 4],
    weight: Weight,
    used: &BTreeMap<u16, char>,
) -> Result<(), PrintError> {
    let font: FontRef<'static> = weight.font()?;
    let upem = font.units_per_em().unwrap_or(1000.0);
    let to_1000 = |v: f32| v / upem * 1000.0;
    let base = Name(match weight {
        Weight::Regular => b"BeVietnamPro-Regular".as_slice(),
        Weight::Bold => b"BeVietnamPro-Bold".as_slice(),
    });
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);

    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system)
        .font_descriptor(descriptor_ref)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cid.widths();
    for gid in used.keys() {
        widths.consecutive(*gid, [to_1000(font.h_advance_unscaled(GlyphId(*gid)))]);
    }
    widths.finish();
    cid.finish();

    pdf.font_descriptor(descriptor_ref)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            -200.0,
            to_1000(font.descent_unscaled()),
            1200.0,
            to_1000(font.ascent_unscaled()),
        ))
        .italic_angle(0.0)
        .ascent(to_1000(font.ascent_unscaled()))
        .descent(to_1000(font.descent_unscaled()))
        .cap_height(to_1000(font.ascent_unscaled()) * 0.7)
        .stem_v(if weight == Weight::Bold { 140.0 } else { 80.0 })
        .font_file2(file_ref);

    let data = weight.data();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
    pdf.stream(file_ref, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), data.len() as i32);

    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
    for (gid, c) in used {
        cmap.pair(*gid, *c);
    }
    pdf.cmap(cmap_ref, &cmap.finish());
    Ok(())
}
