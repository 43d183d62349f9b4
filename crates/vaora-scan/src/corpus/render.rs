//! Renders a scene (background, posters, light, optics, sensor) into a
//! frame. Reflectances are in `[0, 1]`; light multiplies them, glare adds.

use std::f64::consts::PI;

use qrcode::{Color, QrCode};

use super::rng::{Rng, lattice, value_noise};
use super::{Category, HEIGHT, WIDTH};
use crate::GrayFrame;
use crate::geometry::{Homography, Pt};

/// Supersampling factor: scenes are drawn this many times larger, then
/// averaged down, so edges are partial pixels as on a real sensor.
const SUPER: usize = 2;

/// The camera and the light: everything not on the poster itself.
pub struct Look {
    level: f64,
    gradient: (f64, f64),
    blur_sigma: f64,
    noise_sigma: f64,
    jpeg_quality: Option<u8>,
    uneven: bool,
}

impl Look {
    pub fn camera(rng: &mut Rng) -> Look {
        Look {
            level: rng.range(0.8, 1.05),
            gradient: (rng.gauss() * 0.08, rng.gauss() * 0.08),
            blur_sigma: rng.range(0.45, 0.8),
            noise_sigma: rng.range(1.5, 3.5),
            jpeg_quality: None,
            uneven: false,
        }
    }

    pub fn adjust_for(&mut self, rng: &mut Rng, category: Category) {
        match category {
            Category::Blur => self.blur_sigma = rng.range(1.3, 2.4),
            Category::Noise => self.noise_sigma = rng.range(12.0, 24.0),
            Category::LowContrast => self.level = rng.range(0.35, 0.6),
            Category::UnevenLight => self.uneven = true,
            Category::Jpeg => self.jpeg_quality = Some(rng.range(6.0, 16.0) as u8),
            _ => {}
        }
    }
}

/// Where a code sits in the frame and what its paper looks like.
pub struct PosterSpec {
    dim: usize,
    dark: Vec<bool>,
    /// The code's corners (top-left, top-right, bottom-right, bottom-left
    /// of the module grid) in output pixels.
    corners: [Pt; 4],
    /// Paper around the grid, in modules (quiet zone included).
    margin: f64,
    ink: f64,
    paper: f64,
    inverted: bool,
    /// Stains and tears: centre (modules), radius (modules), reflectance.
    blobs: Vec<(Pt, f64, f64)>,
    text_seed: u64,
}

impl PosterSpec {
    pub fn for_category(rng: &mut Rng, category: Category, code: &QrCode, n: usize) -> PosterSpec {
        let dim = code.width();
        let dark = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
        PosterSpec::place(rng, category, dim, dark, n)
    }

    /// A poster with no code: module noise and at most two finder-like
    /// squares (logos, window frames), to tempt a locator into a false find.
    pub fn decoy(rng: &mut Rng) -> PosterSpec {
        let dim = 21 + 4 * rng.below(6);
        let mut dark: Vec<bool> = (0..dim * dim).map(|_| rng.chance(0.5)).collect();
        for f in 0..rng.below(3) {
            let (ox, oy) = if f == 0 { (0, 0) } else { (dim - 7, 0) };
            for y in 0..7 {
                for x in 0..7 {
                    let ring = x.min(y).min(6 - x).min(6 - y);
                    dark[(oy + y) * dim + ox + x] = ring != 1;
                }
            }
        }
        PosterSpec::place(rng, Category::NoCode, dim, dark, 0)
    }

    fn place(
        rng: &mut Rng,
        category: Category,
        dim: usize,
        dark: Vec<bool>,
        n: usize,
    ) -> PosterSpec {
        let d = dim as f64;
        let side: f64 = match category {
            Category::Small => d * rng.range(1.7, 2.8),
            Category::Clean => rng.range(220.0, 480.0),
            Category::Textured => rng.range(180.0, 380.0),
            Category::TwoCodes => rng.range(170.0, 300.0),
            _ => rng.range(200.0, 440.0),
        }
        .clamp(d * 1.7, 660.0);
        let spin = match category {
            Category::Rotated => rng.range(0.0, 2.0 * PI),
            _ => (rng.gauss() * 4.0).clamp(-10.0, 10.0).to_radians(),
        };
        let tilt = match category {
            Category::Tilted => rng.range(30.0, 55.0),
            _ => rng.range(0.0, 12.0),
        }
        .to_radians();
        let axis = rng.range(0.0, PI);
        let corners = tilted_square(side, tilt, axis, spin);
        let (min, max) = bounds(&corners);
        let (w, h) = (WIDTH as f64, HEIGHT as f64);
        let centre = if category == Category::TwoCodes {
            let cx = if n == 0 { 0.27 } else { 0.73 } * w + rng.gauss() * 20.0;
            Pt::new(cx, h / 2.0 + rng.gauss() * 40.0)
        } else {
            let pad = 12.0;
            let span = |lo: f64, hi: f64, len: f64, rng: &mut Rng| {
                let (a, b) = (pad - lo, len - pad - hi);
                if a < b { rng.range(a, b) } else { len / 2.0 }
            };
            Pt::new(span(min.x, max.x, w, rng), span(min.y, max.y, h, rng))
        };
        let corners = corners.map(|p| Pt::new(p.x + centre.x, p.y + centre.y));
        let (ink, paper) = if category == Category::LowContrast {
            (rng.range(0.38, 0.46), rng.range(0.56, 0.64))
        } else {
            (rng.range(0.04, 0.14), rng.range(0.78, 0.92))
        };
        let margin = 4.0
            + if category == Category::Textured {
                rng.range(0.0, 1.5)
            } else {
                rng.range(1.0, 6.0)
            };
        let blobs = if category == Category::Damaged {
            (0..1 + rng.below(3))
                .map(|_| {
                    let c = Pt::new(rng.range(0.0, d), rng.range(0.0, d));
                    let r = rng.range(1.5, 1.5 + d * 0.11);
                    let v = [ink, paper, 0.35][rng.below(3)];
                    (c, r, v)
                })
                .collect()
        } else {
            Vec::new()
        };
        PosterSpec {
            dim,
            dark,
            corners,
            margin,
            ink,
            paper,
            inverted: category == Category::Inverted,
            blobs,
            text_seed: rng.next_u64(),
        }
    }

    fn centre_and_side(&self) -> (Pt, f64) {
        let c = &self.corners;
        let centre = Pt::new(
            c.iter().map(|p| p.x).sum::<f64>() / 4.0,
            c.iter().map(|p| p.y).sum::<f64>() / 4.0,
        );
        (centre, c[0].dist(c[2]) / std::f64::consts::SQRT_2)
    }

    /// Reflectance at module coordinates `p`, or `None` off the paper.
    fn reflectance(&self, p: Pt) -> Option<f64> {
        let d = self.dim as f64;
        let m = self.margin;
        if p.x < -m || p.y < -m || p.x >= d + m || p.y >= d + m {
            return None;
        }
        if let Some(&(_, _, v)) = self.blobs.iter().find(|(c, r, _)| c.dist(p) < *r) {
            return Some(v);
        }
        let dark = if p.x >= 0.0 && p.y >= 0.0 && p.x < d && p.y < d {
            self.dark[p.y as usize * self.dim + p.x as usize]
        } else {
            self.is_text(p)
        };
        Some(if dark != self.inverted {
            self.ink
        } else {
            self.paper
        })
    }

    /// A line of "text" under the code, where the poster has room for it.
    fn is_text(&self, p: Pt) -> bool {
        let d = self.dim as f64;
        let row = p.y - d - 5.0;
        if !(0.0..1.2).contains(&row) || p.x < 0.0 || p.x >= d || self.margin < 6.5 {
            return false;
        }
        let glyph = (p.x / 0.8) as i64;
        lattice(self.text_seed, glyph, 0) < 0.6 && (p.x / 0.8).fract() < 0.7
    }
}

/// A square of `side` pixels centred on the origin, tilted `tilt` radians
/// about an in-plane axis at angle `axis`, seen through a pinhole camera,
/// then turned `spin` radians in the image.
fn tilted_square(side: f64, tilt: f64, axis: f64, spin: f64) -> [Pt; 4] {
    let h = side / 2.0;
    let (kx, ky) = (axis.cos(), axis.sin());
    let focal = 1100.0;
    [(-h, -h), (h, -h), (h, h), (-h, h)].map(|(x, y)| {
        let along = kx * x + ky * y;
        let (c, s) = (tilt.cos(), tilt.sin());
        let rx = x * c + kx * along * (1.0 - c);
        let ry = y * c + ky * along * (1.0 - c);
        let rz = (kx * y - ky * x) * s;
        let (px, py) = (rx * focal / (focal + rz), ry * focal / (focal + rz));
        Pt::new(
            px * spin.cos() - py * spin.sin(),
            px * spin.sin() + py * spin.cos(),
        )
    })
}

fn bounds(points: &[Pt]) -> (Pt, Pt) {
    let min = points.iter().fold(Pt::new(f64::MAX, f64::MAX), |a, p| {
        Pt::new(a.x.min(p.x), a.y.min(p.y))
    });
    let max = points.iter().fold(Pt::new(f64::MIN, f64::MIN), |a, p| {
        Pt::new(a.x.max(p.x), a.y.max(p.y))
    });
    (min, max)
}

enum Background {
    Wall { base: f64, seed: u64 },
    Gravel { seed: u64 },
    Stripes { period: f64, angle: f64 },
    Bricks { height: f64, seed: u64 },
    Checker { period: f64 },
    Print { seed: u64 },
}

impl Background {
    fn pick(rng: &mut Rng, textured: bool) -> Background {
        if !textured {
            return Background::Wall {
                base: rng.range(0.45, 0.75),
                seed: rng.next_u64(),
            };
        }
        match rng.below(5) {
            0 => Background::Gravel {
                seed: rng.next_u64(),
            },
            1 => Background::Stripes {
                period: rng.range(10.0, 40.0),
                angle: rng.range(0.0, PI),
            },
            2 => Background::Bricks {
                height: rng.range(30.0, 60.0),
                seed: rng.next_u64(),
            },
            3 => Background::Checker {
                period: rng.range(12.0, 36.0),
            },
            _ => Background::Print {
                seed: rng.next_u64(),
            },
        }
    }

    /// Reflectance at supersampled pixel `(x, y)`.
    fn at(&self, x: f64, y: f64) -> f64 {
        match *self {
            Background::Wall { base, seed } => {
                base + 0.12 * (value_noise(seed, x, y, 300.0) - 0.5)
                    + 0.04 * (value_noise(seed ^ 1, x, y, 40.0) - 0.5)
            }
            Background::Gravel { seed } => {
                0.15 + 0.35 * value_noise(seed, x, y, 6.0)
                    + 0.25 * value_noise(seed ^ 1, x, y, 14.0)
                    + 0.2 * value_noise(seed ^ 2, x, y, 40.0)
            }
            Background::Stripes { period, angle } => {
                let t = (x * angle.cos() + y * angle.sin()) / period;
                if t.fract().abs() < 0.5 { 0.15 } else { 0.8 }
            }
            Background::Bricks { height, seed } => {
                let row = (y / height).floor();
                let shift = if row as i64 % 2 == 0 { 0.0 } else { height };
                let col = ((x + shift) / (2.5 * height)).floor();
                let mortar =
                    (y / height).fract() < 0.12 || ((x + shift) / (2.5 * height)).fract() < 0.05;
                if mortar {
                    0.75
                } else {
                    0.2 + 0.3 * lattice(seed, col as i64, row as i64)
                }
            }
            Background::Checker { period } => {
                let cell = (x / period).floor() as i64 + (y / period).floor() as i64;
                if cell % 2 == 0 { 0.1 } else { 0.85 }
            }
            Background::Print { seed } => {
                let (cx, cy) = ((x / 10.0) as i64, (y / 16.0) as i64);
                let line = (y / 16.0).fract() < 0.7 && (x / 10.0).fract() < 0.8;
                if line && lattice(seed, cx, cy) < 0.55 {
                    0.1
                } else {
                    0.85
                }
            }
        }
    }
}

struct Shadow {
    normal: (f64, f64),
    offset: f64,
    softness: f64,
    depth: f64,
}

struct Glare {
    centre: Pt,
    radius: f64,
    strength: f64,
}

pub struct Scene {
    background: Background,
    posters: Vec<PosterSpec>,
    look: Look,
    shadow: Option<Shadow>,
    glare: Option<Glare>,
}

impl Scene {
    pub fn new(
        rng: &mut Rng,
        category: Category,
        mut posters: Vec<PosterSpec>,
        look: Look,
    ) -> Scene {
        let textured = matches!(category, Category::Textured | Category::NoCode) && rng.chance(0.8);
        let background = Background::pick(rng, textured);
        if category == Category::NoCode {
            posters.extend((0..rng.below(3)).map(|_| PosterSpec::decoy(rng)));
        }
        let (mut shadow, mut glare) = (None, None);
        if look.uneven
            && let Some(p) = posters.first()
        {
            let (centre, side) = p.centre_and_side();
            let angle = rng.range(0.0, 2.0 * PI);
            let normal = (angle.cos(), angle.sin());
            shadow = Some(Shadow {
                normal,
                offset: normal.0 * centre.x + normal.1 * centre.y + rng.range(-0.3, 0.3) * side,
                softness: side * rng.range(0.02, 0.2),
                depth: rng.range(0.25, 0.45),
            });
            glare = Some(Glare {
                centre: Pt::new(
                    centre.x + rng.range(-0.5, 0.5) * side,
                    centre.y + rng.range(-0.5, 0.5) * side,
                ),
                radius: side * rng.range(0.12, 0.3),
                strength: rng.range(0.5, 1.2),
            });
        }
        Scene {
            background,
            posters,
            look,
            shadow,
            glare,
        }
    }

    /// Light falling at output pixel `(x, y)`: a multiplier and an additive glare.
    fn light(&self, x: f64, y: f64) -> (f64, f64) {
        let (w, h) = (WIDTH as f64, HEIGHT as f64);
        let mut gain = self.look.level
            * (1.0
                + self.look.gradient.0 * (x / w - 0.5) * 2.0
                + self.look.gradient.1 * (y / h - 0.5) * 2.0);
        if let Some(s) = &self.shadow {
            let t = ((s.normal.0 * x + s.normal.1 * y - s.offset) / s.softness).clamp(-1.0, 1.0);
            let lit = 0.5 + 0.5 * t;
            gain *= s.depth + (1.0 - s.depth) * lit;
        }
        let add = self.glare.as_ref().map_or(0.0, |g| {
            let r2 = (x - g.centre.x).powi(2) + (y - g.centre.y).powi(2);
            g.strength * (-r2 / (2.0 * g.radius * g.radius)).exp()
        });
        (gain, add)
    }

    pub fn render(&self, rng: &mut Rng) -> GrayFrame {
        let (w2, h2) = (WIDTH * SUPER, HEIGHT * SUPER);
        let s = SUPER as f64;
        let placed: Vec<(&PosterSpec, Homography, (Pt, Pt))> = self
            .posters
            .iter()
            .filter_map(|p| {
                let corners = p.corners.map(|c| Pt::new(c.x * s, c.y * s));
                let to_image = Homography::scaled_square_to_quad(p.dim as f64, corners)?;
                let d = p.dim as f64;
                let m = p.margin;
                let edge = [(-m, -m), (d + m, -m), (d + m, d + m), (-m, d + m)]
                    .map(|(u, v)| to_image.map(u, v));
                Some((p, to_image.inverse()?, bounds(&edge)))
            })
            .collect();
        let mut fine = vec![0f32; w2 * h2];
        for y in 0..h2 {
            for x in 0..w2 {
                let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
                let on_poster = placed.iter().rev().find_map(|(p, inv, (lo, hi))| {
                    if fx < lo.x || fy < lo.y || fx > hi.x || fy > hi.y {
                        return None;
                    }
                    p.reflectance(inv.map(fx, fy))
                });
                fine[y * w2 + x] = on_poster.unwrap_or_else(|| self.background.at(fx, fy)) as f32;
            }
        }
        let mut out = vec![0f32; WIDTH * HEIGHT];
        for y in 0..HEIGHT {
            for x in 0..WIDTH {
                let mut sum = 0f32;
                for dy in 0..SUPER {
                    let row = &fine[(y * SUPER + dy) * w2 + x * SUPER..][..SUPER];
                    sum += row.iter().sum::<f32>();
                }
                let (gain, add) = self.light(x as f64 + 0.5, y as f64 + 0.5);
                let r = f64::from(sum) / (s * s);
                out[y * WIDTH + x] = ((r * gain + add) * 255.0) as f32;
            }
        }
        gaussian_blur(&mut out, WIDTH, HEIGHT, self.look.blur_sigma);
        let pixels = out
            .iter()
            .map(|v| {
                (f64::from(*v) + rng.gauss() * self.look.noise_sigma)
                    .round()
                    .clamp(0.0, 255.0) as u8
            })
            .collect();
        let pixels = match self.look.jpeg_quality {
            Some(q) => jpeg_round_trip(pixels, q),
            None => pixels,
        };
        GrayFrame::new(WIDTH, HEIGHT, pixels).expect("corpus frames are WIDTH×HEIGHT")
    }
}

fn gaussian_blur(img: &mut [f32], w: usize, h: usize, sigma: f64) {
    let r = (sigma * 3.0).ceil() as isize;
    let kernel: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
        .collect();
    let norm: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / norm).collect();
    let mut tmp = vec![0f32; img.len()];
    let clampi = |v: isize, n: usize| v.clamp(0, n as isize - 1) as usize;
    for y in 0..h {
        for x in 0..w {
            tmp[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, kv)| kv * img[y * w + clampi(x as isize + k as isize - r, w)])
                .sum();
        }
    }
    for y in 0..h {
        for x in 0..w {
            img[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, kv)| kv * tmp[clampi(y as isize + k as isize - r, h) * w + x])
                .sum();
        }
    }
}

fn jpeg_round_trip(pixels: Vec<u8>, quality: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoded = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality).encode(
        &pixels,
        WIDTH as u32,
        HEIGHT as u32,
        image::ExtendedColorType::L8,
    );
    if encoded.is_err() {
        return pixels;
    }
    match image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg) {
        Ok(img) => img.to_luma8().into_raw(),
        Err(_) => pixels,
    }
}
