//! Server ingest under load: the real server code in a second process (this
//! bench re-runs itself as the server), devices posting batches of
//! check-ins concurrently over loopback. Target: >= 5,000 check-ins/s on 2
//! cores, with SQLite and with Postgres (when `VAORA_TEST_POSTGRES_URL` is
//! set, e.g. by `eval "$(bash scripts/postgres start)"`). Also reports the
//! server's peak memory (VmHWM).

use std::time::Instant;

use time::OffsetDateTime;
use uuid::Uuid;
use vaora_bench::server::{ServerProcess, fresh_postgres, runtime_unless_serving};
use vaora_core::visit::VisitSource;
use vaora_core::wire::{ItemPayload, SyncBatch, SyncItem, VisitRecord};

const DEVICES: usize = 16;
const BATCHES_PER_DEVICE: usize = 25;
const BATCH: usize = 100;

fn main() {
    let Some(runtime) = runtime_unless_serving() else {
        return;
    };
    runtime.block_on(load("SQLite", None));
    if let Ok(url) = std::env::var("VAORA_TEST_POSTGRES_URL") {
        runtime.block_on(load("Postgres", Some(url)));
    }
}

async fn load(backend: &str, postgres: Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = match postgres {
        Some(url) => Some(fresh_postgres(&url).await),
        None => None,
    };
    let server = ServerProcess::spawn(dir.path(), database.as_deref(), 21);
    let base = server.base.clone();

    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for _ in 0..DEVICES {
        let device: serde_json::Value = http
            .post(format!("{base}/v1/devices"))
            .json(&serde_json::json!({"kind": "citizen"}))
            .send()
            .await
            .expect("register")
            .json()
            .await
            .expect("token");
        tokens.push(device["token"].as_str().expect("token").to_owned());
    }
    let now = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    // Bodies made before the clock starts: the server's work is measured.
    let bodies: Vec<Vec<Vec<u8>>> = (0..DEVICES)
        .map(|d| {
            (0..BATCHES_PER_DEVICE)
                .map(|b| {
                    let batch = SyncBatch {
                        items: (0..BATCH)
                            .map(|i| SyncItem {
                                id: Uuid::now_v7(),
                                payload: ItemPayload::Visit(VisitRecord {
                                    id: Uuid::now_v7(),
                                    person: 1,
                                    venue: Some((d * 1000 + i) as u64),
                                    entrance: 1,
                                    place_name: format!("Điểm kiểm dịch {d}-{b}-{i}"),
                                    commune: Some(26_734),
                                    checked_in_at: now - ((b * BATCH + i) as i64) * 1000,
                                    checked_out_at: None,
                                    source: VisitSource::Scan,
                                    verified: true,
                                }),
                            })
                            .collect(),
                    };
                    vaora_core::sync::gzip_json(&batch).expect("gzip")
                })
                .collect()
        })
        .collect();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for (token, batches) in tokens.into_iter().zip(bodies) {
        let (http, url) = (http.clone(), format!("{base}/v1/sync"));
        tasks.push(tokio::spawn(async move {
            for body in batches {
                let response = http
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .header("content-encoding", "gzip")
                    .body(body)
                    .send()
                    .await
                    .expect("sync");
                assert!(response.status().is_success(), "{}", response.status());
            }
        }));
    }
    for task in tasks {
        task.await.expect("device");
    }
    let elapsed = started.elapsed();
    let total = DEVICES * BATCHES_PER_DEVICE * BATCH;
    let rate = total as f64 / elapsed.as_secs_f64();
    let peak = server.peak_memory();
    drop(server);
    println!(
        "ingest ({backend}): {total} check-ins from {DEVICES} devices in {:.2} s = {rate:.0}/s ({} target >= 5,000/s); server peak memory {peak}",
        elapsed.as_secs_f64(),
        if rate >= 5000.0 { "meets" } else { "MISSES" }
    );
}
