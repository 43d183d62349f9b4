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

    pub fn map(&self, x: f64, y: f64) -> Pt {
        let m = &self.m;
        let w = m[6] * x + m[7] * y + m[8];
        Pt::new(
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }
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
    fn a_collapsed_quad_is_refused() {
        let p = Pt::new(1.0, 1.0);
        assert!(Homography::square_to_quad([p, p, p, p]).is_none());
    }
}
