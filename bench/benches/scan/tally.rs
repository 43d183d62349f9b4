//! Success, wrong payloads and time per decoder, printed as Markdown
//! tables by category and by QR version band.

use vaora_scan::corpus::{Category, Sample};

/// One decoder's results, one entry per corpus frame in corpus order.
pub struct Run {
    name: String,
    how: String,
    found: Vec<Vec<String>>,
    /// Milliseconds of every call made for that frame.
    times: Vec<Vec<f64>>,
}

impl Run {
    pub fn new(name: &str, how: &str) -> Run {
        Run {
            name: name.into(),
            how: how.into(),
            found: Vec::new(),
            times: Vec::new(),
        }
    }

    pub fn push(&mut self, found: Vec<String>, ms: f64) {
        self.push_frames(found, &[ms]);
    }

    pub fn push_frames(&mut self, found: Vec<String>, ms: &[f64]) {
        self.found.push(found);
        self.times.push(ms.to_vec());
    }
}

struct Expected {
    category: Category,
    payloads: Vec<String>,
    versions: Vec<usize>,
}

pub struct Tally {
    expected: Vec<Expected>,
    runs: Vec<Run>,
}

#[derive(Default)]
struct Cell {
    frames: usize,
    ok: usize,
    wrong: usize,
    ms: Vec<f64>,
}

impl Cell {
    fn text(&mut self) -> String {
        if self.frames == 0 {
            return "—".into();
        }
        self.ms.sort_by(f64::total_cmp);
        let q = |p: f64| self.ms[((self.ms.len() - 1) as f64 * p).round() as usize];
        let wrong = if self.wrong > 0 {
            format!(", **{} wrong**", self.wrong)
        } else {
            String::new()
        };
        format!(
            "{:.0} %{wrong} · {:.1}/{:.1}",
            100.0 * self.ok as f64 / self.frames as f64,
            q(0.5),
            q(0.95)
        )
    }
}

fn band(version: usize) -> &'static str {
    match version {
        0..=4 => "v1–4",
        5..=9 => "v5–9",
        _ => "v10+",
    }
}

impl Tally {
    pub fn new(samples: &[Sample]) -> Tally {
        Tally {
            expected: samples
                .iter()
                .map(|s| Expected {
                    category: s.category,
                    payloads: s.payloads.clone(),
                    versions: s.versions.clone(),
                })
                .collect(),
            runs: Vec::new(),
        }
    }

    pub fn add(&mut self, run: Run) {
        assert_eq!(
            run.found.len(),
            self.expected.len(),
            "{} skipped frames",
            run.name
        );
        self.runs.push(run);
    }

    /// Sums a run's frames into cells keyed by `key` (None: frame left out).
    fn cells(&self, run: &Run, key: impl Fn(&Expected) -> Option<String>) -> Vec<(String, Cell)> {
        // Version bands in size order, whatever frame comes first.
        let mut cells: Vec<(String, Cell)> = ["v1–4", "v5–9", "v10+"]
            .iter()
            .filter(|b| self.expected.iter().any(|e| key(e).as_deref() == Some(**b)))
            .map(|b| (b.to_string(), Cell::default()))
            .collect();
        for (i, e) in self.expected.iter().enumerate() {
            let Some(k) = key(e) else { continue };
            let at = match cells.iter().position(|(name, _)| *name == k) {
                Some(at) => at,
                None => {
                    cells.push((k, Cell::default()));
                    cells.len() - 1
                }
            };
            let cell = &mut cells[at].1;
            let found = &run.found[i];
            cell.frames += 1;
            let all_read = e.payloads.iter().all(|p| found.contains(p));
            let wrong = found.iter().filter(|f| !e.payloads.contains(f)).count();
            cell.ok += usize::from(all_read && wrong == 0);
            cell.wrong += wrong;
            cell.ms.extend(&run.times[i]);
        }
        cells
    }

    fn table(&self, title: &str, key: impl Fn(&Expected) -> Option<String> + Copy) {
        println!("\n{title} (success · median/p95 ms per frame)\n");
        print!("| |");
        for r in &self.runs {
            print!(" {} |", r.name);
        }
        print!("\n|---|");
        for _ in &self.runs {
            print!("---|");
        }
        println!();
        let mut per_run: Vec<Vec<(String, Cell)>> =
            self.runs.iter().map(|r| self.cells(r, key)).collect();
        let rows: Vec<String> = per_run
            .first()
            .map(|c| c.iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default();
        for (row, name) in rows.iter().enumerate() {
            print!("| {name} |");
            for cells in per_run.iter_mut() {
                print!(" {} |", cells[row].1.text());
            }
            println!();
        }
    }

    pub fn print(&self) {
        println!("\ndecoders:");
        for r in &self.runs {
            println!("- {}: {}", r.name, r.how);
        }
        self.table("All frames", |_| Some("all".into()));
        self.table("By category", |e| Some(e.category.name().into()));
        self.table("By QR version (frames with one code)", |e| {
            (e.versions.len() == 1).then(|| band(e.versions[0]).to_string())
        });
    }
}
