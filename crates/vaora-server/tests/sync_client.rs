//! The app's sync engine (`vaora_core::sync`) against the real server
//! binary: a journal's visits reach the server once each, a check-out made
//! after a sync follows, and nothing is sent twice.

use std::sync::Mutex;

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{CheckIn, Journal, JournalKey, Place, Verification, VisitSource};
use vaora_server::db::Db;

mod support;

use support::Server;

fn check_in(j: &mut Journal, venue: u64, at: OffsetDateTime) {
    let me = j.me().unwrap().id;
    j.check_in(CheckIn {
        people: vec![me],
        place: Place::Venue {
            venue: Venue {
                id: VenueId(venue),
                short_name: format!("Quầy thuốc số {venue}"),
                commune: Some(CommuneCode(4_321)),
                kind: VenueKind::Shop,
                default_stay_minutes: 30,
            },
            entrance: EntranceNo(1),
        },
        source: VisitSource::Scan,
        verification: Verification::Verified,
        at,
    })
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_drains_to_the_server_once_and_check_outs_follow() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap();
    let start = OffsetDateTime::now_utc() - time::Duration::hours(5);
    for n in 0..250 {
        check_in(
            &mut journal,
            100 + n,
            start + time::Duration::minutes(n as i64),
        );
    }
    let journal = Mutex::new(journal);
    let client = SyncClient::new(&server.base).unwrap();

    let seen = Mutex::new(Vec::new());
    let report = client
        .drain_reporting(&journal, OffsetDateTime::now_utc, |p| {
            seen.lock().unwrap().push((p.settled, p.total))
        })
        .await
        .unwrap();
    assert_eq!(
        (report.sent, report.rejected, report.remaining),
        (250, 0, 0)
    );
    // Two batches (200 at most each): "200 of 250", then "250 of 250".
    assert_eq!(seen.into_inner().unwrap(), [(200, 250), (250, 250)]);
    assert!(journal.lock().unwrap().device_token().unwrap().is_some());

    let db = Db::connect(&server.database_url()).await.unwrap();
    assert_eq!(db.visit_count().await.unwrap(), 250);

    // Nothing waits: a second drain sends nothing.
    let again = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .unwrap();
    assert_eq!(again.sent, 0);

    // A check-out after the sync queues the visit's new state; the server
    // updates its row instead of adding one.
    let last = journal
        .lock()
        .unwrap()
        .visits_page(None, 1)
        .unwrap()
        .remove(0);
    journal
        .lock()
        .unwrap()
        .check_out(last.id, OffsetDateTime::now_utc())
        .unwrap();
    let report = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(db.visit_count().await.unwrap(), 250);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_keeps_everything_queued_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap();
    check_in(&mut journal, 7, OffsetDateTime::now_utc());
    let journal = Mutex::new(journal);
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut client = SyncClient::new(&format!("http://127.0.0.1:{port}")).unwrap();
    client.retry.attempts = 2;
    client.retry.min_delay = std::time::Duration::from_millis(10);
    let err = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .unwrap_err();
    assert_eq!(err.message_key(), "sync.error.offline");
    let j = journal.lock().unwrap();
    assert_eq!(j.outbox_pending(10).unwrap().len(), 1, "still queued");
}
