//! Generated camera frames of every corpus category decode, through the
//! camera path (a `Scanner` fed the same scene for a few frames) and the
//! still-picture path (`decode`), and nothing is ever read that is not in
//! the frame. A fast subset for CI: two frames per category (seed fixed,
//! so the same frames every run); `cargo bench -p vaora-bench --bench
//! scan` measures the whole corpus.

use vaora_scan::corpus::{self, Category, Sample};
use vaora_scan::{Scanner, decode};

const SEED: u64 = 2026;

/// Frames a still scene gets on the camera path: a tenth of a second.
const FRAMES: usize = 3;

fn frames(category: Category) -> Vec<Sample> {
    // Damaged frames 0–2 of this seed lose too many codewords for any
    // decoder we measured; 5 and 6 are damaged but readable.
    let picks: &[usize] = if category == Category::Damaged {
        &[5, 6]
    } else {
        &[0, 1]
    };
    picked(category, picks)
}

fn picked(category: Category, picks: &[usize]) -> Vec<Sample> {
    picks
        .iter()
        .map(|&i| corpus::sample(SEED, category, i, &corpus::default_payloads()).expect("a frame"))
        .collect()
}

fn texts(found: &[vaora_scan::Payload]) -> Vec<String> {
    found.iter().map(|p| p.text.clone()).collect()
}

fn assert_reads(category: Category) {
    assert_all_read(category, frames(category));
}

fn assert_all_read(category: Category, samples: Vec<Sample>) {
    for s in samples {
        assert_camera_reads(category, &s);
        let still = texts(&decode(&s.frame));
        assert!(
            s.payloads.iter().all(|p| still.contains(p)) && still.len() == s.payloads.len(),
            "{} #{}: still path read {} of {}",
            category.name(),
            s.index,
            still.len(),
            s.payloads.len()
        );
    }
}

/// The camera path reads every code of `s` within `FRAMES` frames, and
/// nothing else.
fn assert_camera_reads(category: Category, s: &Sample) {
    let mut scanner = Scanner::new();
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..FRAMES {
        for t in texts(&scanner.scan(&s.frame)) {
            assert!(
                s.payloads.contains(&t),
                "{} #{}: read a payload that is not there",
                category.name(),
                s.index
            );
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        if seen.len() == s.payloads.len() {
            break;
        }
    }
    assert_eq!(
        seen.len(),
        s.payloads.len(),
        "{} #{}: camera path",
        category.name(),
        s.index
    );
}

#[test]
fn clean_codes_read() {
    assert_reads(Category::Clean);
}

#[test]
fn small_codes_read() {
    assert_reads(Category::Small);
}

#[test]
fn codes_of_modules_under_two_pixels_read_on_the_camera_path() {
    // Small frames 9 and 10 of this seed: modules of 1.5–2 pixels, whose
    // finders' light rings only the full size's narrower window, on the
    // second frame, keeps light. A still picture gets one look, with the
    // wider window, and does not read them.
    for s in picked(Category::Small, &[9, 10]) {
        assert_camera_reads(Category::Small, &s);
    }
}

#[test]
fn modules_blurred_into_their_neighbours_read() {
    // Small frames 19 and 31 and blurred frame 31 of this seed: the
    // finders are found and the format bits seen, but a light module
    // among dark ones samples dark until the module grid is sharpened.
    for (category, index) in [
        (Category::Small, 19),
        (Category::Small, 31),
        (Category::Blur, 31),
    ] {
        assert_camera_reads(category, &picked(category, &[index])[0]);
    }
}

#[test]
fn rotated_codes_read() {
    assert_reads(Category::Rotated);
}

#[test]
fn tilted_codes_read() {
    assert_reads(Category::Tilted);
}

#[test]
fn large_codes_under_a_strong_tilt_read() {
    // Tilted frames 26 and 29 of this seed: versions 12 and 13 at 45–55°,
    // whose fourth corner the three finders' map misplaces by more than
    // the alignment search around it reaches; the map fitted through the
    // alignment patterns, found outwards from the finders, reads them.
    assert_all_read(Category::Tilted, picked(Category::Tilted, &[26, 29]));
}

#[test]
fn blurred_codes_read() {
    assert_reads(Category::Blur);
}

#[test]
fn noisy_codes_read() {
    assert_reads(Category::Noise);
}

#[test]
fn dim_low_contrast_codes_read() {
    assert_reads(Category::LowContrast);
}

#[test]
fn codes_under_shadow_and_glare_read() {
    assert_reads(Category::UnevenLight);
}

#[test]
fn heavily_compressed_codes_read() {
    assert_reads(Category::Jpeg);
}

#[test]
fn partly_damaged_codes_read() {
    assert_reads(Category::Damaged);
}

#[test]
fn codes_that_lost_a_finder_read() {
    // Damaged frames 4, 9 and 10 of this seed: a stain or tear took one
    // finder's rings, so only two are found and the third is guessed.
    assert_all_read(Category::Damaged, picked(Category::Damaged, &[4, 9, 10]));
}

#[test]
fn inverted_codes_read() {
    assert_reads(Category::Inverted);
}

#[test]
fn codes_on_textured_backgrounds_read() {
    assert_reads(Category::Textured);
}

#[test]
fn a_code_on_stripes_reads() {
    // Textured frame 24 of this seed: a poster on diagonal stripes, whose
    // thick stripe passed for a row of finders ahead of the code's own.
    assert_camera_reads(Category::Textured, &picked(Category::Textured, &[24])[0]);
}

#[test]
fn both_codes_in_one_frame_are_returned() {
    assert_reads(Category::TwoCodes);
}

#[test]
fn a_second_code_that_lost_a_finder_is_returned_too() {
    // Two-code frame 23 of this seed: the smaller code's top-right finder
    // is not found at full size; the frame after the first read pairs its
    // two others.
    assert_camera_reads(Category::TwoCodes, &picked(Category::TwoCodes, &[23])[0]);
}

#[test]
fn frames_without_a_code_read_nothing() {
    for s in frames(Category::NoCode) {
        let mut scanner = Scanner::new();
        for _ in 0..FRAMES {
            assert!(scanner.scan(&s.frame).is_empty(), "no code #{}", s.index);
        }
        assert!(decode(&s.frame).is_empty());
    }
}

#[test]
fn the_same_seed_renders_the_same_frame() {
    let pool = corpus::default_payloads();
    let a = corpus::sample(7, Category::Noise, 3, &pool).expect("a frame");
    let b = corpus::sample(7, Category::Noise, 3, &pool).expect("a frame");
    assert_eq!(a.frame.pixels(), b.frame.pixels());
    assert_eq!(a.payloads, b.payloads);
}
