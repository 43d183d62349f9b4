//! The app's sync engine and the real server binary with a failing network
//! between them (`support/link.rs`: noxious toxics, and a tap that resets
//! and half-closes connections). Three cases made on purpose: a batch cut
//! mid-body, an answer half-closed mid-response, connections reset; then
//! randomised scenarios where a device queues records and checks out while
//! latency, bandwidth limits, stalls, cut streams, slicing, resets and
//! half-closes come and go (sometimes mid-sync), with the server's own
//! faults on top in some rounds. Every time, the server ends up holding
//! exactly the device's records, each once, in their latest state.
//!
//! CI runs 40 seeded scenarios; `VAORA_NETWORK_SCENARIOS=400` runs more.
//! A failure prints its seed; `VAORA_NETWORK_SEED=n` replays one.

use std::time::Duration;

use time::OffsetDateTime;
use vaora_core::sync::{SyncClient, SyncError};
use vaora_server::db::Db;

mod support;

use support::Server;
use support::link::{Direction, Link, ToxicKind};
use support::sync::{
    Device, NO_LIMITS, Rng, hasty_client, run_scenarios, server_holds_exactly, set_faults, settles,
};

/// A new client (its own connections) that retries at once.
fn client(link: &Link, attempts: usize) -> SyncClient {
    hasty_client(&link.base, attempts)
}

async fn drain(client: &SyncClient, device: &Device) -> Result<usize, SyncError> {
    Ok(client
        .drain(&device.journal, OffsetDateTime::now_utc)
        .await?
        .sent)
}

async fn start() -> (Server, Db, Link) {
    let server = Server::start(&NO_LIMITS);
    let db = Db::connect(&server.database_url()).await.unwrap();
    let link = Link::start(&server.addr, 1).await;
    (server, db, link)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_cut_mid_body_resumes_without_resending_what_the_server_confirmed() {
    let (_server, db, link) = start().await;
    let mut device = Device::new(1);
    // Registered first, then one batch alone: how many bytes a batch of
    // 200 takes on the wire.
    drain(&client(&link, 1), &device).await.unwrap();
    device.visits(200).unwrap();
    let (before, _) = link.bytes();
    assert_eq!(drain(&client(&link, 1), &device).await.unwrap(), 200);
    let batch = link.bytes().0 - before;

    // Two more batches; the connection closes halfway through the second.
    // (Checking in closes the last visit, which is sent again: 401.)
    device.visits(400).unwrap();
    assert_eq!(device.pending(), 401);
    link.add(
        Direction::Upstream,
        ToxicKind::LimitData {
            bytes: batch + batch / 2,
        },
    );
    let cut = drain(&client(&link, 1), &device).await.unwrap_err();
    assert!(matches!(cut, SyncError::Offline(_)), "{cut:?}");
    assert_eq!(device.pending(), 201, "the first batch was confirmed");
    assert_eq!(
        db.visit_count().await.unwrap(),
        399,
        "the first batch stored (199 new visits, one checked out), half a body nothing"
    );

    link.clear();
    let (before, _) = link.bytes();
    assert_eq!(
        drain(&client(&link, 1), &device).await.unwrap(),
        201,
        "only what the server did not confirm"
    );
    let resent = link.bytes().0 - before;
    assert!(resent < batch + batch / 2, "{resent} bytes for one batch");
    assert_eq!(device.pending(), 0);
    server_holds_exactly(&db, &device.journal).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_half_closed_mid_response_is_asked_again_and_stored_once() {
    let (_server, db, link) = start().await;
    let mut device = Device::new(2);
    drain(&client(&link, 1), &device).await.unwrap();
    device.visits(200).unwrap();

    // The server stores the batch; its answer stops 500 bytes in.
    link.half_close_after(500);
    let cut = drain(&client(&link, 1), &device).await.unwrap_err();
    assert!(
        matches!(cut, SyncError::Offline(_)),
        "a cut answer is a network failure, not a protocol one: {cut:?}"
    );
    assert_eq!(db.visit_count().await.unwrap(), 200, "stored");
    assert_eq!(device.pending(), 200, "but not confirmed");

    // Again, with retries: the drain asks again by itself and the server
    // answers "duplicate" for all.
    link.half_close_after(500);
    assert_eq!(drain(&client(&link, 3), &device).await.unwrap(), 200);
    assert_eq!(device.pending(), 0);
    server_holds_exactly(&db, &device.journal).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_reset_mid_request_and_mid_response_lose_and_double_nothing() {
    let (_server, db, link) = start().await;
    let mut device = Device::new(3);
    drain(&client(&link, 1), &device).await.unwrap();
    device.visits(300).unwrap();

    link.reset_after(Direction::Upstream, 2_000);
    let reset = drain(&client(&link, 1), &device).await.unwrap_err();
    assert!(matches!(reset, SyncError::Offline(_)), "{reset:?}");
    assert_eq!(
        db.visit_count().await.unwrap(),
        0,
        "a reset request stores nothing"
    );

    link.reset_after(Direction::Downstream, 300);
    let reset = drain(&client(&link, 1), &device).await.unwrap_err();
    assert!(matches!(reset, SyncError::Offline(_)), "{reset:?}");
    assert_eq!(db.visit_count().await.unwrap(), 200, "stored, answer lost");
    assert_eq!(device.pending(), 300);

    assert_eq!(drain(&client(&link, 3), &device).await.unwrap(), 300);
    server_holds_exactly(&db, &device.journal).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_answer_to_a_batch_comes_gzipped() {
    let (_server, _db, link) = start().await;
    let mut device = Device::new(4);
    drain(&client(&link, 1), &device).await.unwrap();
    device.visits(200).unwrap();
    let (_, before) = link.bytes();
    assert_eq!(drain(&client(&link, 1), &device).await.unwrap(), 200);
    // As plain JSON the answer names each item in about 60 bytes.
    let answer = link.bytes().1 - before;
    assert!(answer < 200 * 30, "{answer} bytes for 200 results");
}

/// One network condition for a while, chosen by the scenario.
fn trouble(link: &Link, rng: &mut Rng) {
    let direction = rng.pick(&[Direction::Upstream, Direction::Downstream]);
    let bytes = 1 + rng.below(20_000);
    match rng.below(7) {
        0 => {
            // noxious subtracts the jitter unsigned: never more than the latency.
            let latency = 1 + rng.below(60);
            let jitter = rng.below(latency.min(20) + 1);
            let toxic = ToxicKind::Latency { latency, jitter };
            link.add(direction, toxic);
        }
        1 => {
            let rate = 32 + rng.below(224);
            link.add(direction, ToxicKind::Bandwidth { rate });
        }
        // A stall: nothing passes, and the connection closes after a while
        // or (0) never, until the device gives up on the request.
        2 => {
            let timeout = rng.pick(&[0, 20, 100, 300]);
            link.add(direction, ToxicKind::Timeout { timeout });
        }
        3 => link.add(direction, ToxicKind::LimitData { bytes }),
        4 => {
            let average_size = 1 + rng.below(1_000);
            let toxic = ToxicKind::Slicer {
                average_size,
                size_variation: rng.below(average_size),
                delay: rng.below(200),
            };
            link.add(direction, toxic);
        }
        5 => link.reset_after(direction, bytes),
        _ => link.half_close_after(bytes),
    }
}

async fn scenario(
    seed: u64,
    server: &Server,
    db: &Db,
    http: &reqwest::Client,
) -> Result<(), String> {
    let mut rng = Rng::for_seed(seed);
    let link = Link::start(&server.addr, seed).await;
    let mut device = Device::new(seed);
    let attempts = 1 + rng.below(2) as usize;

    for _ in 0..(2 + rng.below(4)) {
        device.acts(&mut rng, 120)?;
        link.clear();
        for _ in 0..rng.below(3) {
            trouble(&link, &mut rng);
        }
        let rate = rng.pick(&[0u8, 0, 0, 30]);
        set_faults(http, &server.base, rate, rng.below(u64::MAX)).await;
        // A new client opens new connections, which take this round's
        // toxics. Short timeouts: a stalled link costs this per attempt.
        let mut client = client(&link, attempts);
        client.request_timeout = Duration::from_millis(250);
        // Faults may make the drain fail; records stay queued for the next.
        let draining = client.drain(&device.journal, OffsetDateTime::now_utc);
        if rng.below(2) == 0 {
            let _ = draining.await;
        } else {
            // The network changes while the sync runs: for the connections
            // a retry opens, and the tap's faults at once.
            let wait = Duration::from_millis(rng.below(60));
            let changing = async {
                tokio::time::sleep(wait).await;
                trouble(&link, &mut rng);
            };
            let _ = tokio::join!(draining, changing);
        }
    }

    link.clear();
    set_faults(http, &server.base, 0, 1).await;
    settles(&client(&link, 3), &device, db).await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_record_reaches_the_server_exactly_once_on_a_failing_network() {
    let server = Server::start(&NO_LIMITS);
    let db = Db::connect(&server.database_url()).await.unwrap();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    run_scenarios("NETWORK", 40, |seed| scenario(seed, &server, &db, &http)).await;
}
