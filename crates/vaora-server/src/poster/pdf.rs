use std::collections::BTreeMap;

use ab_glyph::{Font, FontRef, GlyphId};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::layout::{MM_PER_PT, PAGE_H_MM, PAGE_W_MM, Poster, PosterError, Weight};

const PT_PER_MM: f32 = 1.0 / MM_PER_PT;

/// Renders the poster as a one-page A4 PDF: the QR code as vector squares
/// (sharp at any printer resolution) and the text in embedded Be Vietnam
/// Pro, selectable and searchable (ToUnicode maps).
pub fn render_pdf(poster: &Poster) -> Result<Vec<u8>, PosterError> {
    let layout = poster.layout()?;
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let (catalog, pages, page, content_id) = (alloc(), alloc(), alloc(), alloc());
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);

    let weights = [Weight::Regular, Weight::Bold];
    let font_refs: Vec<Ref> = weights.iter().map(|_| alloc()).collect();
    let names = [Name(b"R"), Name(b"B")];
    let (w_mm, h_mm) = (PAGE_W_MM * PT_PER_MM, PAGE_H_MM * PT_PER_MM);
    let mut page_writer = pdf.page(page);
    page_writer
        .media_box(Rect::new(0.0, 0.0, w_mm, h_mm))
        .parent(pages)
        .contents(content_id);
    let mut resources = page_writer.resources();
    let mut fonts = resources.fonts();
    for (name, r) in names.iter().zip(&font_refs) {
        fonts.pair(*name, *r);
    }
    fonts.finish();
    resources.finish();
    page_writer.finish();

    let mut content = Content::new();
    // QR code: one rectangle per run of dark modules in a row.
    let qr = &layout.qr;
    content.set_fill_gray(0.0);
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
            content.rect(x, h_mm - top - m, (col - start) as f32 * m + 0.05, m + 0.05);
        }
    }
    content.fill_nonzero();

    // Text, with the glyphs each font uses collected for its width table.
    let mut used: [BTreeMap<u16, char>; 2] = [BTreeMap::new(), BTreeMap::new()];
    for line in &layout.lines {
        let i = weights.iter().position(|w| *w == line.weight).unwrap_or(0);
        let font = line.weight.font()?;
        let mut encoded = Vec::with_capacity(line.text.len() * 2);
        for c in line.text.chars() {
            let GlyphId(gid) = font.glyph_id(c);
            used[i].insert(gid, c);
            encoded.extend_from_slice(&gid.to_be_bytes());
        }
        content
            .begin_text()
            .set_font(names[i], line.size_pt)
            .next_line(line.x_mm * PT_PER_MM, h_mm - line.baseline_mm * PT_PER_MM)
            .show(Str(&encoded))
            .end_text();
    }
    let content = content.finish().into_vec();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&content, 6);
    pdf.stream(content_id, &compressed)
        .filter(Filter::FlateDecode);

    for (i, weight) in weights.iter().enumerate() {
        let refs = [alloc(), alloc(), alloc(), alloc()];
        embed_font(&mut pdf, font_refs[i], refs, *weight, &used[i])?;
    }
    Ok(pdf.finish())
}

/// Type 0 font with Identity-H encoding over the whole TrueType file, so
/// text is written as glyph ids and every Vietnamese letter renders exactly.
fn embed_font(
    pdf: &mut Pdf,
    type0: Ref,
    [cid_ref, descriptor_ref, file_ref, cmap_ref]: [Ref; 4],
    weight: Weight,
    used: &BTreeMap<u16, char>,
) -> Result<(), PosterError> {
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
