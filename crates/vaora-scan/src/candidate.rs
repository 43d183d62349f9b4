//! Groups finder patterns into codes: three finders of one polarity whose
//! sizes agree, forming a near-right angle with legs of similar length.

use crate::finder::Finder;
use crate::geometry::Pt;

/// Where a code probably is, in frame pixels.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub top_left: Pt,
    pub top_right: Pt,
    pub bottom_left: Pt,
    /// Modules per side (17 + 4 × version), estimated from the spacing.
    pub dim: usize,
    pub inverted: bool,
}

impl Candidate {
    /// Module pitch along the top edge, in frame pixels.
    pub fn module(&self) -> f64 {
        self.top_left.dist(self.top_right) / (self.dim as f64 - 7.0)
    }

    /// `p` is within three modules of one of its finder centres.
    pub fn has_corner_near(&self, p: Pt) -> bool {
        let reach = self.module() * 3.0;
        [self.top_left, self.top_right, self.bottom_left]
            .iter()
            .any(|&c| c.dist(p) < reach)
    }

    fn near(&self, o: &Candidate) -> bool {
        self.inverted == o.inverted && self.top_left.dist(o.top_left) < self.module() * 3.0
    }
}

/// At most this many finders per polarity are tried in triples (the ones
/// most scan lines agreed on): 16 choose 3 is 560 triples, cheap.
const MAX_FINDERS: usize = 16;
/// Triples handed on per bitmap at most, best first: every one that is
/// not a code costs its timing checks.
const MAX_TRIPLES: usize = 16;

/// A candidate and the indices (in the finder list) of its finders.
#[derive(Debug, Clone, Copy)]
pub struct Triple {
    pub candidate: Candidate,
    pub finders: [usize; 3],
}

/// Every plausible triple of `finders` (bitmap pixels, `scale` frame
/// pixels each) as candidates, best first. A finder may be in several: a
/// wrong triple that borrows one finder of a second code must not keep
/// that code from being read (the caller skips the finders of codes that
/// read).
pub fn group(finders: &[Finder], scale: f64, min_hits: u32, out: &mut Vec<Triple>) {
    let mut scored: Vec<(f64, Triple)> = Vec::new();
    for inverted in [false, true] {
        let mut fs: Vec<usize> = (0..finders.len())
            .filter(|&i| finders[i].inverted == inverted && finders[i].confirmed(min_hits))
            .collect();
        fs.sort_by_key(|&i| std::cmp::Reverse(finders[i].hits));
        fs.truncate(MAX_FINDERS);
        for (a, &i) in fs.iter().enumerate() {
            for (b, &j) in fs.iter().enumerate().skip(a + 1) {
                for &k in &fs[b + 1..] {
                    let ids = [i, j, k];
                    for (score, candidate) in triple(ids.map(|n| &finders[n]), scale) {
                        scored.push((
                            score,
                            Triple {
                                candidate,
                                finders: ids,
                            },
                        ));
                    }
                }
            }
        }
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.extend(scored.into_iter().take(MAX_TRIPLES).map(|(_, t)| t));
}

/// Hypotheses tried per frame for codes with a finder lost.
const MAX_COMPLETIONS: usize = 48;

/// Codes whose third finder was lost (blurred into the modules around it,
/// torn off): every pair of confirmed finders of one polarity and size
/// taken as two corners of a code, the third corner put where it would
/// be. Six guesses a pair (which two corners they are), each with the
/// index of its guessed corner (0 top-left, 1 top-right, 2 bottom-left);
/// the caller checks for a finder there before sampling anything.
pub fn completions(
    finders: &[Finder],
    scale: f64,
    min_hits: u32,
    out: &mut Vec<(Candidate, usize)>,
) {
    let mut fs: Vec<&Finder> = finders.iter().filter(|f| f.confirmed(min_hits)).collect();
    fs.sort_by_key(|f| std::cmp::Reverse(f.hits));
    fs.truncate(MAX_FINDERS);
    for (i, a) in fs.iter().enumerate() {
        for b in &fs[i + 1..] {
            if a.inverted != b.inverted || a.module.max(b.module) > a.module.min(b.module) * 1.4 {
                continue;
            }
            let (pa, pb) = (
                Pt::new(a.x * scale, a.y * scale),
                Pt::new(b.x * scale, b.y * scale),
            );
            let module = (a.module + b.module) / 2.0 * scale;
            for (guessed, (tl, tr, bl)) in corners(pa, pb).into_iter().enumerate() {
                let side = tl.dist(tr);
                let angle = (tr.y - tl.y).atan2(tr.x - tl.x);
                let m = module * angle.cos().abs().max(angle.sin().abs());
                let span = side / m + 7.0;
                if !(21.0..=177.0).contains(&span) {
                    continue;
                }
                let version = ((span - 17.0) / 4.0).round().clamp(1.0, 40.0) as usize;
                let c = Candidate {
                    top_left: tl,
                    top_right: tr,
                    bottom_left: bl,
                    dim: 17 + 4 * version,
                    inverted: a.inverted,
                };
                out.push((c, 2 - guessed / 2));
                if out.len() >= MAX_COMPLETIONS {
                    return;
                }
            }
        }
    }
}

/// The six ways two finders can be corners of one code, as (top-left,
/// top-right, bottom-left) with the third corner placed so that, y down,
/// top-right × bottom-left is positive as on any code seen unmirrored.
/// Two by two, the guessed corner is the bottom-left, the top-right, the
/// top-left.
fn corners(a: Pt, b: Pt) -> [(Pt, Pt, Pt); 6] {
    let add = |p: Pt, x: f64, y: f64| Pt::new(p.x + x, p.y + y);
    let side = |tl: Pt, tr: Pt| add(tl, -(tr.y - tl.y), tr.x - tl.x);
    let top = |tl: Pt, bl: Pt| add(tl, bl.y - tl.y, -(bl.x - tl.x));
    // A diagonal pair (top-right, bottom-left): top-left off its middle.
    let corner = |tr: Pt, bl: Pt| {
        let mid = Pt::new((tr.x + bl.x) / 2.0, (tr.y + bl.y) / 2.0);
        let half = Pt::new((tr.x - bl.x) / 2.0, (tr.y - bl.y) / 2.0);
        add(mid, half.y, -half.x)
    };
    [
        (a, b, side(a, b)),
        (b, a, side(b, a)),
        (a, top(a, b), b),
        (b, top(b, a), a),
        (corner(a, b), a, b),
        (corner(b, a), b, a),
    ]
}

/// Adds `c` unless a candidate at the same place is already there.
pub fn push_unique(list: &mut Vec<Candidate>, c: Candidate) {
    if !list.iter().any(|o| o.near(&c)) {
        list.push(c);
    }
}

/// Under a strong tilt the side between the top-right and bottom-left
/// finders need not be the longest: when the second longest is within
/// this factor of it, the corner facing each is tried (the wrong one
/// shows no format bits).
const AMBIGUOUS_SIDES: f64 = 1.15;

/// The candidates three finders make: one, or two when which is the
/// top-left is ambiguous; each with its score (lower is better).
fn triple(f: [&Finder; 3], scale: f64) -> impl Iterator<Item = (f64, Candidate)> {
    let (mn, mx) = f.iter().fold((f64::MAX, 0f64), |(a, b), x| {
        (a.min(x.module), b.max(x.module))
    });
    let p = f.map(|x| Pt::new(x.x * scale, x.y * scale));
    let module = f.iter().map(|x| x.module).sum::<f64>() / 3.0 * scale;
    let sides = [p[1].dist(p[2]), p[0].dist(p[2]), p[0].dist(p[1])];
    let mut by_side = [0, 1, 2];
    by_side.sort_by(|&a, &b| sides[b].total_cmp(&sides[a]));
    // Finders of sizes this far apart are not one code's.
    let corners = if mx > mn * 2.0 {
        0
    } else if sides[by_side[1]] * AMBIGUOUS_SIDES > sides[by_side[0]] {
        2
    } else {
        1
    };
    let inverted = f[0].inverted;
    by_side
        .into_iter()
        .take(corners)
        .filter_map(move |corner| oriented(p, corner, module, mx / mn, inverted))
}

/// Finder centres `p` as a code whose top-left is `p[corner]`, if their
/// angle and legs allow it; `sizes` is the ratio of the largest finder's
/// module to the smallest's.
fn oriented(
    p: [Pt; 3],
    corner: usize,
    module: f64,
    sizes: f64,
    inverted: bool,
) -> Option<(f64, Candidate)> {
    let (a, mut b, mut c) = (p[corner], p[(corner + 1) % 3], p[(corner + 2) % 3]);
    let (l1, l2) = (a.dist(b), a.dist(c));
    if l1.min(l2) <= 0.0 || l1.max(l2) > l1.min(l2) * 2.0 {
        return None;
    }
    let cos = ((b.x - a.x) * (c.x - a.x) + (b.y - a.y) * (c.y - a.y)) / (l1 * l2);
    if cos.abs() > 0.6 {
        return None;
    }
    // With y pointing down, top-right × bottom-left is positive.
    if (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x) < 0.0 {
        std::mem::swap(&mut b, &mut c);
    }
    // Runs were measured along rows and columns: on a code turned by θ
    // they cross the finder on a slant, 1 / max(|cos θ|, |sin θ|) longer.
    let angle = (b.y - a.y).atan2(b.x - a.x);
    let module = module * angle.cos().abs().max(angle.sin().abs());
    let span = (l1 + l2) / 2.0 / module + 7.0;
    if !(17.0..=190.0).contains(&span) {
        return None;
    }
    let version = ((span - 17.0) / 4.0).round().clamp(1.0, 40.0) as usize;
    let score = cos.abs() + (l1 / l2).ln().abs() + sizes.ln();
    Some((
        score,
        Candidate {
            top_left: a,
            top_right: b,
            bottom_left: c,
            dim: 17 + 4 * version,
            inverted,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strongly_tilted_codes_top_left_is_tried_though_another_corner_is_squarer() {
        // Finder centres of a version 8 code tilted 50° (a frame of the
        // benchmark's corpus): the side between the top-left and
        // top-right finders is the longest, and the bottom-left's angle
        // is nearer a right angle than the top-left's.
        let (tl, tr, bl) = (
            Pt::new(980.0, 487.0),
            Pt::new(1147.0, 520.0),
            Pt::new(1019.0, 625.0),
        );
        let finders = [tr, bl, tl].map(|p| Finder::at(p.x, p.y, 3.8));
        let mut out = Vec::new();
        group(&finders, 1.0, 2, &mut out);
        let corners: Vec<[Pt; 3]> = out
            .iter()
            .map(|t| {
                [
                    t.candidate.top_left,
                    t.candidate.top_right,
                    t.candidate.bottom_left,
                ]
            })
            .collect();
        assert!(corners.contains(&[tl, tr, bl]), "{corners:?}");
        // A square code's corner is not in doubt: one candidate.
        let square = [(0.0, 0.0), (100.0, 0.0), (0.0, 100.0)].map(|(x, y)| Finder::at(x, y, 4.0));
        out.clear();
        group(&square, 1.0, 2, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn any_two_corners_of_a_square_give_back_the_third() {
        let (tl, tr, bl) = (Pt::new(10.0, 10.0), Pt::new(50.0, 12.0), Pt::new(8.0, 50.0));
        let close = |p: Pt, q: Pt| p.dist(q) < 1e-9;
        for (a, b) in [(tl, tr), (tl, bl), (tr, bl)] {
            for (x, y) in [(a, b), (b, a)] {
                assert!(
                    corners(x, y)
                        .iter()
                        .any(|c| close(c.0, tl) && close(c.1, tr) && close(c.2, bl)),
                    "{x:?} {y:?}"
                );
            }
        }
    }
}
