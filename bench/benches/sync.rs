//! Draining the outbox to the server over plain loopback, the real server
//! code (SQLite) in this process. Target: 10,000 queued records in <= 5 s.
//! Also reports the bytes per record on the wire, and the scan-to-row time
//! (a check-in committed) with and without a sync running beside it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::wire::{ItemPayload, SyncBatch, SyncItem, VisitRecord};
use vaora_core::{CheckIn, Journal, JournalKey, Place, Verification, VisitSource};
use vaora_server::ServerConfig;

const RECORDS: usize = 10_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let server_dir = tempfile::tempdir().expect("temp dir");
    let server = vaora_server::serve::start(&ServerConfig::on_loopback(server_dir.path()))
        .await
        .expect("server");
    let (url, db) = (format!("http://{}", server.addr), server.db.clone());
    tokio::spawn(server.serve(std::future::pending()));

    let dir = tempfile::tempdir().expect("temp dir");
    let mut journal =
        Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).expect("journal");
    let me = journal.me().expect("owner").id;
    let now = OffsetDateTime::now_utc();
    for n in 0..RECORDS {
        let at = now - time::Duration::minutes(2 * (RECORDS - n) as i64);
        journal
            .add_manual_visit(
                me,
                &format!("Điểm kiểm dịch số {n}"),
                None,
                at,
                Some(at + time::Duration::minutes(1)),
                now,
            )
            .expect("visit");
    }
    let sample: Vec<VisitRecord> = journal
        .visits_page(None, 200)
        .expect("page")
        .iter()
        .map(VisitRecord::from)
        .collect();
    let batch = SyncBatch {
        items: sample
            .into_iter()
            .map(|v| SyncItem {
                id: uuid::Uuid::now_v7(),
                payload: ItemPayload::Visit(v),
            })
            .collect(),
    };
    let bytes = serde_json::to_vec(&batch).expect("json").len();
    let gzipped = vaora_core::sync::gzip_json(&batch).expect("gzip").len();

    let journal = Arc::new(Mutex::new(journal));
    let client = SyncClient::new(&url).expect("client");
    let started = Instant::now();
    let report = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .expect("drain");
    let elapsed = started.elapsed();
    assert_eq!(report.sent, RECORDS);
    assert_eq!(db.visit_count().await.expect("count"), RECORDS as i64);
    let target = Duration::from_secs(5);
    println!(
        "sync drain: {RECORDS} records over loopback in {:.2} s ({:.0} records/s) ({} target <= {} s)",
        elapsed.as_secs_f64(),
        RECORDS as f64 / elapsed.as_secs_f64(),
        if elapsed <= target { "meets" } else { "MISSES" },
        target.as_secs()
    );
    scan_while_syncing(journal, &client).await;
    println!(
        "sync batch: {} bytes per record on the wire (gzip; {} as plain JSON), 200-record batch",
        gzipped / 200,
        bytes / 200
    );
}

/// p99 of check-ins (lock the journal, commit a visit) while `busy` is
/// true, or for `runs` check-ins.
fn check_in_p99(journal: &Mutex<Journal>, keep_going: impl Fn(usize) -> bool) -> Duration {
    let mut samples = Vec::new();
    let mut n = 0u64;
    while keep_going(samples.len()) {
        n += 1;
        let started = Instant::now();
        {
            let mut j = journal.lock().expect("journal");
            let me = j.me().expect("owner").id;
            j.check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: Venue {
                        id: VenueId(50_000 + n),
                        short_name: "Siêu thị".into(),
                        commune: Some(CommuneCode(26_734)),
                        kind: VenueKind::Shop,
                        default_stay_minutes: 30,
                    },
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at: OffsetDateTime::now_utc(),
            })
            .expect("check-in");
        }
        samples.push(started.elapsed());
    }
    samples.sort_unstable();
    samples[((samples.len() as f64 - 1.0) * 0.99).round() as usize]
}

/// Scans never wait for a sync: the engine holds the journal only to read a
/// batch and to apply an answer.
async fn scan_while_syncing(journal: Arc<Mutex<Journal>>, client: &SyncClient) {
    let quiet = check_in_p99(&journal, |n| n < 300);
    // Queue work for the sync: 3,000 records.
    {
        let mut j = journal.lock().expect("journal");
        let me = j.me().expect("owner").id;
        let now = OffsetDateTime::now_utc();
        for n in 0..3_000 {
            let at = now - time::Duration::minutes(3_000 - n);
            j.add_manual_visit(me, &format!("Chợ phiên {n}"), None, at, None, now)
                .expect("visit");
        }
    }
    let syncing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let scanner = {
        let (journal, syncing) = (journal.clone(), syncing.clone());
        std::thread::spawn(move || {
            check_in_p99(&journal, |n| {
                // Bounded: the drain also sends what the scans add, and
                // ends once the scans stop feeding it.
                n < 10 || (n < 3_000 && syncing.load(std::sync::atomic::Ordering::Relaxed))
            })
        })
    };
    client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .expect("drain");
    syncing.store(false, std::sync::atomic::Ordering::Relaxed);
    let busy = scanner.join().expect("scanner");
    println!("scan-to-row p99: {quiet:?} alone, {busy:?} while a sync runs (target <= 20 ms)");
}
