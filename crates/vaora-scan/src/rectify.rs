//! Cuts a candidate out of the frame, straightened and resampled to a few
//! pixels per module, and binarises it on its own: small codes get
//! upsampled, large ones averaged down, and the threshold only sees the
//! code's own light. rqrr then reads a small, clean bitmap.

use crate::binarize::{self, Bitmap};
use crate::candidate::Candidate;
use crate::geometry::Pt;
use crate::grid::bilinear;

/// Pixels per module in the crop: rqrr's capstone fill needs the finder's
/// 1-module rings to be a few pixels wide.
pub const PIXELS_PER_MODULE: f64 = 4.0;

/// The crop around `c` from `pixels` (`width` × `height`), binarised with
/// the code dark. `grey` and `integral` are reused scratch buffers.
pub fn crop(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    grey: &mut Vec<u8>,
    integral: &mut Vec<u32>,
) -> Bitmap {
    let dim = c.dim as f64;
    // Room around the code for its quiet zone and for perspective, which
    // the three-finder (affine) estimate cannot see.
    let margin = 3.0 + dim * 0.1;
    let ppm = PIXELS_PER_MODULE;
    let side = ((dim + 2.0 * margin) * ppm).ceil() as usize;
    let ex = Pt::new(
        (c.top_right.x - c.top_left.x) / (dim - 7.0),
        (c.top_right.y - c.top_left.y) / (dim - 7.0),
    );
    let ey = Pt::new(
        (c.bottom_left.x - c.top_left.x) / (dim - 7.0),
        (c.bottom_left.y - c.top_left.y) / (dim - 7.0),
    );
    // Modules larger than the crop's: a 2×2 grid of bilinear samples per
    // crop pixel, against aliasing. Smaller ones are upsampled, and one
    // sample per pixel already reads every frame pixel (a quarter of the
    // cost, which texture taken for a code pays too).
    let taps = if c.module() > ppm { 2 } else { 1 };
    let step = 1.0 / (ppm * taps as f64);
    let offset = step / 2.0 - margin - 3.5;
    grey.clear();
    grey.reserve(side * side);
    let mut row = vec![0u16; side * taps];
    let mut acc = vec![0u16; side];
    for j in 0..side {
        acc.iter_mut().for_each(|a| *a = 0);
        for sy in 0..taps {
            let v = (j * taps + sy) as f64 * step + offset;
            let mut x = c.top_left.x + offset * ex.x + v * ey.x;
            let mut y = c.top_left.y + offset * ex.y + v * ey.y;
            let (dx, dy) = (step * ex.x, step * ex.y);
            for r in row.iter_mut() {
                *r = bilinear(pixels, width, height, x, y);
                x += dx;
                y += dy;
            }
            for (i, a) in acc.iter_mut().enumerate() {
                *a += row[i * taps..][..taps].iter().sum::<u16>();
            }
        }
        let n = (taps * taps) as u16;
        grey.extend(acc.iter().map(|a| (a / n) as u8));
    }
    let window = (7.0 * ppm) as usize;
    let bm = binarize::adaptive(grey, side, side, window, 1, integral);
    if c.inverted { bm.flipped() } else { bm }
}
