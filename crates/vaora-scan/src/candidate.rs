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

    fn near(&self, o: &Candidate) -> bool {
        self.inverted == o.inverted && self.top_left.dist(o.top_left) < self.module() * 3.0
    }
}

/// At most this many finders per polarity are tried in triples (the ones
/// most scan lines agreed on): 16 choose 3 is 560 triples, cheap.
const MAX_FINDERS: usize = 16;
/// Triples handed on per bitmap at most, best first.
const MAX_TRIPLES: usize = 24;

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
                    if let Some((score, candidate)) = triple(ids.map(|n| &finders[n]), scale) {
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

/// Adds `c` unless a candidate at the same place is already there.
pub fn push_unique(list: &mut Vec<Candidate>, c: Candidate) {
    if !list.iter().any(|o| o.near(&c)) {
        list.push(c);
    }
}

fn triple(f: [&Finder; 3], scale: f64) -> Option<(f64, Candidate)> {
    let (mn, mx) = f.iter().fold((f64::MAX, 0f64), |(a, b), x| {
        (a.min(x.module), b.max(x.module))
    });
    if mx > mn * 2.0 {
        return None;
    }
    let p = f.map(|x| Pt::new(x.x * scale, x.y * scale));
    let module = f.iter().map(|x| x.module).sum::<f64>() / 3.0 * scale;
    // The corner is the finder opposite the longest side.
    let sides = [p[1].dist(p[2]), p[0].dist(p[2]), p[0].dist(p[1])];
    let corner = (0..3).max_by(|&a, &b| sides[a].total_cmp(&sides[b]))?;
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
    let score = cos.abs() + (l1 / l2).ln().abs() + (mx / mn).ln();
    Some((
        score,
        Candidate {
            top_left: a,
            top_right: b,
            bottom_left: c,
            dim: 17 + 4 * version,
            inverted: f[0].inverted,
        },
    ))
}
