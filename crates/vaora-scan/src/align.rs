//! Alignment patterns: finding them, and fitting a code's map through all
//! of them. Three finders give an affine map, exact only without
//! perspective; under a strong tilt its error at the far corner reaches
//! ten modules on a large code, beyond any search around it. Codes of
//! version 7 and up carry a lattice of alignment patterns, including some
//! along the timing lines between the finders, where the affine map is
//! still close: found nearest first, each one sharpens the map that
//! predicts the next, and the final map is fitted through them all.

use crate::geometry::{Homography, Pt};
use crate::grid::bilinear;

/// A found pattern's light ring must be this much brighter (grey levels)
/// than both its centre and its dark ring.
const MIN_CONTRAST: f64 = 10.0;

/// Half modules either way the fourth corner's pattern is searched for
/// around where the three-finder map puts it (±6 modules).
pub const CORNER_REACH: i32 = 12;

/// Module coordinates (row or column) of the centres of a version's
/// alignment patterns, as in the standard's table (ISO/IEC 18004 annex
/// E): from 6 to `dim - 7`, evenly spaced by an even step, except that
/// the first gap takes up the slack. Empty for version 1.
fn axis(dim: usize) -> Vec<usize> {
    if dim < 25 || !(dim - 17).is_multiple_of(4) {
        return Vec::new();
    }
    let version = (dim - 17) / 4;
    let count = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut at: Vec<usize> = (0..count - 1).map(|i| dim - 7 - i * step).collect();
    at.push(6);
    at.reverse();
    at
}

/// Searches `reach` half modules either way around module `(u, v)` of
/// `map` for an alignment pattern (dark centre, light ring, dark ring),
/// coarse then fine: the pattern's centre in frame pixels.
pub fn locate(
    pixels: &[u8],
    width: usize,
    height: usize,
    map: &Homography,
    (u, v): (f64, f64),
    reach: i32,
    inverted: bool,
) -> Option<Pt> {
    let lum = |a: f64, b: f64| {
        let p = map.map(a, b);
        let l = f64::from(bilinear(pixels, width, height, p.x, p.y));
        if inverted { 255.0 - l } else { l }
    };
    const RING: [(i32, i32); 8] = [
        (-1, 0),
        (1, 0),
        (0, -1),
        (0, 1),
        (-1, -1),
        (1, 1),
        (-1, 1),
        (1, -1),
    ];
    // Coarse: every half module within reach, scored from one lattice of
    // samples (a position's rings are lattice points too), so each grey
    // level is read once instead of seventeen times.
    let side = 2 * (reach + 4) + 1;
    let lattice: Vec<f64> = (0..side * side)
        .map(|k| {
            let (i, j) = (k % side - reach - 4, k / side - reach - 4);
            lum(u + f64::from(i) * 0.5, v + f64::from(j) * 0.5)
        })
        .collect();
    let cell = |i: i32, j: i32| lattice[((j + reach + 4) * side + i + reach + 4) as usize];
    let ring_at = |sample: &dyn Fn(i32, i32) -> f64, r: i32| {
        RING.iter().map(|(a, b)| sample(r * a, r * b)).sum::<f64>() / 8.0
    };
    let mut best = (f64::MIN, u, v);
    for sy in -reach..=reach {
        for sx in -reach..=reach {
            let at = |a: i32, b: i32| cell(sx + a, sy + b);
            let (ring1, ring2) = (ring_at(&at, 2), ring_at(&at, 4));
            // The light ring is brighter than both the centre and the
            // dark ring.
            let s = (ring1 - cell(sx, sy)).min(ring1 - ring2);
            if s > best.0 {
                best = (s, u + f64::from(sx) * 0.5, v + f64::from(sy) * 0.5);
            }
        }
    }
    // Fine: in eighths of a module, within the quarter around the best
    // half-module position that is nearer to it than to its neighbours.
    let (cu, cv) = (best.1, best.2);
    for sy in -2..=2 {
        for sx in -2..=2 {
            let (a, b) = (cu + f64::from(sx) * 0.125, cv + f64::from(sy) * 0.125);
            let at = |i: i32, j: i32| lum(a + f64::from(i), b + f64::from(j));
            let light = ring_at(&at, 1);
            let s = (light - lum(a, b)).min(light - ring_at(&at, 2));
            if s > best.0 {
                best = (s, a, b);
            }
        }
    }
    (best.0 > MIN_CONTRAST).then(|| map.map(best.1, best.2))
}

/// Half modules either way each pattern is searched for around where the
/// map so far puts it.
const GRID_REACH: i32 = 6;

/// The map from module coordinates to frame pixels fitted through the
/// three finder centres and every alignment pattern found, growing out
/// from the finders (see the module comment). `None` for codes below
/// version 7 or when too few patterns were found to fit more than the
/// three-finder map.
pub fn fit_grid(
    pixels: &[u8],
    width: usize,
    height: usize,
    finders: [Pt; 3],
    affine: &Homography,
    dim: usize,
    inverted: bool,
) -> Option<Homography> {
    let axis = axis(dim);
    if axis.len() < 3 {
        return None;
    }
    let (d, last) = (dim as f64, dim - 7);
    let mut known: Vec<(Pt, Pt)> = [(3.5, 3.5), (d - 3.5, 3.5), (3.5, d - 3.5)]
        .into_iter()
        .zip(finders)
        .map(|((u, v), p)| (Pt::new(u, v), p))
        .collect();
    let mut todo: Vec<(usize, usize)> = axis
        .iter()
        .flat_map(|&y| axis.iter().map(move |&x| (x, y)))
        .filter(|&xy| xy != (6, 6) && xy != (6, last) && xy != (last, 6))
        .collect();
    // Nearest the finders first: the timing lines' patterns, then inwards.
    todo.sort_by_key(|&(x, y)| (x.max(y), x + y));
    let mut map = *affine;
    for (x, y) in todo {
        let at = (x as f64 + 0.5, y as f64 + 0.5);
        if let Some(p) = locate(pixels, width, height, &map, at, GRID_REACH, inverted) {
            known.push((Pt::new(at.0, at.1), p));
            if let Some(fitted) = Homography::fit(&known) {
                map = fitted;
            }
        }
    }
    drop_outliers(known)
}

/// A pattern whose centre the fitted map misses by more than this many
/// modules was not the pattern (blur or texture made a neighbour look
/// like one).
const MAX_MISS: f64 = 0.75;

/// The map fitted through `known` (the three finders first, then the
/// patterns found) after dropping, worst first, each pattern it misses;
/// `None` once fewer than two patterns are left, or when the fit is
/// degenerate.
fn drop_outliers(mut known: Vec<(Pt, Pt)>) -> Option<Homography> {
    loop {
        if known.len() < 5 {
            return None;
        }
        let map = Homography::fit(&known)?;
        let miss = |&(m, p): &(Pt, Pt)| {
            let at = map.map(m.x, m.y);
            let pitch = at.dist(map.map(m.x + 1.0, m.y)).max(1e-9);
            at.dist(p) / pitch
        };
        let worst =
            (3..known.len()).max_by(|&a, &b| miss(&known[a]).total_cmp(&miss(&known[b])))?;
        if miss(&known[worst]) <= MAX_MISS && (0..3).all(|i| miss(&known[i]) <= MAX_MISS) {
            return Some(map);
        }
        known.remove(worst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_taken_from_the_wrong_place_is_dropped_from_the_fit() {
        // A version 13 code tilted hard: where its finders and alignment
        // patterns are in the picture.
        let truth = Homography::scaled_square_to_quad(
            69.0,
            [
                Pt::new(710.3, 181.7),
                Pt::new(987.1, 94.3),
                Pt::new(1001.0, 405.3),
                Pt::new(678.8, 463.7),
            ],
        )
        .expect("quad");
        let mut known: Vec<(Pt, Pt)> = [(3.5, 3.5), (65.5, 3.5), (3.5, 65.5)]
            .into_iter()
            .chain([
                (34.5, 6.5),
                (6.5, 34.5),
                (34.5, 34.5),
                (62.5, 34.5),
                (34.5, 62.5),
                (62.5, 62.5),
            ])
            .map(|(u, v)| (Pt::new(u, v), truth.map(u, v)))
            .collect();
        // Blur made a spot two modules along the timing line look better.
        known[3].1 = truth.map(36.5, 6.5);
        let map = drop_outliers(known.clone()).expect("a fit");
        for (u, v) in [(0.0, 0.0), (69.0, 0.0), (69.0, 69.0), (0.0, 69.0)] {
            assert!(
                map.map(u, v).dist(truth.map(u, v)) < 0.01,
                "corner ({u}, {v})"
            );
        }
        // The finders and one pattern alone: nothing to fit beyond what
        // the four-point map already gives.
        assert!(drop_outliers(known[..4].to_vec()).is_none());
    }

    #[test]
    fn alignment_positions_match_the_standards_table() {
        let of = |version: usize| axis(17 + 4 * version);
        assert_eq!(of(1), Vec::<usize>::new());
        assert_eq!(of(2), [6, 18]);
        assert_eq!(of(7), [6, 22, 38]);
        assert_eq!(of(8), [6, 24, 42]);
        assert_eq!(of(13), [6, 34, 62]);
        assert_eq!(of(14), [6, 26, 46, 66]);
        assert_eq!(of(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(of(36), [6, 24, 50, 76, 102, 128, 154]);
        assert_eq!(of(40), [6, 30, 58, 86, 114, 142, 170]);
    }
}
