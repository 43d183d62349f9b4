//! Draining the outbox to the server over plain loopback, the real server
//! code (SQLite) in this process. Target: 10,000 queued records in <= 5 s.
//! Also reports the JSON bytes per record in a batch.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::wire::{ItemPayload, SyncBatch, SyncItem, VisitRecord};
use vaora_core::{Journal, JournalKey};
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

    let journal = Mutex::new(journal);
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
    println!(
        "sync batch: {} bytes per record on the wire (gzip; {} as plain JSON), 200-record batch",
        gzipped / 200,
        bytes / 200
    );
}
