//! The decoding pipeline, and the state it keeps across a camera stream.
//!
//! Every frame: where a code was read in the last frame, read there first
//! (the camera is steady); else locate finder patterns on a half-size
//! adaptive bitmap (large and medium codes), then on the full-size one
//! (small codes), and sample each candidate's modules straight into rqrr's
//! decoder. Only when that finds nothing does the frame pay for one
//! expensive rung, a different one each frame, so no frame pays for all.

use crate::binarize::{self, Bitmap};
use crate::candidate::{self, Candidate};
use crate::finder::{self, Finder};
use crate::geometry::Pt;
use crate::grid::{self, Outcome};
use crate::{GrayFrame, Payload, read, rectify};

/// The expensive attempts, one per frame in turn after the cheap path
/// found nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rung {
    /// The cheap path's candidates cut out, straightened, binarised on
    /// their own and given to rqrr's grid search, which fits perspective
    /// and damaged timing better than our sampler.
    Crops,
    /// Blur, then threshold and locate: noisy frames.
    Blurred,
    /// rqrr's own locator, which fits perspective its own way: on a camera
    /// frame around the candidates that did not read, at full size, or with
    /// none over the whole frame at half size (a tenth of the cost); on a
    /// still picture over the whole frame at full size. Both polarities:
    /// codes whose finders the run-length search misses.
    Rqrr,
}

const RUNGS: [Rung; 3] = [Rung::Crops, Rung::Rqrr, Rung::Blurred];

/// Frames larger than this (photos from the gallery) are located on a
/// downscaled copy; modules are still sampled from the full picture.
const MAX_LOCATE_PIXELS: usize = 2_500_000;

/// rqrr's grid search on a crop costs about dim² work: the Crops rung skips
/// candidates bigger than version 21 and tries at most this many.
const MAX_CROP_DIM: usize = 101;
const MAX_CROPS: usize = 3;
/// Crops when no candidate of the frame showed format bits: its candidates
/// are most likely texture, and cutting out and reading crops was a sixth
/// of the scanning time on frames with no code.
const HOPELESS_CROPS: usize = 1;

/// Grids sampled and decoded per camera frame at most (a still picture
/// gets four times as many). A code that reads takes one to four; texture
/// that passes the timing checks would otherwise cost a decode per triple.
const MAX_TRIES: usize = 16;

/// Of the frames in which nothing looked like a code (no candidate passed
/// the timing checks), one in this many tries a slow rung: one costs
/// 5–20 ms, and an empty scene would pay that on every frame.
const IDLE_EVERY: usize = 3;

/// Frames whose candidates showed timing lines but no format bits (a code
/// under strong perspective, mostly; texture at times) try one every
/// other frame: their rungs run around those candidates only, cheaply.
const TIMING_ONLY_EVERY: usize = 2;

/// The full-size pass's threshold window, in pixels, on alternate frames.
/// 32 keeps the light rings of finders about 14 pixels wide (small and
/// blurred codes) apart from the dark around them; 16 follows those of
/// codes with modules under 2 pixels, whose rings a 32-pixel mean (paper
/// and print) calls dark, but loses codes under uneven light or with
/// damage, which is why it is not every frame's.
const FULL_WINDOWS: [usize; 2] = [32, 16];

/// Guessed-finder candidates sampled per frame at most (after the guess
/// found a finder-like pattern).
const MAX_COMPLETED_READS: usize = 4;

/// Scratch buffers reused frame after frame: a stream allocates nothing
/// per frame for them once they have grown.
#[derive(Default)]
struct Scratch {
    half: Vec<u8>,
    blurred: Vec<u8>,
    integral: Vec<u32>,
    crop_grey: Vec<u8>,
    crop_integral: Vec<u32>,
    finders: Vec<Finder>,
}

/// Decodes a camera stream. Keep one per stream: it remembers where the
/// last code was and which expensive rung to try next.
#[derive(Default)]
pub struct Scanner {
    scratch: Scratch,
    next_rung: usize,
    /// Where codes were read in the last frame.
    last: Vec<Candidate>,
    /// This frame's candidates that did not read, for the Crops rung.
    unread: Vec<Candidate>,
    /// Grids this frame may still sample and decode.
    tries: usize,
    /// Frames in a row in which nothing looked like a code.
    idle: usize,
    /// A candidate of this frame showed a code's format bits.
    hopeful: bool,
    /// The full size was searched since the codes in view were first read.
    looked_beyond: bool,
    /// Frame pixels per bitmap pixel of the finders in `scratch.finders`
    /// (the last bitmap searched).
    finder_scale: f64,
    /// Frames looked at by the locator: picks the full-size window.
    located: usize,
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// Every code read in this frame (several codes: all of them).
    pub fn scan(&mut self, frame: &GrayFrame) -> Vec<Payload> {
        let mut found = Vec::new();
        if self.steady(frame, &mut found) {
            // Once per code newly in view, the full size is searched too:
            // a second, smaller code that the half size (which read the
            // first) could not see.
            if !self.looked_beyond {
                self.looked_beyond = true;
                self.full_size(frame, &mut found);
            }
            return found;
        }
        self.looked_beyond = false;
        let mut read_at = Vec::new();
        self.tries = MAX_TRIES;
        self.cheap(frame, &mut found, &mut read_at);
        if found.is_empty() {
            self.complete(frame, &mut found, &mut read_at);
        }
        if found.is_empty() {
            // Nothing in this frame showed a code's format bits: most such
            // frames have none, so only some pay for a slow rung.
            let hopeful = self.hopeful;
            self.idle = if hopeful { 0 } else { self.idle + 1 };
            let every = if self.unread.is_empty() {
                IDLE_EVERY
            } else {
                TIMING_ONLY_EVERY
            };
            if hopeful || self.idle % every == 1 {
                let rung = self.next_rung();
                self.expensive(rung, false, frame, &mut found, &mut read_at);
            }
        }
        self.last = read_at;
        found
    }

    /// The next slow rung in turn; the Crops rung only when there are
    /// candidates to cut out.
    fn next_rung(&mut self) -> Rung {
        loop {
            let rung = RUNGS[self.next_rung % RUNGS.len()];
            self.next_rung = (self.next_rung + 1) % RUNGS.len();
            if rung != Rung::Crops || !self.unread.is_empty() {
                return rung;
            }
        }
    }

    /// Codes that lost a finder (to blur, a tear, glare): the last bitmap's
    /// finders in pairs, the third corner guessed and looked for. Cheap
    /// enough for every frame that read nothing: a guess on which no
    /// finder-like pattern is found costs a few hundred grey levels read.
    fn complete(
        &mut self,
        frame: &GrayFrame,
        found: &mut Vec<Payload>,
        read_at: &mut Vec<Candidate>,
    ) {
        let (w, h) = (frame.width(), frame.height());
        // The finders of codes read are no corner of another: paired, they
        // would only guess their own code's third finder and read it again.
        let scale = self.finder_scale;
        let free: Vec<Finder> = self
            .scratch
            .finders
            .iter()
            .filter(|f| {
                let at = Pt::new(f.x * scale, f.y * scale);
                !read_at.iter().any(|c| c.has_corner_near(at))
            })
            .copied()
            .collect();
        let mut guesses = Vec::new();
        candidate::completions(&free, scale, 2, &mut guesses);
        let mut left = MAX_COMPLETED_READS;
        for (c, guessed) in guesses {
            if left == 0 {
                break;
            }
            match grid::read_completed(frame.pixels(), w, h, &c, guessed, &mut self.tries, found) {
                Outcome::NotACode => {}
                Outcome::Read => {
                    candidate::push_unique(read_at, c);
                    left -= 1;
                }
                _ => left -= 1,
            }
        }
    }

    /// Everything on one frame: a still picture gets no second chance.
    pub fn scan_still(&mut self, frame: &GrayFrame) -> Vec<Payload> {
        let mut found = Vec::new();
        let mut read_at = Vec::new();
        self.tries = MAX_TRIES * 4;
        self.cheap(frame, &mut found, &mut read_at);
        if found.is_empty() {
            self.complete(frame, &mut found, &mut read_at);
        }
        for rung in RUNGS {
            if !found.is_empty() {
                break;
            }
            self.expensive(rung, true, frame, &mut found, &mut read_at);
        }
        found
    }

    /// Reads where the last frame's codes were; keeps the places that read.
    fn steady(&mut self, frame: &GrayFrame, found: &mut Vec<Payload>) -> bool {
        let (w, h) = (frame.width(), frame.height());
        self.tries = MAX_TRIES;
        let tries = &mut self.tries;
        self.last
            .retain(|c| grid::read(frame.pixels(), w, h, c, tries, found) == Outcome::Read);
        !found.is_empty()
    }

    /// The locator on the full-size bitmap, adding what it reads to the
    /// places to read next frame.
    fn full_size(&mut self, frame: &GrayFrame, found: &mut Vec<Payload>) {
        let (w, h) = (frame.width(), frame.height());
        if w < 21 || h < 21 || w * h > MAX_LOCATE_PIXELS {
            return;
        }
        self.tries = MAX_TRIES;
        let bm = binarize::adaptive(frame.pixels(), w, h, 48, 2, &mut self.scratch.integral);
        let mut read_at = std::mem::take(&mut self.last);
        let before = found.len();
        self.locate_and_read(frame.pixels(), w, h, &bm, 1.0, found, &mut read_at);
        // A second code that lost a finder at this size (its third finder
        // too small or blurred for the run-length search): its two others
        // are paired as on a frame that read nothing.
        if found.len() == before {
            self.complete(frame, found, &mut read_at);
        }
        self.last = read_at;
    }

    fn cheap(&mut self, frame: &GrayFrame, found: &mut Vec<Payload>, read_at: &mut Vec<Candidate>) {
        self.unread.clear();
        self.hopeful = false;
        self.scratch.finders.clear();
        let (w, h) = (frame.width(), frame.height());
        if w < 21 || h < 21 {
            return;
        }
        // Gallery photos: locate on a copy halved until small enough (an
        // allocation, but once per picture).
        let mut scale = 1usize;
        let mut shrunk: Option<(Vec<u8>, usize, usize)> = None;
        loop {
            let (src, sw, sh) = shrunk
                .as_ref()
                .map_or((frame.pixels(), w, h), |(p, a, b)| (p.as_slice(), *a, *b));
            if sw * sh <= MAX_LOCATE_PIXELS {
                break;
            }
            let mut out = Vec::new();
            let (nw, nh) = binarize::half(src, sw, sh, &mut out);
            shrunk = Some((out, nw, nh));
            scale *= 2;
        }
        let (base, bw, bh) = shrunk
            .as_ref()
            .map_or((frame.pixels(), w, h), |(p, a, b)| (p.as_slice(), *a, *b));
        // Half size first: a quarter of the pixels, and enough for codes
        // whose modules are 3 pixels or more; then full size for the rest,
        // with a narrower window (see `FULL_WINDOWS`): a camera holding a
        // scene gets both windows in two frames for the cost of one.
        let full_window = FULL_WINDOWS[self.located % FULL_WINDOWS.len()];
        self.located = self.located.wrapping_add(1);
        let mut half = std::mem::take(&mut self.scratch.half);
        let (hw, hh) = binarize::half(base, bw, bh, &mut half);
        let passes = [
            (half.as_slice(), hw, hh, scale * 2, 40),
            (base, bw, bh, scale, full_window),
        ];
        for (px, pw, ph, sc, window) in passes {
            if pw < 21 || ph < 21 {
                continue;
            }
            let bm = binarize::adaptive(px, pw, ph, window, 2, &mut self.scratch.integral);
            self.locate_and_read(frame.pixels(), w, h, &bm, sc as f64, found, read_at);
            if !found.is_empty() {
                break;
            }
        }
        self.scratch.half = half;
    }

    fn expensive(
        &mut self,
        rung: Rung,
        still: bool,
        frame: &GrayFrame,
        found: &mut Vec<Payload>,
        read_at: &mut Vec<Candidate>,
    ) {
        let (w, h) = (frame.width(), frame.height());
        if w < 21 || h < 21 || w * h > MAX_LOCATE_PIXELS * 4 {
            return;
        }
        match rung {
            Rung::Crops => {
                let unread = std::mem::take(&mut self.unread);
                let crops = if self.hopeful {
                    MAX_CROPS
                } else {
                    HOPELESS_CROPS
                };
                for c in unread.iter().filter(|c| c.dim <= MAX_CROP_DIM).take(crops) {
                    let s = &mut self.scratch;
                    let bm = rectify::crop(
                        frame.pixels(),
                        w,
                        h,
                        c,
                        &mut s.crop_grey,
                        &mut s.crop_integral,
                    );
                    read::read(&bm, found);
                }
                self.unread = unread;
            }
            Rung::Blurred => {
                let mut blurred = std::mem::take(&mut self.scratch.blurred);
                binarize::box3(frame.pixels(), w, h, &mut blurred);
                let bm = binarize::adaptive(&blurred, w, h, 48, 1, &mut self.scratch.integral);
                self.locate_and_read(&blurred, w, h, &bm, 1.0, found, read_at);
                self.scratch.blurred = blurred;
            }
            Rung::Rqrr if !still && !self.unread.is_empty() => {
                self.rqrr_around_unread(frame, found)
            }
            Rung::Rqrr => {
                let mut half = std::mem::take(&mut self.scratch.half);
                let whole = if still {
                    binarize::adaptive(frame.pixels(), w, h, 64, 2, &mut self.scratch.integral)
                } else {
                    let (hw, hh) = binarize::half(frame.pixels(), w, h, &mut half);
                    binarize::adaptive(&half, hw, hh, 32, 2, &mut self.scratch.integral)
                };
                self.scratch.half = half;
                if read::read(&whole, found) == 0 {
                    read::read(&whole.flipped(), found);
                }
            }
        }
    }

    /// rqrr over the frame around each candidate that did not read, at
    /// full size: a code under strong perspective, whose far corner our
    /// sampler and the straightened crop both miss.
    fn rqrr_around_unread(&mut self, frame: &GrayFrame, found: &mut Vec<Payload>) {
        let (w, h) = (frame.width(), frame.height());
        let unread = std::mem::take(&mut self.unread);
        for c in unread.iter().take(MAX_CROPS) {
            let (x0, y0, x1, y1) = region(c, w, h);
            let (rw, rh) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
            if rw < 21 || rh < 21 {
                continue;
            }
            let s = &mut self.scratch;
            s.crop_grey.clear();
            for row in frame.pixels()[y0 * w..y1 * w].chunks_exact(w) {
                s.crop_grey.extend_from_slice(&row[x0..x1]);
            }
            let bm = binarize::adaptive(&s.crop_grey, rw, rh, 64, 2, &mut s.crop_integral);
            let bm = if c.inverted { bm.flipped() } else { bm };
            read::read(&bm, found);
        }
        self.unread = unread;
    }
    /// Finds finders in `bm` (each of its pixels `scale` source pixels) and
    /// samples each candidate from `source` (`w` × `h`).
    #[allow(clippy::too_many_arguments)]
    fn locate_and_read(
        &mut self,
        source: &[u8],
        w: usize,
        h: usize,
        bm: &Bitmap,
        scale: f64,
        found: &mut Vec<Payload>,
        read_at: &mut Vec<Candidate>,
    ) {
        let mut finders = std::mem::take(&mut self.scratch.finders);
        // Full-size bitmaps are scanned on every other row: a finder has
        // three rows per module through its centre, so even one of
        // 1.5-pixel modules is crossed twice, and it halves the cheap
        // path's largest cost.
        let step = if scale < 2.0 { 2 } else { 1 };
        finder::find(bm, step, &mut finders);
        self.finder_scale = scale;
        let mut triples = Vec::new();
        candidate::group(&finders, scale, 2, &mut triples);
        // Triples whose timing lines are in phase are sampled as they come
        // (best shaped first); those whose lines only count out a size
        // (a regular weave in texture does that too) wait until the end,
        // so they cannot use up the frame's tries before a code does.
        // Finders of codes already read are not tried again in another
        // triple; the others are, whatever triple they were in before.
        let mut taken: Vec<usize> = Vec::new();
        let mut later = Vec::new();
        for t in triples {
            if t.finders.iter().any(|f| taken.contains(f)) {
                continue;
            }
            let Some(assessment) = grid::assess(source, w, h, &t.candidate) else {
                continue;
            };
            if !assessment.in_phase {
                later.push((t, assessment));
                continue;
            }
            self.decode_triple(source, w, h, &t, &assessment, found, read_at, &mut taken);
        }
        for (t, assessment) in later {
            if !t.finders.iter().any(|f| taken.contains(f)) {
                self.decode_triple(source, w, h, &t, &assessment, found, read_at, &mut taken);
            }
        }
        self.scratch.finders = finders;
    }

    /// Samples an assessed triple and files it by what that gave.
    #[allow(clippy::too_many_arguments)]
    fn decode_triple(
        &mut self,
        source: &[u8],
        w: usize,
        h: usize,
        t: &candidate::Triple,
        assessment: &grid::Assessment,
        found: &mut Vec<Payload>,
        read_at: &mut Vec<Candidate>,
        taken: &mut Vec<usize>,
    ) {
        let c = t.candidate;
        match grid::decode(source, w, h, &c, assessment, &mut self.tries, found) {
            Outcome::Read => {
                taken.extend(t.finders);
                candidate::push_unique(read_at, c);
            }
            Outcome::Format => {
                self.hopeful = true;
                candidate::push_unique(&mut self.unread, c);
            }
            Outcome::LooksLikeACode => candidate::push_unique(&mut self.unread, c),
            Outcome::NotACode => {}
        }
    }
}

/// The part of a `w` × `h` frame around candidate `c` (its four corners,
/// the fourth where an even grid puts it) with a third of its size on
/// every side for perspective and the quiet zone: x0, y0, x1, y1.
fn region(c: &Candidate, w: usize, h: usize) -> (usize, usize, usize, usize) {
    let br = (
        c.top_right.x + c.bottom_left.x - c.top_left.x,
        c.top_right.y + c.bottom_left.y - c.top_left.y,
    );
    let xs = [c.top_left.x, c.top_right.x, c.bottom_left.x, br.0];
    let ys = [c.top_left.y, c.top_right.y, c.bottom_left.y, br.1];
    let (lx, hx) = xs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let (ly, hy) = ys
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    let pad = (hx - lx).max(hy - ly) / 3.0;
    let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
    (
        clamp(lx - pad, w),
        clamp(ly - pad, h),
        clamp(hx + pad, w),
        clamp(hy + pad, h),
    )
}
