//! What the sync tests share: a server without limits, a seeded choice
//! maker, the server-side fault switch, and the one check that matters:
//! the server holds exactly the device's records, each once, in their
//! latest state.

use std::sync::Mutex;

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::{Journal, JournalKey};
use vaora_server::db::Db;

/// Hundreds of devices from one address in seconds: the limits are lifted
/// (they are tested in tests/api.rs).
pub const NO_LIMITS: [&str; 4] = [
    "--rate-per-minute",
    "1000000",
    "--registrations-per-minute",
    "1000000",
];

/// A small deterministic generator for a scenario's choices.
pub struct Rng(pub u64);

impl Rng {
    /// A generator for scenario `seed` (never the stuck all-zero state).
    pub fn for_seed(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len() as u64) as usize]
    }
}

/// A phone: its own encrypted journal in a temporary directory.
pub struct Device {
    pub journal: Mutex<Journal>,
    tag: u64,
    made: i64,
    now: OffsetDateTime,
    _dir: tempfile::TempDir,
}

impl Device {
    /// `tag` goes into its place names, to tell scenarios apart.
    pub fn new(tag: u64) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let journal =
            Mutex::new(Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap());
        Device {
            journal,
            tag,
            made: 0,
            now: OffsetDateTime::now_utc(),
            _dir: dir,
        }
    }

    /// `n` visits, a minute apart, still open.
    pub fn visits(&mut self, n: u64) -> Result<(), String> {
        let j = &mut self.journal.lock().unwrap();
        let me = j.me().map_err(|e| e.to_string())?.id;
        for _ in 0..n {
            self.made += 1;
            // In the past week, in order: within what the server accepts.
            let at = self.now - time::Duration::minutes(10_000 - self.made);
            let name = format!("Nơi {}-{}", self.tag, self.made);
            j.add_manual_visit(me, &name, None, at, None, self.now)
                .map_err(|e| format!("visit: {e}"))?;
        }
        Ok(())
    }

    /// One step of the device's life: up to `most` visits (two times in
    /// three), or checking out of an open visit, which sends it again.
    pub fn acts(&mut self, rng: &mut Rng, most: u64) -> Result<(), String> {
        if rng.below(3) < 2 {
            return self.visits(1 + rng.below(most));
        }
        let j = &mut self.journal.lock().unwrap();
        let open: Vec<_> = j
            .visits_page(None, 50)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|v| v.is_open())
            .collect();
        if !open.is_empty() {
            let v = &open[rng.below(open.len() as u64) as usize];
            j.check_out(v.id, self.now)
                .map_err(|e| format!("check-out: {e}"))?;
        }
        Ok(())
    }

    /// Records still waiting to be sent.
    pub fn pending(&self) -> usize {
        let j = self.journal.lock().unwrap();
        j.summary(OffsetDateTime::now_utc()).unwrap().outbox_pending as usize
    }
}

/// A sync client for `base` that retries at once, `attempts` times.
pub fn hasty_client(base: &str, attempts: usize) -> SyncClient {
    let mut client = SyncClient::new(base).unwrap();
    client.retry.min_delay = std::time::Duration::from_millis(1);
    client.retry.max_delay = std::time::Duration::from_millis(5);
    client.retry.attempts = attempts;
    client
}

/// Turns the server's fault mode (feature `faults`) to `rate_percent`.
pub async fn set_faults(http: &reqwest::Client, base: &str, rate_percent: u8, seed: u64) {
    let status = http
        .post(format!("{base}/test/faults"))
        .json(&serde_json::json!({ "rate_percent": rate_percent, "seed": seed }))
        .send()
        .await
        .expect("fault switch")
        .status();
    assert_eq!(status.as_u16(), 204);
}

/// Runs `scenario` for each seed, then fails naming those that failed.
/// `VAORA_{name}_SEED=n` replays one; otherwise seeds 1 to
/// `VAORA_{name}_SCENARIOS` (default `ci`).
pub async fn run_scenarios<F, Fut>(name: &str, ci: u64, mut scenario: F)
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let seeds = seeds(name, ci);
    let mut failures = Vec::new();
    for seed in &seeds {
        if let Err(why) = scenario(*seed).await {
            eprintln!("seed {seed} failed: {why}");
            failures.push(*seed);
        }
    }
    println!("{} scenarios, {} failed", seeds.len(), failures.len());
    assert!(
        failures.is_empty(),
        "failing seeds: {failures:?} (replay with VAORA_{name}_SEED=n)"
    );
}

fn seeds(name: &str, ci: u64) -> Vec<u64> {
    if let Ok(seed) = std::env::var(format!("VAORA_{name}_SEED")) {
        return vec![seed.parse().expect("the seed is a number")];
    }
    let n: u64 = std::env::var(format!("VAORA_{name}_SCENARIOS"))
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ci);
    (1..=n).collect()
}

/// The last drain, faults gone: nothing is left to send, and the server
/// holds exactly the device's records.
pub async fn settles(client: &SyncClient, device: &Device, db: &Db) -> Result<(), String> {
    let report = client
        .drain(&device.journal, OffsetDateTime::now_utc)
        .await
        .map_err(|e| format!("final drain: {e}"))?;
    if report.remaining != 0 {
        return Err(format!("{} records left queued", report.remaining));
    }
    server_holds_exactly(db, &device.journal).await
}

/// Every visit of the journal is on the server once, with the journal's
/// check-out time; none is there that the journal does not have.
pub async fn server_holds_exactly(db: &Db, journal: &Mutex<Journal>) -> Result<(), String> {
    let mine = journal
        .lock()
        .unwrap()
        .visits_page(None, 100_000)
        .map_err(|e| e.to_string())?;
    let Some(first) = mine.first() else {
        return Ok(());
    };
    let on_server = db
        .visits_of_device_owning(first.id.0)
        .await
        .map_err(|e| e.to_string())?;
    if on_server.len() != mine.len() {
        return Err(format!(
            "server holds {} visits, device made {}",
            on_server.len(),
            mine.len()
        ));
    }
    for v in &mine {
        let copies: Vec<_> = on_server.iter().filter(|(id, _)| *id == v.id.0).collect();
        let out = v
            .checked_out_at
            .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64);
        match copies.as_slice() {
            [(_, server_out)] if *server_out == out => {}
            other => {
                return Err(format!(
                    "visit {} on the server as {other:?}, expected out {out:?}",
                    v.id.0
                ));
            }
        }
    }
    Ok(())
}
