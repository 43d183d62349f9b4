//! Plane projective transforms: the locator maps a code's module grid into
//! the frame with one, and the test corpus places posters with the same
//! maths, so what is rendered and what is read agree by construction.

/// A point in pixels (or in module units, depending on the plane).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

impl Pt {
    pub fn new(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }

    pub fn dist(self, o: Pt) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }
}

/// `[[a b c] [d e f] [g h 1]]`, mapping (u, v) to
/// ((a u + b v + c) / w, (d u + e v + f) / w) with w = g u + h v + 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    m: [f64; 9],
}

impl Homography {
    /// Maps the unit square's corners (0,0), (1,0), (1,1), (0,1) onto `q`
    /// in that order (Heckbert's closed form). `None` for a degenerate quad.
    pub fn square_to_quad(q: [Pt; 4]) -> Option<Homography> {
        let [p0, p1, p2, p3] = q;
        let (dx1, dx2, dx3) = (p1.x - p2.x, p3.x - p2.x, p0.x - p1.x + p2.x - p3.x);
        let (dy1, dy2, dy3) = (p1.y - p2.y, p3.y - p2.y, p0.y - p1.y + p2.y - p3.y);
        let det = dx1 * dy2 - dx2 * dy1;
        if det.abs() < 1e-12 {
            return None;
        }
        let g = (dx3 * dy2 - dx2 * dy3) / det;
        let h = (dx1 * dy3 - dx3 * dy1) / det;
        let m = [
            p1.x - p0.x + g * p1.x,
            p3.x - p0.x + h * p3.x,
            p0.x,
            p1.y - p0.y + g * p1.y,
            p3.y - p0.y + h * p3.y,
            p0.y,
            g,
            h,
            1.0,
        ];
        m.iter().all(|v| v.is_finite()).then_some(Homography { m })
    }

    /// Maps the square `[0, side]²` (module units) onto `q`.
    #[cfg(any(test, feature = "corpus"))]
    pub fn scaled_square_to_quad(side: f64, q: [Pt; 4]) -> Option<Homography> {
        let unit = Homography::square_to_quad(q)?;
        unit.then_scale(1.0 / side)
    }

    /// `self ∘ scale(s)`: first scale the input by `s`, then apply `self`.
    #[cfg(any(test, feature = "corpus"))]
    fn then_scale(self, s: f64) -> Option<Homography> {
        let m = self.m;
        let out = Homography {
            m: [
                m[0] * s,
                m[1] * s,
                m[2],
                m[3] * s,
                m[4] * s,
                m[5],
                m[6] * s,
                m[7] * s,
                m[8],
            ],
        };
        out.m.iter().all(|v| v.is_finite()).then_some(out)
    }

    /// The inverse transform, normalised so its last entry is 1.
    pub fn inverse(&self) -> Option<Homography> {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let adj = [
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        let norm = adj[8];
        if norm.abs() < 1e-12 {
            return None;
        }
        let m = adj.map(|v| v / norm);
        m.iter().all(|v| v.is_finite()).then_some(Homography { m })
    }

    /// `self ∘ first`: apply `first`, then `self`.
    pub fn after(&self, first: &Homography) -> Homography {
        let (a, b) = (&self.m, &first.m);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
            }
        }
        Homography { m }
    }

    /// The transform that maps each pair's first point nearest its second,
    /// in the least-squares sense of the direct linear method, over points
    /// first centred and scaled (so pixel and module units do not swamp
    /// each other). `None` below four pairs or when they are degenerate
    /// (three of four on a line).
    pub fn fit(pairs: &[(Pt, Pt)]) -> Option<Homography> {
        if pairs.len() < 4 {
            return None;
        }
        let from = Normaliser::of(pairs.iter().map(|p| p.0))?;
        let to = Normaliser::of(pairs.iter().map(|p| p.1))?;
        // Normal equations of the 2n × 8 system for (a b c d e f g h).
        let mut ata = [[0.0f64; 8]; 8];
        let mut atb = [0.0f64; 8];
        for &(p, q) in pairs {
            let (u, v) = from.apply(p);
            let (x, y) = to.apply(q);
            for (row, rhs) in [
                ([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x),
                ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y),
            ] {
                for i in 0..8 {
                    atb[i] += row[i] * rhs;
                    for j in 0..8 {
                        ata[i][j] += row[i] * row[j];
                    }
                }
            }
        }
        let h = solve8(ata, atb)?;
        let normalised = Homography {
            m: [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0],
        };
        let out = to.undo().after(&normalised.after(&from.matrix()));
        let norm = out.m[8];
        (norm.abs() > 1e-12)
            .then(|| Homography {
                m: out.m.map(|v| v / norm),
            })
            .filter(|h| h.m.iter().all(|v| v.is_finite()))
    }

    pub fn map(&self, x: f64, y: f64) -> Pt {
        let m = &self.m;
        let w = m[6] * x + m[7] * y + m[8];
        Pt::new(
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }
}

/// Moves a point set's centroid to the origin and scales it to a mean
/// distance of √2 from there (Hartley's normalisation).
struct Normaliser {
    centre: Pt,
    scale: f64,
}

impl Normaliser {
    fn of(points: impl Iterator<Item = Pt> + Clone) -> Option<Normaliser> {
        let n = points.clone().count() as f64;
        let centre = Pt::new(
            points.clone().map(|p| p.x).sum::<f64>() / n,
            points.clone().map(|p| p.y).sum::<f64>() / n,
        );
        let spread = points.map(|p| p.dist(centre)).sum::<f64>() / n;
        (spread > 1e-9).then(|| Normaliser {
            centre,
            scale: std::f64::consts::SQRT_2 / spread,
        })
    }

    fn apply(&self, p: Pt) -> (f64, f64) {
        (
            (p.x - self.centre.x) * self.scale,
            (p.y - self.centre.y) * self.scale,
        )
    }

    fn matrix(&self) -> Homography {
        let (s, c) = (self.scale, self.centre);
        Homography {
            m: [s, 0.0, -s * c.x, 0.0, s, -s * c.y, 0.0, 0.0, 1.0],
        }
    }

    fn undo(&self) -> Homography {
        let (s, c) = (self.scale, self.centre);
        Homography {
            m: [1.0 / s, 0.0, c.x, 0.0, 1.0 / s, c.y, 0.0, 0.0, 1.0],
        }
    }
}

/// Gaussian elimination with partial pivoting; `None` when singular.
fn solve8(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, top_b) = (a[col], b[col]);
        for row in col + 1..8 {
            let f = a[row][col] / top[col];
            for (x, t) in a[row].iter_mut().zip(top).skip(col) {
                *x -= f * t;
            }
            b[row] -= f * top_b;
        }
    }
    let mut x = [0.0; 8];
    for row in (0..8).rev() {
        let rest: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quad_and_its_inverse_round_trip() {
        let q = [
            Pt::new(10.0, 20.0),
            Pt::new(210.0, 30.0),
            Pt::new(190.0, 260.0),
            Pt::new(5.0, 220.0),
        ];
        let h = Homography::scaled_square_to_quad(25.0, q).expect("quad");
        let c = h.map(25.0, 25.0);
        assert!(c.dist(q[2]) < 1e-6, "{c:?}");
        let back = h.inverse().expect("inverse").map(c.x, c.y);
        assert!(back.dist(Pt::new(25.0, 25.0)) < 1e-6);
    }

    #[test]
    fn a_fit_through_many_points_finds_the_transform_that_made_them() {
        let q = [
            Pt::new(710.3, 181.7),
            Pt::new(987.1, 94.3),
            Pt::new(1001.0, 405.3),
            Pt::new(678.8, 463.7),
        ];
        let truth = Homography::scaled_square_to_quad(69.0, q).expect("quad");
        let pairs: Vec<(Pt, Pt)> = [
            (3.5, 3.5),
            (65.5, 3.5),
            (3.5, 65.5),
            (34.5, 6.5),
            (6.5, 34.5),
            (62.5, 62.5),
        ]
        .iter()
        .map(|&(u, v)| (Pt::new(u, v), truth.map(u, v)))
        .collect();
        let fitted = Homography::fit(&pairs).expect("fit");
        for (u, v) in [(0.0, 0.0), (69.0, 69.0), (40.0, 12.0)] {
            assert!(fitted.map(u, v).dist(truth.map(u, v)) < 1e-6);
        }
        // Three points are not enough; four on a line are degenerate.
        assert!(Homography::fit(&pairs[..3]).is_none());
        let line: Vec<(Pt, Pt)> = (0..4)
            .map(|i| (Pt::new(f64::from(i), 0.0), Pt::new(f64::from(i) * 2.0, 5.0)))
            .collect();
        assert!(Homography::fit(&line).is_none());
    }

    #[test]
    fn a_collapsed_quad_is_refused() {
        let p = Pt::new(1.0, 1.0);
        assert!(Homography::square_to_quad([p, p, p, p]).is_none());
    }
}
