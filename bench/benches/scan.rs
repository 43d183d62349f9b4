//! Scanning: the VaoRa pipeline against plain rqrr, rxing, zbar and
//! zxing-cpp on the same seeded corpus of camera-like 1280×720 frames.
//! Prints success rate, wrong payloads and median/p95 time per category
//! and per QR version band. Targets (issue #5): success ≥ zxing-cpp's in
//! every category, no wrong payload ever, median ≤ 10 ms and p95 ≤ 30 ms
//! per frame on one core, RSS flat over 10,000 frames.
//!
//! ```sh
//! cargo bench -p vaora-bench --bench scan                    # rqrr, VaoRa, zbar, zxing-cpp
//! cargo bench -p vaora-bench --bench scan --features rxing   # + rxing
//! VAORA_SCAN_PER_CATEGORY=40 VAORA_SCAN_RSS_FRAMES=10000 ...  # corpus size, memory run
//! ```
//! zbar needs `zbarimg` (Debian `zbar-tools`); zxing-cpp needs a venv
//! with PyPI `zxing-cpp` and `pillow` at `~/.cache/vaora/zxing-venv`
//! (`bash scripts/setup --bench`). Each is skipped, saying so, when missing.

#[path = "scan/external.rs"]
mod external;
#[path = "scan/tally.rs"]
mod tally;

use std::time::Instant;

use vaora_bench::scan_corpus::{self, SEED};
use vaora_scan::corpus::{self, Sample};
use vaora_scan::{GrayFrame, Scanner};

use tally::{Run, Tally};

/// Frames a still scene gets in the streaming run: a tenth of a second of
/// a 30 fps camera held on the poster.
const STREAM_FRAMES: usize = 3;

fn main() {
    let per_category = env_usize("VAORA_SCAN_PER_CATEGORY", 40);
    let started = Instant::now();
    let samples = corpus::generate(SEED, per_category, &scan_corpus::payload_pool());
    println!(
        "corpus: {} frames ({per_category} per category) in {:.1} s",
        samples.len(),
        started.elapsed().as_secs_f64()
    );

    let mut tally = Tally::new(&samples);
    tally.add(run_in_process("plain rqrr", &samples, rqrr_plain));
    #[cfg(feature = "rxing")]
    tally.add(run_in_process("rxing", &samples, rxing_decode));
    #[cfg(not(feature = "rxing"))]
    println!("rxing: skipped (add --features rxing)");
    tally.add(run_in_process("VaoRa, 1 frame", &samples, |f| {
        texts(&Scanner::new().scan(f))
    }));
    tally.add(run_streaming(&samples));
    match external::Dir::write(&samples) {
        Ok(dir) => {
            for run in [
                external::zbar(&dir, &samples),
                external::zxing_cpp(&dir, &samples),
            ] {
                match run {
                    Ok(run) => tally.add(run),
                    Err(why) => println!("{why}"),
                }
            }
        }
        Err(e) => println!("external decoders skipped: cannot write PNG files: {e}"),
    }
    tally.print();

    let rss_frames = env_usize("VAORA_SCAN_RSS_FRAMES", 10_000);
    if rss_frames > 0 {
        rss_run(&samples, rss_frames);
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn texts(found: &[vaora_scan::Payload]) -> Vec<String> {
    found.iter().map(|p| p.text.clone()).collect()
}

/// Times `decode` once per frame, on this thread (one core).
fn run_in_process(
    name: &str,
    samples: &[Sample],
    mut decode: impl FnMut(&GrayFrame) -> Vec<String>,
) -> Run {
    let mut run = Run::new(name, "in process, one call per frame");
    for s in samples {
        let start = Instant::now();
        let found = decode(&s.frame);
        run.push(found, start.elapsed().as_secs_f64() * 1e3);
    }
    run
}

/// The app's case: a fresh `Scanner` sees the same still scene for up to
/// `STREAM_FRAMES` frames and stops at the first that reads; time is per
/// frame (every call counted), success is "read within those frames".
fn run_streaming(samples: &[Sample]) -> Run {
    let mut run = Run::new(
        &format!("VaoRa, ≤{STREAM_FRAMES} frames"),
        "Scanner fed the same scene until it reads; time per frame",
    );
    for s in samples {
        let mut scanner = Scanner::new();
        let mut times = Vec::new();
        let mut found = Vec::new();
        for _ in 0..STREAM_FRAMES {
            let start = Instant::now();
            found = texts(&scanner.scan(&s.frame));
            times.push(start.elapsed().as_secs_f64() * 1e3);
            if found.len() >= s.payloads.len().max(1) {
                break;
            }
        }
        run.push_frames(found, &times);
    }
    run
}

fn rqrr_plain(frame: &GrayFrame) -> Vec<String> {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(frame.width(), frame.height(), |x, y| {
            frame.pixels()[y * frame.width() + x]
        });
    img.detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[cfg(feature = "rxing")]
fn rxing_decode(frame: &GrayFrame) -> Vec<String> {
    use rxing::common::HybridBinarizer;
    use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
    use rxing::{
        BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiUseMultiFormatReader,
    };

    let Ok(source) = Luma8LuminanceSource::new(
        frame.pixels().to_vec(),
        frame.width() as u32,
        frame.height() as u32,
    ) else {
        return Vec::new();
    };
    let hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        PossibleFormats: Some([BarcodeFormat::QR_CODE].into_iter().collect()),
        ..Default::default()
    };
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    reader
        .decode_multiple_with_hints(&mut BinaryBitmap::new(HybridBinarizer::new(source)), &hints)
        .map(|found| found.iter().map(|r| r.getText().to_string()).collect())
        .unwrap_or_default()
}

/// Resident memory (VmRSS) after a warm-up and after `frames` frames
/// through one long-lived `Scanner`: it must not grow per frame.
fn rss_run(samples: &[Sample], frames: usize) {
    let mut scanner = Scanner::new();
    let warm = frames / 10;
    let mut after_warm = 0;
    for (i, s) in samples.iter().cycle().take(frames).enumerate() {
        std::hint::black_box(scanner.scan(&s.frame));
        if i + 1 == warm {
            after_warm = rss_kb();
        }
    }
    let end = rss_kb();
    println!(
        "memory: VmRSS {after_warm} kB after {warm} frames, {end} kB after {frames} frames ({:+} kB)",
        end as i64 - after_warm as i64
    );
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
