//! Crashes in the middle of a sync, with real processes: the server
//! SIGKILLed and restarted while a device drains, and the device's own
//! process SIGKILLed mid-sync and started again. Afterwards the server holds
//! every record exactly once and the device has nothing left to send.

mod support;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::{Journal, JournalKey};
use vaora_server::db::Db;

use support::Server;
use support::sync::NO_LIMITS;

const RECORDS: usize = 2_000;

fn journal_with_visits(path: &std::path::Path, key: &JournalKey) {
    let mut journal = Journal::open(path, key).unwrap();
    let me = journal.me().unwrap().id;
    let now = OffsetDateTime::now_utc();
    for n in 0..RECORDS {
        let at = now - time::Duration::minutes((RECORDS - n) as i64);
        journal
            .add_manual_visit(me, &format!("Điểm {n}"), None, at, None, now)
            .unwrap();
    }
}

fn patient_client(url: &str) -> SyncClient {
    let mut client = SyncClient::new(url).unwrap();
    client.retry.attempts = 60;
    client.retry.min_delay = Duration::from_millis(20);
    client.retry.max_delay = Duration::from_millis(200);
    client
}

/// Every visit of the journal is on the server exactly once.
async fn assert_exactly_once(db: &Db, journal: &Mutex<Journal>) {
    let mine = journal
        .lock()
        .unwrap()
        .visits_page(None, RECORDS + 10)
        .unwrap();
    assert_eq!(mine.len(), RECORDS);
    let on_server = db.visits_of_device_owning(mine[0].id.0).await.unwrap();
    assert_eq!(on_server.len(), RECORDS, "server rows for this device");
    let ids: HashSet<_> = on_server.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), RECORDS, "no visit twice");
    assert!(mine.iter().all(|v| ids.contains(&v.id.0)), "none missing");
    assert_eq!(journal.lock().unwrap().outbox_pending(10).unwrap().len(), 0);
}

async fn wait_for_rows(db: &Db, at_least: i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while db.visit_count().await.unwrap() < at_least {
        assert!(Instant::now() < deadline, "the sync did not start");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_mid_sync_and_restarted_loses_and_doubles_nothing() {
    let mut server = Server::start(&NO_LIMITS);
    let db = Db::connect(&server.database_url()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = JournalKey::generate();
    journal_with_visits(&dir.path().join("j.db"), &key);
    let journal = Arc::new(Mutex::new(
        Journal::open(&dir.path().join("j.db"), &key).unwrap(),
    ));

    let client = patient_client(&server.base);
    let draining = {
        let journal = journal.clone();
        tokio::spawn(async move { client.drain(&journal, OffsetDateTime::now_utc).await })
    };
    wait_for_rows(&db, 1).await;
    server.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.restart();
    let report = draining
        .await
        .unwrap()
        .expect("the drain survives the restart");
    assert_eq!(report.remaining, 0);
    assert_exactly_once(&db, &journal).await;
}

/// The child side of the next test: drain this journal until killed.
const CHILD: &str = "VAORA_SYNC_CHILD";

#[tokio::test(flavor = "multi_thread")]
async fn a_device_killed_mid_sync_sends_the_rest_once_when_it_starts_again() {
    if let Ok(spec) = std::env::var(CHILD) {
        let mut parts = spec.splitn(3, '|');
        let (path, key, url) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let journal =
            Mutex::new(Journal::open(path.as_ref(), &JournalKey::from_hex(key).unwrap()).unwrap());
        let _ = patient_client(url)
            .drain(&journal, OffsetDateTime::now_utc)
            .await;
        // Never finish on our own: the parent kills us.
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    }

    let server = Server::start(&NO_LIMITS);
    let db = Db::connect(&server.database_url()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let key = JournalKey::generate();
    journal_with_visits(&path, &key);

    // Kill the device process at a few moments mid-sync.
    for round in 1..=4i64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_device_killed_mid_sync_sends_the_rest_once_when_it_starts_again",
                "--nocapture",
            ])
            .env(
                CHILD,
                format!("{}|{}|{}", path.display(), key.to_hex(), server.base),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A different share of the records each round.
        wait_for_rows(&db, round * RECORDS as i64 / 6).await;
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(
        db.visit_count().await.unwrap() < RECORDS as i64,
        "killed before the end"
    );

    // Started again: it sends the rest, once.
    let journal = Mutex::new(Journal::open(&path, &key).unwrap());
    let report = patient_client(&server.base)
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .unwrap();
    assert_eq!(report.remaining, 0);
    assert_exactly_once(&db, &journal).await;
}
