//! Kill -9 at random moments while a writer checks in as fast as it can:
//! every visit it acknowledged is in the file afterwards, and the file
//! passes `PRAGMA integrity_check`.
//!
//! The writer is this same test binary, re-run with `VAORA_CRASH_WRITER`
//! set, so the child runs exactly the journal code under test.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use uuid::Uuid;
use vaora_core::venue::{EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{
    CheckIn, CheckInOutcome, Journal, JournalKey, Place, Verification, VisitId, VisitSource,
};

const WRITER_ENV: &str = "VAORA_CRASH_WRITER";
const KEY_ENV: &str = "VAORA_CRASH_KEY";

/// Kills per run; the benchmark run sets `VAORA_CRASH_KILLS=100`.
fn kills() -> usize {
    std::env::var("VAORA_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

#[test]
fn crash_writer_child() {
    // Only does anything when started by the test below.
    let Ok(path) = std::env::var(WRITER_ENV) else {
        return;
    };
    let key = JournalKey::from_hex(&std::env::var(KEY_ENV).unwrap()).unwrap();
    let mut journal = Journal::open(std::path::Path::new(&path), &key).unwrap();
    let me = journal.me().unwrap().id;
    for i in 0u64.. {
        let outcome = journal
            .check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: Venue {
                        // A new venue each time: no rescan window merging.
                        id: VenueId(i + (std::process::id() as u64) * 1_000_000),
                        short_name: "Chợ".into(),
                        commune: None,
                        kind: VenueKind::Market,
                        default_stay_minutes: 60,
                    },
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at: OffsetDateTime::now_utc(),
            })
            .unwrap();
        if let CheckInOutcome::CheckedIn(v) = outcome {
            // Printed only after check_in returned: the acknowledgement.
            println!("ACK {}", v[0].id.0);
        }
    }
}

#[test]
fn every_acknowledged_visit_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let key = JournalKey::generate();
    let mut acknowledged: Vec<Uuid> = Vec::new();
    let mut rng = 0x2545_f491_4f6c_dd1du64; // xorshift: seeded, repeatable
    for _ in 0..kills() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_ENV, &path)
            .env(KEY_ENV, key.to_hex())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let run_for = Duration::from_millis(30 + rng % 300);
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut ids = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("ACK ") {
                    ids.push(Uuid::parse_str(id.trim()).unwrap());
                }
            }
            ids
        });
        let start = Instant::now();
        while start.elapsed() < run_for {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        acknowledged.extend(reader.join().unwrap());
    }
    assert!(
        !acknowledged.is_empty(),
        "the writer never acknowledged anything"
    );

    let journal = Journal::open(&path, &key).unwrap();
    for id in &acknowledged {
        journal
            .visit(VisitId(*id))
            .unwrap_or_else(|e| panic!("acknowledged visit {id} lost: {e}"));
    }
    assert_eq!(integrity_check(&path, &key), "ok");
    eprintln!(
        "{} kills, {} acknowledged visits, all present",
        kills(),
        acknowledged.len()
    );
}

fn integrity_check(path: &std::path::Path, key: &JournalKey) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex()))
        .unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}
