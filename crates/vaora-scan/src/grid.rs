//! Samples a candidate's modules straight from the grey frame and hands
//! the bit grid to rqrr for error correction and decoding, skipping rqrr's
//! own grid search (its perspective fitting costs 10–20 ms per code).
//!
//! The three finder centres give an affine map; for version 2 and up the
//! alignment pattern near the fourth corner is searched for and turns it
//! into a perspective map. Modules are thresholded against the mean of
//! their 9×9-module neighbourhood, so light gradients across a code do not
//! matter. rqrr's Reed–Solomon check stands between a misread and a payload.

use crate::Payload;
use crate::align;
use crate::candidate::Candidate;
use crate::geometry::{Homography, Pt};
use crate::read::decode_grid;

struct Bits {
    size: usize,
    dark: Vec<bool>,
}

impl rqrr::BitGrid for Bits {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark[y * self.size + x]
    }
}

/// What sampling a candidate gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Read,
    /// Format bits too where a code's are (one copy exactly), but no
    /// decode: most likely a code.
    Format,
    /// Timing patterns where a code's should be, but no decode: worth the
    /// slower attempts.
    LooksLikeACode,
    NotACode,
}

/// What the timing lines say about a candidate: the sizes worth sampling
/// it at, best first, and whether they are in phase.
pub struct Assessment {
    sizes: Vec<usize>,
    /// The timing modules are in phase at one of the sizes, not only
    /// countable: texture with a regular weave can be counted along, but
    /// is rarely in phase with a code's grid.
    pub in_phase: bool,
}

/// Samples and decodes `c` if its timing lines show a code.
pub fn read(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    tries: &mut usize,
    out: &mut Vec<Payload>,
) -> Outcome {
    match assess(pixels, width, height, c) {
        Some(a) => decode(pixels, width, height, c, &a, tries, out),
        None => Outcome::NotACode,
    }
}

/// The size estimate from finder spacing can be off by a version either
/// way; the timing patterns pick the right one and turn away triples of
/// finders that are not a code before any costly step. `None`: not a
/// code.
pub fn assess(pixels: &[u8], width: usize, height: usize, c: &Candidate) -> Option<Assessment> {
    let d = c.dim;
    // Counted along the timing lines first (right under perspective and
    // whatever the finder runs said), then the phase check of the
    // estimate and one version either side.
    let counted = [true, false].map(|along_row| counted_size(pixels, width, height, c, along_row));
    // The better line decides: a damaged code may lose one of them.
    let mut phased: Vec<(f64, usize)> = [d, d + 4, d.saturating_sub(4)]
        .into_iter()
        .filter(|dim| (21..=177).contains(dim))
        .filter_map(|dim| {
            let map = affine(c, dim)?;
            let [row, column] = timing_scores(pixels, width, height, &map, dim, c.inverted);
            Some((row.max(column), dim))
        })
        .collect();
    phased.retain(|(score, _)| *score >= MIN_TIMING);
    phased.sort_by(|a, b| b.0.total_cmp(&a.0));
    let in_phase = !phased.is_empty();
    let mut sizes: Vec<usize> = counted.into_iter().flatten().collect();
    sizes.extend(phased.into_iter().map(|(_, dim)| dim));
    sizes.dedup();
    (!sizes.is_empty()).then_some(Assessment { sizes, in_phase })
}

/// Samples and decodes an assessed candidate at each of its sizes, while
/// `tries` lasts.
pub fn decode(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    assessment: &Assessment,
    tries: &mut usize,
    out: &mut Vec<Payload>,
) -> Outcome {
    // A code that does not read still shows its format bits next to the
    // top-left finder, where the map is surest; texture rarely does.
    let mut outcome = Outcome::LooksLikeACode;
    let mut tried = Vec::new();
    for &dim in &assessment.sizes {
        if tried.contains(&dim) || tried.len() >= 3 {
            continue;
        }
        tried.push(dim);
        match decode_at(pixels, width, height, c, dim, Fit::Alignment, tries, out) {
            Outcome::Read => return Outcome::Read,
            Outcome::Format => outcome = Outcome::Format,
            _ => {}
        }
    }
    // Finder centres measured on a bitmap are off by a fraction of a
    // module, which matters when modules are two or three pixels: centre
    // each finder on its own pattern, then try again.
    for &dim in &tried {
        if *tries == 0 {
            break;
        }
        let refined = refine(pixels, width, height, c, dim);
        match decode_at(
            pixels,
            width,
            height,
            &refined,
            dim,
            Fit::Finders,
            tries,
            out,
        ) {
            Outcome::Read => return Outcome::Read,
            Outcome::Format => outcome = Outcome::Format,
            _ => {}
        }
    }
    outcome
}

/// A candidate whose corner `guessed` (0 top-left, 1 top-right, 2
/// bottom-left) was put where a lost finder would be (see
/// `candidate::completions`): a finder is looked for within a module of
/// that place, and the candidate read only when it fits at least half as
/// well as a finder that was found, so a guess on plain paper or print
/// costs no sampling.
pub fn read_completed(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    guessed: usize,
    tries: &mut usize,
    out: &mut Vec<Payload>,
) -> Outcome {
    let probe = FinderProbe::new(pixels, width, height, c, c.dim);
    let mut corners = [c.top_left, c.top_right, c.bottom_left];
    let Some(&guess) = corners.get(guessed) else {
        return Outcome::NotACode;
    };
    let mut best = (i32::MIN, guess);
    for sv in -2..=2 {
        for su in -2..=2 {
            let p = probe.step(guess, f64::from(su) * 0.5, f64::from(sv) * 0.5);
            let fit = probe.fit(p, Area::Cross);
            if fit > best.0 {
                best = (fit, p);
            }
        }
    }
    best.0 = probe.fit(best.1, Area::Whole);
    let reference = probe.fit(corners[(guessed + 1) % 3], Area::Whole);
    // 33 × 48 per grey level of contrast: at least 10 levels.
    if best.0 < 33 * 48 * 10 || best.0 * 2 < reference {
        return Outcome::NotACode;
    }
    corners[guessed] = best.1;
    let moved = Candidate {
        top_left: corners[0],
        top_right: corners[1],
        bottom_left: corners[2],
        ..*c
    };
    read(pixels, width, height, &moved, tries, out)
}

/// Which maps a sampling pass may try.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Every map, the one fitted through all alignment patterns too.
    Alignment,
    /// The finder-based maps only (the fit costs a search per pattern; a
    /// second pass with re-fitted finders is for codes of small modules,
    /// not for strong tilt).
    Finders,
}

/// Samples and decodes `c` as a `dim`-module code, with each of its maps,
/// while `tries` (grids sampled, left for this frame) lasts: read, or
/// format bits seen, or neither (also when the budget ran out: texture
/// that used it up must not keep the slow rungs busy).
#[allow(clippy::too_many_arguments)]
fn decode_at(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    dim: usize,
    fit: Fit,
    tries: &mut usize,
    out: &mut Vec<Payload>,
) -> Outcome {
    let mut outcome = Outcome::LooksLikeACode;
    let mut maps = mappings(pixels, width, height, c, dim, fit);
    while let Some(left) = tries.checked_sub(1) {
        let Some(map) = maps.next() else {
            break;
        };
        *tries = left;
        let bits = sample(pixels, width, height, &map, dim, c.inverted);
        let seen = format_seen(&bits);
        if seen == FormatSeen::No {
            continue;
        }
        if decode_grid(&rqrr::Grid::new(bits), out).is_some() {
            return Outcome::Read;
        }
        if seen == FormatSeen::Exact {
            outcome = Outcome::Format;
        }
    }
    outcome
}

/// `c` with each finder centre moved (within half a module) to where its
/// 7×7 pattern and light border fit the picture best: light modules
/// brightest against dark ones, coarse then fine.
fn refine(pixels: &[u8], width: usize, height: usize, c: &Candidate, dim: usize) -> Candidate {
    let probe = FinderProbe::new(pixels, width, height, c, dim);
    let fit = |centre: Pt| {
        let mut best = (i32::MIN, centre);
        let mut at = (0.0, 0.0);
        for (reach, step) in [(2i32, 0.25), (1, 0.125)] {
            let (cu, cv) = at;
            for sv in -reach..=reach {
                for su in -reach..=reach {
                    let (du, dv) = (cu + f64::from(su) * step, cv + f64::from(sv) * step);
                    let p = probe.step(centre, du, dv);
                    let score = probe.fit(p, Area::Whole);
                    if score > best.0 {
                        best = (score, p);
                        at = (du, dv);
                    }
                }
            }
        }
        best.1
    };
    Candidate {
        top_left: fit(c.top_left),
        top_right: fit(c.top_right),
        bottom_left: fit(c.bottom_left),
        ..*c
    }
}

/// Which modules of a finder pattern a fit looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    /// The 7×7 pattern and the light ring around it (81 modules).
    Whole,
    /// Its middle row and column only (17 of the 81), comparable between
    /// positions only: for searching.
    Cross,
}

/// Measures how well finder patterns fit a candidate's picture, with the
/// candidate's module steps (`ex` along its top edge, `ey` down its side).
struct FinderProbe<'a> {
    pixels: &'a [u8],
    width: usize,
    height: usize,
    ex: Pt,
    ey: Pt,
    inverted: bool,
}

impl<'a> FinderProbe<'a> {
    fn new(pixels: &'a [u8], width: usize, height: usize, c: &Candidate, dim: usize) -> Self {
        // Finder centres are 3.5 modules in from each edge.
        let span = dim as f64 - 7.0;
        FinderProbe {
            pixels,
            width,
            height,
            ex: Pt::new(
                (c.top_right.x - c.top_left.x) / span,
                (c.top_right.y - c.top_left.y) / span,
            ),
            ey: Pt::new(
                (c.bottom_left.x - c.top_left.x) / span,
                (c.bottom_left.y - c.top_left.y) / span,
            ),
            inverted: c.inverted,
        }
    }

    /// `from` moved `du` modules along the top edge and `dv` down the side.
    fn step(&self, from: Pt, du: f64, dv: f64) -> Pt {
        Pt::new(
            from.x + du * self.ex.x + dv * self.ey.x,
            from.y + du * self.ex.y + dv * self.ey.y,
        )
    }

    /// How well a finder centred at `p` fits: the light modules' sum minus
    /// the dark ones', dark modules weighted to balance the counts.
    fn fit(&self, p: Pt, area: Area) -> i32 {
        let (mut dark, mut light, mut darks, mut lights) = (0i32, 0i32, 0i32, 0i32);
        for j in -4i32..=4 {
            for i in -4i32..=4 {
                if area == Area::Cross && i != 0 && j != 0 {
                    continue;
                }
                let at = self.step(p, f64::from(i), f64::from(j));
                let g = i32::from(bilinear(self.pixels, self.width, self.height, at.x, at.y));
                let g = if self.inverted { 255 - g } else { g };
                // Chebyshev distance from the centre: 0–1 core, 2 light
                // ring, 3 dark ring, 4 the separator.
                if matches!(i.abs().max(j.abs()), 0 | 1 | 3) {
                    dark += g;
                    darks += 1;
                } else {
                    light += g;
                    lights += 1;
                }
            }
        }
        // Each sum weighted by the other's count, so flat grey scores 0:
        // over all 81, 33 dark modules and 48 light (16 + the 32 of the
        // separator).
        light * darks - dark * lights
    }
}

/// The 32 format words (5 data bits, BCH(15,5)), as read from a code
/// (masked with 0x5412).
fn format_words() -> [u16; 32] {
    std::array::from_fn(|d| {
        let data = (d as u16) << 10;
        let mut rem = u32::from(data);
        for bit in (10..15).rev() {
            if rem & (1 << bit) != 0 {
                rem ^= 0x537 << (bit - 10);
            }
        }
        (data | rem as u16) ^ 0x5412
    })
}

/// How much the grid's format information looks like a code's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FormatSeen {
    /// Neither copy near a format word.
    No,
    /// One copy within one bit of a format word, or both within three
    /// bits of the same word: worth Reed–Solomon (rqrr corrects three, but
    /// random modules come within three bits of some word half the time,
    /// and each such grid would cost a full pass).
    Plausible,
    /// A copy is a format word exactly: texture all but never does that.
    Exact,
}

/// Either orientation counts: a mirrored picture is read too.
fn format_seen(bits: &Bits) -> FormatSeen {
    let words = format_words();
    let n = bits.size;
    let mut seen = FormatSeen::No;
    for mirrored in [false, true] {
        let at = |y: usize, x: usize| {
            let (y, x) = if mirrored { (x, y) } else { (y, x) };
            u16::from(bits.dark[y * n + x])
        };
        const XS: [usize; 15] = [8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 4, 3, 2, 1, 0];
        const YS: [usize; 15] = [0, 1, 2, 3, 4, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8];
        let first = (0..15)
            .rev()
            .fold(0u16, |acc, i| (acc << 1) | at(YS[i], XS[i]));
        let second = (0..7)
            .map(|i| at(n - 1 - i, 8))
            .chain((0..8).map(|i| at(8, n - 8 + i)))
            .fold(0u16, |acc, b| (acc << 1) | b);
        for w in words {
            let (a, b) = ((first ^ w).count_ones(), (second ^ w).count_ones());
            let here = if a.min(b) == 0 {
                FormatSeen::Exact
            } else if a.min(b) <= 1 || a.max(b) <= 3 {
                FormatSeen::Plausible
            } else {
                FormatSeen::No
            };
            seen = seen.max(here);
        }
    }
    seen
}

/// The code's size from counting the runs of one timing line, from the
/// top-left finder's centre to the top-right's along row 6 (or to the
/// bottom-left's down column 6): the finder's ring, the separator, the
/// alternating timing modules, the separator, the other ring. Counting
/// needs no even pitch, so tilt does not fool it.
fn counted_size(
    pixels: &[u8],
    width: usize,
    height: usize,
    c: &Candidate,
    along_row: bool,
) -> Option<usize> {
    let d = c.dim as f64;
    let map = affine(c, c.dim)?;
    let (from, to) = if along_row {
        (map.map(3.5, 6.5), map.map(d - 3.5, 6.5))
    } else {
        (map.map(6.5, 3.5), map.map(6.5, d - 3.5))
    };
    // Two samples per pixel along the line.
    let n = (from.dist(to) * 2.0).ceil() as usize;
    if !(40..=4000).contains(&n) {
        return None;
    }
    let lum: Vec<i32> = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let l = i32::from(bilinear(
                pixels,
                width,
                height,
                from.x + (to.x - from.x) * t,
                from.y + (to.y - from.y) * t,
            ));
            if c.inverted { 255 - l } else { l }
        })
        .collect();
    // Threshold: the mean over about four modules around each sample.
    let per_module = n as f64 / (d - 7.0);
    let half = (per_module * 2.0).ceil() as usize;
    let mut runs: Vec<(bool, usize)> = Vec::new();
    let mut dark = true;
    // Running sums: the mean of any stretch in two lookups.
    let sums: Vec<i32> = std::iter::once(0)
        .chain(lum.iter().scan(0, |acc, l| {
            *acc += l;
            Some(*acc)
        }))
        .collect();
    for (i, &l) in lum.iter().enumerate() {
        let (a, b) = (i.saturating_sub(half), (i + half).min(n));
        let mean = (sums[b + 1] - sums[a]) / (b - a + 1) as i32;
        // A little hysteresis so noise does not split a module.
        if l < mean - 3 {
            dark = true;
        } else if l > mean + 3 {
            dark = false;
        }
        match runs.last_mut() {
            Some((colour, len)) if *colour == dark => *len += 1,
            _ => runs.push((dark, 1)),
        }
    }
    // The ends should sit on the finders' rings; under tilt they may fall
    // just outside, onto the separator, or catch a speck of noise there.
    let speck = (per_module * 0.6) as usize;
    let stray = |r: &(bool, usize)| !r.0 || r.1 <= speck;
    while runs.first().is_some_and(stray) {
        runs.remove(0);
    }
    while runs.last().is_some_and(stray) {
        runs.pop();
    }
    if runs.len() < 9 {
        return None;
    }
    // The timing modules between the separators must be alike.
    let inner: Vec<usize> = runs[2..runs.len() - 2].iter().map(|r| r.1).collect();
    let mut sorted = inner.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2] as f64;
    if inner.iter().any(|&l| l as f64 > median * 2.5 + 1.0) {
        return None;
    }
    let counted = runs.len() + 12;
    let dim = 17 + 4 * ((counted as f64 - 17.0) / 4.0).round().clamp(0.0, 40.0) as usize;
    ((dim as i64 - counted as i64).abs() <= 1 && (dim as f64 - d).abs() <= (d / 4.0).max(8.0))
        .then_some(dim)
}

/// Share of timing-pattern modules (row 6 and column 6 next to the
/// top-left finder) that contrast with their neighbours the right way.
const MIN_TIMING: f64 = 0.75;

/// That share along row 6 and down column 6.
fn timing_scores(
    pixels: &[u8],
    width: usize,
    height: usize,
    map: &Homography,
    dim: usize,
    inverted: bool,
) -> [f64; 2] {
    let lum = |u: usize, v: usize| {
        let p = map.map(u as f64 + 0.5, v as f64 + 0.5);
        let l = i32::from(bilinear(pixels, width, height, p.x, p.y));
        if inverted { 255 - l } else { l }
    };
    let line = |along_row: bool| {
        let at = |k: usize| if along_row { lum(k, 6) } else { lum(6, k) };
        // The half nearer the top-left finder: there the three-finder
        // (affine) map is still right on a tilted code.
        let ks = 8..8 + ((dim - 16) / 2).max(5);
        let n = ks.len().max(1);
        let good = ks
            .filter(|&k| {
                let dark = 2 * at(k) < at(k - 1) + at(k + 1);
                dark == (k % 2 == 0)
            })
            .count();
        good as f64 / n as f64
    };
    [line(true), line(false)]
}

fn affine(c: &Candidate, dim: usize) -> Option<Homography> {
    let d = dim as f64;
    let (tl, tr, bl) = (c.top_left, c.top_right, c.bottom_left);
    let br = Pt::new(tr.x + bl.x - tl.x, tr.y + bl.y - tl.y);
    let from = [
        Pt::new(3.5, 3.5),
        Pt::new(d - 3.5, 3.5),
        Pt::new(d - 3.5, d - 3.5),
        Pt::new(3.5, d - 3.5),
    ];
    quad_to_quad(from, [tl, tr, br, bl])
}

/// Maps from module coordinates (x right, y down, in modules) to frame
/// pixels to try, best first: with perspective from the alignment pattern
/// when one is found near the fourth corner; then, from version 7, the
/// map through all the alignment patterns (a strong tilt puts the fourth
/// corner's pattern beyond the first search); then the three-finder
/// affine map (a false alignment match must not cost the read). Each is
/// worked out only when the one before did not read.
fn mappings<'a>(
    pixels: &'a [u8],
    width: usize,
    height: usize,
    c: &'a Candidate,
    dim: usize,
    fit: Fit,
) -> impl Iterator<Item = Homography> + 'a {
    let affine = affine(c, dim);
    let d = dim as f64;
    // Version 1 has no alignment pattern; from 2 on, one centred at
    // (d − 6.5, d − 6.5), searched for ±6 modules around the affine
    // guess.
    let want = d - 6.5;
    let perspective = move || {
        if dim < 25 {
            return None;
        }
        let affine = affine?;
        let at = align::locate(
            pixels,
            width,
            height,
            &affine,
            (want, want),
            align::CORNER_REACH,
            c.inverted,
        )?;
        quad_to_quad(
            [
                Pt::new(3.5, 3.5),
                Pt::new(d - 3.5, 3.5),
                Pt::new(want, want),
                Pt::new(3.5, d - 3.5),
            ],
            [c.top_left, c.top_right, at, c.bottom_left],
        )
    };
    let fitted = move || {
        if fit == Fit::Finders {
            return None;
        }
        let corners = [c.top_left, c.top_right, c.bottom_left];
        align::fit_grid(pixels, width, height, corners, &affine?, dim, c.inverted)
    };
    std::iter::once_with(perspective)
        .chain(std::iter::once_with(fitted))
        .flatten()
        .chain(affine)
}

fn quad_to_quad(from: [Pt; 4], to: [Pt; 4]) -> Option<Homography> {
    let a = Homography::square_to_quad(from)?.inverse()?;
    let b = Homography::square_to_quad(to)?;
    Some(b.after(&a))
}

/// Each module's centre (averaged over a 2×2 spread when modules are big
/// enough), thresholded against its neighbourhood's mean.
fn sample(
    pixels: &[u8],
    width: usize,
    height: usize,
    map: &Homography,
    dim: usize,
    inverted: bool,
) -> Bits {
    let mut lum = vec![0u16; dim * dim];
    for y in 0..dim {
        for x in 0..dim {
            let mut s = 0u16;
            for (dx, dy) in [(0.35, 0.35), (0.65, 0.35), (0.35, 0.65), (0.65, 0.65)] {
                let p = map.map(x as f64 + dx, y as f64 + dy);
                s += bilinear(pixels, width, height, p.x, p.y);
            }
            lum[y * dim + x] = s / 4;
        }
    }
    sharpen(&mut lum, dim);
    // Integral over the module grid for the neighbourhood mean.
    let iw = dim + 1;
    let mut integral = vec![0u32; iw * iw];
    for y in 0..dim {
        let mut run = 0u32;
        for x in 0..dim {
            run += u32::from(lum[y * dim + x]);
            integral[(y + 1) * iw + x + 1] = integral[y * iw + x + 1] + run;
        }
    }
    let r = 4;
    let dark = (0..dim * dim)
        .map(|i| {
            let (x, y) = (i % dim, i / dim);
            let (x0, y0, x1, y1) = (
                x.saturating_sub(r),
                y.saturating_sub(r),
                (x + r + 1).min(dim),
                (y + r + 1).min(dim),
            );
            let sum = integral[y1 * iw + x1] + integral[y0 * iw + x0]
                - integral[y0 * iw + x1]
                - integral[y1 * iw + x0];
            let area = ((x1 - x0) * (y1 - y0)) as u32;
            let below = u32::from(lum[i]) * area < sum;
            below != inverted
        })
        .collect();
    Bits { size: dim, dark }
}

/// Each module's grey level pushed away from the mean of its four
/// neighbours by as much as it differs from it (an unsharp mask on the
/// module grid): blur and modules of under two pixels spill a module's
/// neighbours into it, and a lone light module among dark ones came out
/// dark, a code's worth of such errors past what Reed–Solomon corrects.
fn sharpen(lum: &mut [u16], dim: usize) {
    let orig = lum.to_vec();
    let g = |x: usize, y: usize| i32::from(orig[y * dim + x]);
    for y in 0..dim {
        for x in 0..dim {
            let c = g(x, y);
            // A neighbour off the grid counts as the module itself.
            let around = [
                x.checked_sub(1).map_or(c, |l| g(l, y)),
                if x + 1 < dim { g(x + 1, y) } else { c },
                y.checked_sub(1).map_or(c, |u| g(x, u)),
                if y + 1 < dim { g(x, y + 1) } else { c },
            ];
            let mean = around.iter().sum::<i32>() / 4;
            lum[y * dim + x] = (2 * c - mean).clamp(0, 1023) as u16;
        }
    }
}

/// Grey level at (x, y), pixel centres at half-integers, clamped to the
/// edge; fixed-point weights (8 bits) keep it cheap.
pub fn bilinear(px: &[u8], w: usize, h: usize, x: f64, y: f64) -> u16 {
    let x = (x - 0.5).clamp(0.0, (w - 1) as f64);
    let y = (y - 0.5).clamp(0.0, (h - 1) as f64);
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let fx = ((x - x0 as f64) * 256.0) as u32;
    let fy = ((y - y0 as f64) * 256.0) as u32;
    let at = |xx: usize, yy: usize| u32::from(px[yy * w + xx]);
    let top = at(x0, y0) * (256 - fx) + at(x1, y0) * fx;
    let bottom = at(x0, y1) * (256 - fx) + at(x1, y1) * fx;
    ((top * (256 - fy) + bottom * fy) >> 16) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_of(code: &qrcode::QrCode) -> Bits {
        Bits {
            size: code.width(),
            dark: code
                .to_colors()
                .iter()
                .map(|c| *c == qrcode::Color::Dark)
                .collect(),
        }
    }

    #[test]
    fn a_codes_format_is_plausible_even_with_a_few_bad_modules() {
        let code = qrcode::QrCode::new(b"HTTPS://VAORA.VN/V/ABC234").expect("code");
        let mut bits = bits_of(&code);
        assert_eq!(format_seen(&bits), FormatSeen::Exact);
        // Two wrong bits in the first copy, one in the second.
        let n = bits.size;
        for (y, x) in [(8, 0), (8, 1), (n - 1, 8)] {
            bits.dark[y * n + x] ^= true;
        }
        assert_eq!(format_seen(&bits), FormatSeen::Plausible);
        // Mirrored (a front camera's picture).
        let mirrored = Bits {
            size: n,
            dark: (0..n * n).map(|i| bits.dark[(i % n) * n + i / n]).collect(),
        };
        assert_eq!(format_seen(&mirrored), FormatSeen::Plausible);
    }

    #[test]
    fn most_random_grids_are_turned_away_before_error_correction() {
        // A fixed linear congruential sequence: the same grids every run.
        let mut state = 12_345u32;
        let passed = (0..200)
            .filter(|_| {
                let dark = (0..29 * 29)
                    .map(|_| {
                        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        state >> 16 & 1 == 1
                    })
                    .collect();
                format_seen(&Bits { size: 29, dark }) != FormatSeen::No
            })
            .count();
        assert!(passed < 40, "{passed} of 200 random grids passed");
    }
}
