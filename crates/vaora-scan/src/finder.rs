//! Finder-pattern search: the three 7×7 squares in a code's corners show
//! dark:light:dark:light:dark runs of 1:1:3:1:1 along any line through
//! their centre. Rows are scanned for that ratio, each hit is checked down
//! its column and along its row again, and hits of one pattern are merged.
//! Both polarities are found in the same pass: an inverted code's finders
//! are the same runs starting with light.

use crate::binarize::Bitmap;

/// A finder pattern's centre, in the bitmap's pixels.
#[derive(Debug, Clone, Copy)]
pub struct Finder {
    pub x: f64,
    pub y: f64,
    /// Module size, pixels.
    pub module: f64,
    /// Light-on-dark (an inverted code).
    pub inverted: bool,
    /// How many scan lines confirmed it.
    pub hits: u32,
    /// The last row that confirmed it: a finder no row has touched for a
    /// few modules is complete, and new hits need not be compared with it.
    last_row: usize,
    /// Rows between scan lines.
    step: usize,
}

impl Finder {
    /// A finder seen at (x, y) by plenty of scan lines.
    #[cfg(test)]
    pub fn at(x: f64, y: f64, module: f64) -> Finder {
        Finder {
            x,
            y,
            module,
            inverted: false,
            hits: 100,
            last_row: 0,
            step: 1,
        }
    }

    /// Enough scan lines confirmed it for its size: the rows through a
    /// real finder's 3-module centre all show the ratio (about 3 per
    /// module of height), while specks of texture that happen to fit it
    /// do so on a row or two.
    pub fn confirmed(&self, min_hits: u32) -> bool {
        f64::from(self.hits) >= f64::from(min_hits).max(self.module * 0.75 / self.step as f64)
    }
}

/// Scans every `step`-th row of `bm`.
pub fn find(bm: &Bitmap, step: usize, out: &mut Vec<Finder>) {
    out.clear();
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(256);
    // Indices in `out` of the finders the last rows touched: textured
    // backgrounds give hundreds of finder-like specks, and comparing each
    // hit with all of them was quadratic.
    let mut active: Vec<usize> = Vec::new();
    for y in (0..bm.height).step_by(step.max(1)) {
        active.retain(|&i| {
            let f = &out[i];
            f.last_row + (f.module * 4.0) as usize + step >= y
        });
        row_runs(&bm.dark[y * bm.width..][..bm.width], &mut runs);
        for i in 0..runs.len().saturating_sub(4) {
            let five = &runs[i..i + 5];
            let lens = five.map_lens();
            if !ratio_ok(&lens) {
                continue;
            }
            let colour = bm.at(five[0].0, y);
            let centre_x = five[2].0 as f64 + five[2].1 as f64 / 2.0;
            let h_total: usize = lens.iter().sum();
            let Some((cy, v_total)) =
                cross_check(bm, centre_x as usize, y, colour, h_total, Axis::Column)
            else {
                continue;
            };
            let Some((cx, h2)) = cross_check(
                bm,
                cy as usize,
                centre_x as usize,
                colour,
                h_total,
                Axis::Row,
            ) else {
                continue;
            };
            if !square(v_total, h2) || !diagonal_ok(bm, cx as usize, cy as usize, colour, h_total) {
                continue;
            }
            let module = (v_total + h2) as f64 / 14.0;
            add(
                out,
                &mut active,
                Finder {
                    x: cx,
                    y: cy,
                    module,
                    inverted: colour == 0,
                    hits: 1,
                    last_row: y,
                    step: step.max(1),
                },
            );
        }
    }
}

/// A square's width through its centre is the same along its row and its
/// column at any turn. Parallel stripes (a thick one among thin ones shows
/// 1:1:3:1:1 along any line across them) are wider along the line nearer
/// their own direction: 1.9 times at 28°; at 45°, where the two agree, the
/// diagonal check turns them away. They filled the finder list of a poster
/// on a striped background ahead of the code's own finders. A code under
/// the corpus's strongest perspective needs 1.8: 1.5 lost two tilted codes.
const MAX_ROW_COLUMN_RATIO_X10: usize = 18;

fn square(v_total: usize, h_total: usize) -> bool {
    v_total.max(h_total) * 10 <= v_total.min(h_total) * MAX_ROW_COLUMN_RATIO_X10
}

trait Lens {
    fn map_lens(&self) -> [usize; 5];
}

impl Lens for [(usize, usize)] {
    fn map_lens(&self) -> [usize; 5] {
        [self[0].1, self[1].1, self[2].1, self[3].1, self[4].1]
    }
}

/// Runs of equal pixels along a row: (start, length).
fn row_runs(row: &[u8], runs: &mut Vec<(usize, usize)>) {
    runs.clear();
    let mut start = 0;
    for x in 1..=row.len() {
        if x == row.len() || row[x] != row[start] {
            runs.push((start, x - start));
            start = x;
        }
    }
}

/// 1:1:3:1:1, a ring within 0.7 module and the centre within 1.5 modules
/// (blur fattens the centre and thins the rings). In integers, every
/// length times 7 against the total (module = total / 7): this runs on
/// every five runs of every row.
fn ratio_ok(lens: &[usize; 5]) -> bool {
    let total: usize = lens.iter().sum();
    if total < 7 {
        return false;
    }
    // |7 len − total| < 0.7 total  ⇔  10 |7 len − total| < 7 total.
    let one = |len: usize| 10 * (7 * len).abs_diff(total) < 7 * total;
    // |7 len − 3 total| < 1.5 total  ⇔  2 |7 len − 3 total| < 3 total.
    one(lens[0])
        && one(lens[4])
        && one(lens[1])
        && one(lens[3])
        && 2 * (7 * lens[2]).abs_diff(3 * total) < 3 * total
}

#[derive(Clone, Copy)]
enum Axis {
    Row,
    Column,
}

/// Walks from (`along`, `at`) both ways along `axis` through the centre
/// run and the four around it; gives the centre coordinate along the axis
/// and the pattern's total length when the runs fit 1:1:3:1:1 and the
/// length is like the first direction's.
fn cross_check(
    bm: &Bitmap,
    along: usize,
    at: usize,
    colour: u8,
    expect: usize,
    axis: Axis,
) -> Option<(f64, usize)> {
    match axis {
        Axis::Column if along < bm.width => {
            walk(bm.height, |i| bm.at(along, i), at, colour, expect)
        }
        Axis::Row if along < bm.height => {
            let row = &bm.dark[along * bm.width..][..bm.width];
            walk(bm.width, |i| row[i], at, colour, expect)
        }
        _ => None,
    }
}

/// Concentric squares show centre, ring and outer ring along any line
/// through their centre, so the diagonal must too, at any turn of the
/// code. Checkerboards and grids, whose rows and columns can pass, fail
/// here: along their diagonal the colour never changes. Only the order of
/// the runs and a centre wider than the rings, not 1:1:3:1:1: blur and
/// thresholding round the squares' corners off, which the diagonal
/// crosses.
fn diagonal_ok(bm: &Bitmap, cx: usize, cy: usize, colour: u8, expect: usize) -> bool {
    if cx >= bm.width || cy >= bm.height {
        return false;
    }
    let back = cx.min(cy);
    let (x0, y0) = (cx - back, cy - back);
    let len = (bm.width - x0).min(bm.height - y0);
    runs_through(len, |i| bm.at(x0 + i, y0 + i), back, colour, expect).is_some_and(|(counts, _)| {
        let total: usize = counts.iter().sum();
        !counts.contains(&0)
            && counts[2] >= counts[1].max(counts[3])
            && total * 2 >= expect
            && total <= expect * 2
    })
}

fn walk(
    len: usize,
    px: impl Fn(usize) -> u8,
    at: usize,
    colour: u8,
    expect: usize,
) -> Option<(f64, usize)> {
    let (counts, start) = runs_through(len, px, at, colour, expect)?;
    if counts.contains(&0) || !ratio_ok(&counts) {
        return None;
    }
    let total: usize = counts.iter().sum();
    if total * 2 < expect || total > expect * 2 {
        return None;
    }
    let centre = start as f64 + (counts[0] + counts[1]) as f64 + counts[2] as f64 / 2.0;
    Some((centre, total))
}

/// The five runs (outer, ring, centre, ring, outer) along a line through
/// `at`, each counted up to twice `expect`, and where the first starts.
fn runs_through(
    len: usize,
    px: impl Fn(usize) -> u8,
    at: usize,
    colour: u8,
    expect: usize,
) -> Option<([usize; 5], usize)> {
    if at >= len || px(at) != colour {
        return None;
    }
    let limit = expect * 2;
    // Runs going back from the centre: centre part, ring, outer.
    let mut counts = [0usize; 5];
    let mut i = at as isize;
    for (k, want) in [(2usize, colour), (1, colour ^ 1), (0, colour)] {
        while i >= 0 && px(i as usize) == want && counts[k] <= limit {
            counts[k] += 1;
            i -= 1;
        }
    }
    let start = (i + 1) as usize;
    let mut j = at + 1;
    for (k, want) in [(2usize, colour), (3, colour ^ 1), (4, colour)] {
        while j < len && px(j) == want && counts[k] <= limit {
            counts[k] += 1;
            j += 1;
        }
    }
    Some((counts, start))
}

/// Merges a hit into the (active) finder it belongs to, or starts a new
/// one.
fn add(found: &mut Vec<Finder>, active: &mut Vec<usize>, hit: Finder) {
    for &i in active.iter() {
        let Some(f) = found.get_mut(i) else { continue };
        let close = (f.x - hit.x).abs() < f.module * 2.5 && (f.y - hit.y).abs() < f.module * 2.5;
        let alike = f.inverted == hit.inverted && (f.module / hit.module - 1.0).abs() < 0.6;
        if close && alike {
            let n = f64::from(f.hits);
            f.x = (f.x * n + hit.x) / (n + 1.0);
            f.y = (f.y * n + hit.y) / (n + 1.0);
            f.module = (f.module * n + hit.module) / (n + 1.0);
            f.hits += 1;
            f.last_row = hit.last_row;
            return;
        }
    }
    active.push(found.len());
    found.push(hit);
}
