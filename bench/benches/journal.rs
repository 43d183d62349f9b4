//! The journal (SQLCipher-encrypted) on this machine's disk:
//! - scan-to-durable-row: one check-in, committed with `synchronous=FULL`
//!   (target p99 <= 20 ms);
//! - first page of a 100,000-visit journal (target <= 5 ms);
//! - database bytes per visit (target <= 300).

use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_bench::{measure, report};
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{CheckIn, Journal, JournalKey, Place, Verification, VisitSource};

fn venue(i: u64) -> Venue {
    Venue {
        id: VenueId(i % 5_000 + 1),
        short_name: "Chợ Bến Thành".into(),
        commune: Some(CommuneCode(26_734)),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("journal.db");
    let key = JournalKey::generate();
    let mut journal = Journal::open(&path, &key).expect("open");
    let me = journal.me().expect("me").id;
    let start = OffsetDateTime::now_utc() - time::Duration::days(20);

    // 100,000 visits, 20 minutes apart (each closes the previous one).
    let fill = Instant::now();
    let mut at = start;
    let mut i = 0u64;
    let mut durable = Vec::new();
    while i < 100_000 {
        let t0 = Instant::now();
        journal
            .check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: venue(i),
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at,
            })
            .expect("check in");
        if i.is_multiple_of(50) {
            durable.push(t0.elapsed());
        }
        at += time::Duration::seconds(12);
        i += 1;
    }
    println!(
        "filled 100,000 visits in {:.1} s",
        fill.elapsed().as_secs_f64()
    );
    durable.sort_unstable();
    let pct = |q: f64| durable[((durable.len() as f64 - 1.0) * q).round() as usize];
    let p99 = pct(0.99);
    println!(
        "scan-to-durable-row (check-in committed, synchronous=FULL): median {:?}, p99 {:?} over {} samples ({} target p99 <= 20ms)",
        pct(0.5),
        p99,
        durable.len(),
        if p99 <= Duration::from_millis(20) {
            "meets"
        } else {
            "MISSES"
        }
    );

    let t = measure(1_000, || journal.visits_page(None, 50).expect("page"));
    report(
        "first page (50) of a 100,000-visit journal",
        &t,
        Duration::from_millis(5),
    );

    drop(journal);
    let conn_bytes = {
        // Checkpoint the WAL so the file holds everything.
        let j = Journal::open(&path, &key).expect("reopen");
        drop(j);
        std::fs::metadata(&path).expect("size").len()
            + std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len())
    };
    let per_visit = conn_bytes as f64 / 100_000.0;
    println!(
        "database bytes per visit (visits + outbox items + indexes): {per_visit:.0} ({} target <= 300)",
        if per_visit <= 300.0 {
            "meets"
        } else {
            "MISSES"
        }
    );
}
