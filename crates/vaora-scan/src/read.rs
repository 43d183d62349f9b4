//! Hands a bitmap to rqrr, which finds the grid, samples it and corrects
//! errors (Reed–Solomon), so a payload it returns has passed its checks.

use crate::Payload;
use crate::binarize::Bitmap;

/// Adds every code rqrr reads in `bm` to `out` (each text once).
pub fn read(bm: &Bitmap, out: &mut Vec<Payload>) -> usize {
    if bm.width == 0 || bm.height == 0 {
        return 0;
    }
    let mut img =
        rqrr::PreparedImage::prepare_from_bitmap(bm.width, bm.height, |x, y| bm.at(x, y) == 1);
    let mut added = 0;
    for grid in img.detect_grids() {
        if decode_grid(&grid, out) == Some(true) {
            added += 1;
        }
    }
    added
}

/// Decodes one grid (rqrr's or our own sampled one) and adds its text to
/// `out` unless already there: `None` when it does not decode, else
/// whether it was new.
pub fn decode_grid<G: rqrr::BitGrid>(grid: &rqrr::Grid<G>, out: &mut Vec<Payload>) -> Option<bool> {
    let mut bytes = Vec::new();
    let meta = grid.decode_to(&mut bytes).ok()?;
    // Codes that are not UTF-8 are decoded lossily: the classifier then
    // rejects them as "not a checkpoint code".
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if out.iter().any(|p| p.text == text) {
        return Some(false);
    }
    out.push(Payload {
        text,
        version: meta.version.0,
    });
    Some(true)
}
