//! 2-D adaptive binarisation: a pixel is dark when it is darker than the
//! mean of the square window around it (an integral image makes that mean
//! O(1) per pixel). Unlike rqrr's running mean along rows, it follows light
//! gradients and shadow edges in both directions.

/// A binarised image: one byte per pixel, 1 = dark.
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub dark: Vec<u8>,
}

impl Bitmap {
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.dark[y * self.width + x]
    }

    /// Light and dark swapped: light-on-dark codes become ordinary ones.
    pub fn flipped(&self) -> Bitmap {
        Bitmap {
            width: self.width,
            height: self.height,
            dark: self.dark.iter().map(|d| d ^ 1).collect(),
        }
    }
}

/// Largest image binarised as it is: its integral image must fit `u32`
/// (255 × 16 M < 2³²). Callers downscale larger ones first.
pub const MAX_PIXELS: usize = 16_000_000;

/// Binarises `pixels` (`width` × `height`, row-major) against the mean of a
/// `window`-pixel square, minus `bias` grey levels so flat paper with
/// sensor noise stays light. `integral` is scratch space reused between
/// calls so a camera stream allocates nothing per frame.
pub fn adaptive(
    pixels: &[u8],
    width: usize,
    height: usize,
    window: usize,
    bias: u32,
    integral: &mut Vec<u32>,
) -> Bitmap {
    let mut out = Bitmap {
        width,
        height,
        dark: Vec::new(),
    };
    if width == 0 || height == 0 || pixels.len() != width * height || width * height > MAX_PIXELS {
        out.width = 0;
        out.height = 0;
        return out;
    }
    fill_integral(pixels, width, height, integral);
    let iw = width + 1;
    let r = (window / 2).max(1);
    out.dark.resize(width * height, 0);
    let full = 2 * r + 1;
    // Columns whose window lies wholly inside the frame: one area for all,
    // and a loop over plain slices the compiler turns into vector code.
    let inner = if width >= full { r..width - r } else { 0..0 };
    let (left, right) = if inner.is_empty() {
        (0..width, width..width)
    } else {
        (0..r, inner.end..width)
    };
    for y in 0..height {
        let y0 = y.saturating_sub(r);
        let y1 = (y + r + 1).min(height);
        let (top, bottom) = (&integral[y0 * iw..][..iw], &integral[y1 * iw..][..iw]);
        let rows = (y1 - y0) as u32;
        let row = &pixels[y * width..][..width];
        let dark = &mut out.dark[y * width..][..width];
        // Near the sides the window is cut short.
        for x in left.clone().chain(right.clone()) {
            let x0 = x.saturating_sub(r);
            let x1 = (x + r + 1).min(width);
            // Each difference is a non-negative sum of pixels: no overflow.
            let sum = (bottom[x1] - bottom[x0]) - (top[x1] - top[x0]);
            let area = rows * (x1 - x0) as u32;
            // p < mean - bias, in integers: p * area + bias * area < sum.
            dark[x] = u8::from((u32::from(row[x]) + bias) * area < sum);
        }
        let n = inner.len();
        if n == 0 {
            continue;
        }
        let area = rows * full as u32;
        let sums = bottom[full..][..n]
            .iter()
            .zip(&bottom[..n])
            .zip(top[full..][..n].iter().zip(&top[..n]))
            .map(|((bh, bl), (th, tl))| (bh - bl) - (th - tl));
        for ((d, p), sum) in dark[inner.clone()]
            .iter_mut()
            .zip(&row[inner.clone()])
            .zip(sums)
        {
            *d = u8::from((u32::from(*p) + bias) * area < sum);
        }
    }
    out
}

fn fill_integral(pixels: &[u8], width: usize, height: usize, integral: &mut Vec<u32>) {
    let iw = width + 1;
    integral.clear();
    integral.resize(iw * (height + 1), 0);
    for y in 0..height {
        let mut run = 0u32;
        let row = &pixels[y * width..][..width];
        let (prev, cur) = integral[y * iw..(y + 2) * iw].split_at_mut(iw);
        for x in 0..width {
            run += u32::from(row[x]);
            cur[x + 1] = prev[x + 1] + run;
        }
    }
}

/// Halves an image by averaging 2×2 blocks (odd edges dropped): the
/// locator's fast pass, which also halves the sensor noise.
pub fn half(pixels: &[u8], width: usize, height: usize, out: &mut Vec<u8>) -> (usize, usize) {
    let (hw, hh) = (width / 2, height / 2);
    out.clear();
    out.reserve(hw * hh);
    for y in 0..hh {
        let (a, b) = (
            &pixels[2 * y * width..][..width],
            &pixels[(2 * y + 1) * width..][..width],
        );
        for x in 0..hw {
            let s = u16::from(a[2 * x])
                + u16::from(a[2 * x + 1])
                + u16::from(b[2 * x])
                + u16::from(b[2 * x + 1]);
            out.push((s / 4) as u8);
        }
    }
    (hw, hh)
}

/// A 3×3 box blur: the "blur, then threshold" rung for noisy frames.
pub fn box3(pixels: &[u8], width: usize, height: usize, out: &mut Vec<u8>) {
    out.clear();
    out.resize(pixels.len(), 0);
    if width < 3 || height < 3 || pixels.len() != width * height {
        out.copy_from_slice(pixels);
        return;
    }
    for y in 0..height {
        let ys = [y.saturating_sub(1), y, (y + 1).min(height - 1)];
        for x in 0..width {
            let xs = [x.saturating_sub(1), x, (x + 1).min(width - 1)];
            let mut s = 0u16;
            for yy in ys {
                for xx in xs {
                    s += u16::from(pixels[yy * width + xx]);
                }
            }
            out[y * width + x] = (s / 9) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shadowed_edge_still_splits_ink_from_paper() {
        // Paper 200 with ink 120 on the left; paper 90 with ink 40 in a
        // shadow on the right: a global threshold would call all of the
        // shadow dark.
        let (w, h) = (40, 10);
        let px: Vec<u8> = (0..w * h)
            .map(|i| {
                let x = i % w;
                let ink = x % 4 == 0;
                match (x < 20, ink) {
                    (true, true) => 120,
                    (true, false) => 200,
                    (false, true) => 40,
                    (false, false) => 90,
                }
            })
            .collect();
        let bm = adaptive(&px, w, h, 7, 2, &mut Vec::new());
        // Within half a window of the shadow's edge the mean mixes both
        // sides; everywhere else each side is read on its own terms.
        for x in (0..w).filter(|x| !(16..24).contains(x)) {
            assert_eq!(bm.at(x, 5) == 1, x % 4 == 0, "x = {x}");
        }
    }

    #[test]
    fn the_fast_inner_columns_agree_with_the_window_cut_at_the_sides() {
        // A brute-force mean for every pixel, whatever its distance to a
        // side, against `adaptive`; sizes narrower than the window too.
        for (w, h, window) in [(37, 23, 9), (5, 30, 9), (64, 3, 7)] {
            let px: Vec<u8> = (0..w * h).map(|i| ((i * 7919) % 251) as u8).collect();
            let bm = adaptive(&px, w, h, window, 2, &mut Vec::new());
            let r = window / 2;
            for y in 0..h {
                for x in 0..w {
                    let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                    let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
                    let mut sum = 0u32;
                    for yy in y0..y1 {
                        for xx in x0..x1 {
                            sum += u32::from(px[yy * w + xx]);
                        }
                    }
                    let area = ((x1 - x0) * (y1 - y0)) as u32;
                    let want = (u32::from(px[y * w + x]) + 2) * area < sum;
                    assert_eq!(bm.at(x, y) == 1, want, "{w}×{h} at ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn empty_and_mismatched_inputs_give_an_empty_bitmap() {
        assert_eq!(adaptive(&[], 0, 0, 7, 2, &mut Vec::new()).dark.len(), 0);
        assert_eq!(adaptive(&[1, 2, 3], 2, 2, 7, 2, &mut Vec::new()).width, 0);
    }
}
