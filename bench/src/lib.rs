//! A small timing harness: runs a closure many times and prints the median
//! and 95th percentile. Each benchmark prints one line per case so results
//! paste straight into `bench/README.md`.

pub mod scan_corpus;
pub mod server;

use std::time::{Duration, Instant};

pub struct Timing {
    pub median: Duration,
    pub p95: Duration,
    pub runs: usize,
}

/// Times `f` `runs` times after `runs / 10` warm-up calls.
pub fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> Timing {
    for _ in 0..runs / 10 {
        std::hint::black_box(f());
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Timing {
        median: at(0.5),
        p95: at(0.95),
        runs,
    }
}

/// Prints `name: median …, p95 …, runs …` and whether it met `target`.
pub fn report(name: &str, t: &Timing, target: Duration) {
    let verdict = if t.median <= target {
        "meets"
    } else {
        "MISSES"
    };
    println!(
        "{name}: median {:?}, p95 {:?} over {} runs ({verdict} target median <= {:?})",
        t.median, t.p95, t.runs, target
    );
}
