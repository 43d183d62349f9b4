//! Randomised sync scenarios against the real server binary with fault
//! injection (feature `faults`): a device queues records, checks out, and
//! syncs while faults come and go (500, 503, 429 with Retry-After, answers
//! lost after commit). At the end the server holds exactly the device's
//! records, each once, in their latest state.
//!
//! CI runs 200 seeded scenarios; `VAORA_SYNC_SCENARIOS=1000` runs more.
//! A failure prints its seed; `VAORA_SYNC_SEED=n` replays one.

use time::OffsetDateTime;
use vaora_server::db::Db;

mod support;

use support::Server;
use support::sync::{Device, NO_LIMITS, Rng, hasty_client, run_scenarios, set_faults, settles};

async fn scenario(
    seed: u64,
    server: &Server,
    db: &Db,
    http: &reqwest::Client,
) -> Result<(), String> {
    let mut rng = Rng::for_seed(seed);
    let mut device = Device::new(seed);
    let mut client = hasty_client(&server.base, 1 + rng.below(4) as usize);

    for _ in 0..(3 + rng.below(6)) {
        device.acts(&mut rng, 8)?;
        let rate = rng.pick(&[0u8, 30, 60, 90]);
        set_faults(http, &server.base, rate, rng.below(u64::MAX)).await;
        // Faults may make this fail; records stay queued for the next one.
        let _ = client.drain(&device.journal, OffsetDateTime::now_utc).await;
    }

    set_faults(http, &server.base, 0, 1).await;
    client.retry.attempts = 3;
    settles(&client, &device, db).await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_record_reaches_the_server_exactly_once_whatever_fails() {
    let server = Server::start(&NO_LIMITS);
    let db = Db::connect(&server.database_url()).await.unwrap();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    run_scenarios("SYNC", 200, |seed| scenario(seed, &server, &db, &http)).await;
}
