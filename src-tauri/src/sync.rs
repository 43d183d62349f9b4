//! When the app syncs: at start, every minute while records wait (which
//! doubles as the reachability probe: the first success after a failure is
//! connectivity coming back), when the webview reports it is online again,
//! and when the user asks. Never on the scan path: a task of its own, and
//! the engine locks the journal only to read a batch and apply an answer.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use time::OffsetDateTime;
use tokio::sync::Notify;
use vaora_core::sync::{Progress, SyncClient};

use crate::reminders::JOURNAL_CHANGED;
use crate::state::AppState;

/// The reference server. `VAORA_SERVER_URL` overrides it (tests, pilots).
pub const DEFAULT_SERVER: &str = "https://api.vaora.vn";
/// How often the trusted keys are fetched again after a success.
const KEYS_EVERY: Duration = Duration::from_secs(6 * 3600);
/// How often waiting records are tried again.
const EVERY: Duration = Duration::from_secs(60);

/// What the home screen says about sync.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub running: bool,
    /// Items settled of those waiting when this sync started.
    pub progress: Option<Progress>,
    pub last_success_ms: Option<i64>,
    /// Why the last attempt failed, as a message key; `None` after a success.
    pub error_key: Option<&'static str>,
}

#[derive(Default)]
pub struct Syncer {
    wake: Notify,
    status: Mutex<SyncStatus>,
}

impl Syncer {
    /// Asks for a sync now (the button, the webview's `online` event).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut SyncStatus)) {
        f(&mut self.status.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// The server this app syncs with: the one set in Settings, else
/// `VAORA_SERVER_URL`, else the built-in one.
pub fn server_url(state: &AppState) -> String {
    state
        .with_journal(|j| j.sync_server())
        .ok()
        .flatten()
        .unwrap_or_else(default_server_url)
}

fn default_server_url() -> String {
    std::env::var("VAORA_SERVER_URL").unwrap_or_else(|_| DEFAULT_SERVER.to_owned())
}

/// A client for `url`, tuned for this loop: it retries every minute
/// anyway, so a few quick tries per round, and the screen says "offline"
/// within seconds.
fn client_for(url: &str) -> Result<SyncClient, vaora_core::sync::SyncError> {
    let mut client = SyncClient::new(url)?;
    client.retry.attempts = 4;
    client.retry.max_delay = Duration::from_secs(8);
    Ok(client)
}

pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let syncer = app.state::<Syncer>();
        let mut current = String::new();
        let mut client: Option<SyncClient> = None;
        let mut keys_fetched: Option<std::time::Instant> = None;
        let mut risky_pulled: Option<std::time::Instant> = None;
        let mut directory_pulled: Option<std::time::Instant> = None;
        loop {
            // The server may have been changed in Settings: a new client,
            // and everything is fetched again from the new server.
            let url = server_url(&app.state::<AppState>());
            if url != current || client.is_none() {
                current = url;
                (keys_fetched, risky_pulled, directory_pulled) = (None, None, None);
                client = match client_for(&current) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        syncer.update(|s| s.error_key = Some(e.message_key()));
                        None
                    }
                };
            }
            let Some(client) = client.as_ref() else {
                syncer.wake.notified().await;
                continue;
            };
            if keys_fetched.is_none_or(|at| at.elapsed() >= KEYS_EVERY) {
                keys_fetched = refresh_keys(&app, client)
                    .await
                    .then(std::time::Instant::now);
            }
            drain_once(&app, client).await;
            risky_pulled = crate::alerts::refresh(&app, client, risky_pulled).await;
            directory_pulled = refresh_directory(&app, client, directory_pulled).await;
            tokio::select! {
                () = syncer.wake.notified() => {}
                () = tokio::time::sleep(EVERY) => {}
            }
        }
    });
}

async fn drain_once(app: &AppHandle, client: &SyncClient) {
    let state = app.state::<AppState>();
    let syncer = app.state::<Syncer>();
    let Ok(journal) = state.journal() else {
        return;
    };
    let now = OffsetDateTime::now_utc();
    let waiting = state
        .with_journal(|j| Ok(j.summary(now)?.outbox_pending))
        .unwrap_or(0);
    if waiting == 0 {
        return;
    }
    syncer.update(|s| s.running = true);
    let _ = app.emit(JOURNAL_CHANGED, ());
    let result = client
        .drain_reporting(journal, OffsetDateTime::now_utc, |p| {
            syncer.update(|s| s.progress = Some(p));
            let _ = app.emit(JOURNAL_CHANGED, ());
        })
        .await;
    syncer.update(|s| {
        s.running = false;
        s.progress = None;
        match &result {
            Ok(report) => {
                tracing::info!(sent = report.sent, rejected = report.rejected, "synced");
                s.error_key = None;
                s.last_success_ms =
                    Some((OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64);
            }
            Err(e) => {
                tracing::info!(error = %e, "sync failed; records stay queued");
                s.error_key = Some(e.message_key());
            }
        }
    });
    let _ = app.emit(JOURNAL_CHANGED, ());
}

/// Brings the venue directory of the communes visited up to date, as
/// often as the risky list (returns when this last succeeded). Full names
/// and addresses then show in the journal, offline.
async fn refresh_directory(
    app: &AppHandle,
    client: &SyncClient,
    last: Option<std::time::Instant>,
) -> Option<std::time::Instant> {
    if last.is_some_and(|at| at.elapsed() < crate::alerts::PULL_EVERY) {
        return last;
    }
    let state = app.state::<AppState>();
    let journal = state.journal().ok()?;
    match client.pull_directory(journal, &state.key_ring()).await {
        Ok(pull) => {
            if pull.refused > 0 {
                tracing::warn!(refused = pull.refused, "directory entries refused");
            }
            if pull.kept > 0 {
                let _ = app.emit(JOURNAL_CHANGED, ());
            }
            Some(std::time::Instant::now())
        }
        Err(e) => {
            tracing::info!(error = %e, "venue directory not fetched");
            last
        }
    }
}

/// Fetches the server's key ring and puts it in force if it changed.
/// Returns whether the fetch succeeded (a failure is tried next round).
async fn refresh_keys(app: &AppHandle, client: &SyncClient) -> bool {
    match client.fetch_key_ring().await {
        Ok(ring) => {
            match app.state::<AppState>().set_key_ring(ring) {
                Ok(true) => tracing::info!("trusted keys updated"),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "trusted keys not saved"),
            }
            true
        }
        Err(e) => {
            tracing::info!(error = %e, "trusted keys not fetched");
            false
        }
    }
}
