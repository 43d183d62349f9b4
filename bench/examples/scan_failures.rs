//! Which frames of the scan benchmark's corpus the camera path (a fresh
//! `Scanner`, up to 3 frames of the scene) does not read, per category:
//! the list to start from when working on the pipeline. The benchmark
//! gives the rates and times; this names the frames.
//!
//! ```sh
//! cargo run --release -p vaora-bench --example scan_failures              # every category
//! cargo run --release -p vaora-bench --example scan_failures -- tilted    # one
//! cargo run --release -p vaora-bench --example scan_failures -- tilted 31 # one frame
//! ```

use vaora_bench::scan_corpus::{SEED, payload_pool};
use vaora_scan::Scanner;
use vaora_scan::corpus::{self, Category, Sample};

/// Frames per category, as in the benchmark.
const PER_CATEGORY: usize = 40;
/// Frames of one scene the camera path gets.
const FRAMES: usize = 3;

fn main() {
    let mut args = std::env::args().skip(1);
    let wanted = args.next();
    let only: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let pool = payload_pool();
    let categories: Vec<Category> = Category::ALL
        .iter()
        .copied()
        .filter(|c| wanted.as_deref().is_none_or(|w| w == c.name()))
        .collect();
    if categories.is_empty() {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
        eprintln!("no such category; one of: {}", names.join(", "));
        std::process::exit(2);
    }
    let (mut read, mut total) = (0, 0);
    for category in categories {
        let mut failed = Vec::new();
        for index in (0..PER_CATEGORY).filter(|i| only.is_none_or(|o| o == *i)) {
            let Some(sample) = corpus::sample(SEED, category, index, &pool) else {
                continue;
            };
            total += 1;
            match camera_path(&sample) {
                Ok(()) => read += 1,
                Err(why) => failed.push(format!("#{index} {why}")),
            }
        }
        println!("{}: {} not read", category.name(), failed.len());
        for f in failed {
            println!("  {f}");
        }
    }
    println!("read {read} of {total}");
}

fn camera_path(s: &Sample) -> Result<(), String> {
    let mut scanner = Scanner::new();
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..FRAMES {
        for p in scanner.scan(&s.frame) {
            if !s.payloads.contains(&p.text) {
                return Err("returned a payload that is not in the frame".into());
            }
            if !seen.contains(&p.text) {
                seen.push(p.text);
            }
        }
        if seen.len() == s.payloads.len() {
            return Ok(());
        }
    }
    Err(format!(
        "(versions {:?}): read {} of {}",
        s.versions,
        seen.len(),
        s.payloads.len()
    ))
}
