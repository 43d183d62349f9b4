//! The client sync engine: drains the journal's outbox to `vaora-server`
//! (`POST /v1/sync`, shapes in [`crate::wire`]).
//!
//! - Batches are bounded by count and bytes; item ids are the outbox's
//!   UUIDv7s, so a batch resent after a lost answer is all `duplicate`.
//! - The server's answer is applied in one journal transaction
//!   ([`Journal::apply_sync_results`]): nothing is finished before the server
//!   confirmed it, nothing confirmed is sent again.
//! - Failures are retried with exponential backoff and jitter (`backon`),
//!   `429`/`503` wait as long as `Retry-After` says. What is still failing
//!   after the last attempt stays queued, with the reason for the UI.
//! - The journal lock is held only to read a batch and to apply an answer,
//!   never across the network: a scan never waits for a sync.

use std::sync::Mutex;
use std::time::Duration;

use backon::BackoffBuilder;
use thiserror::Error;
use time::OffsetDateTime;

use crate::gate::GateBinding;
use crate::journal::{Journal, OutboxItem};
use crate::risk::RiskyList;
use crate::venue::{EntranceNo, VenueId};
use crate::venue_code::{GateCertificate, GateSigner, KeyRing};
use crate::venue_directory::VenueDirectory;
use crate::wire::{
    DeclarationRecord, GateEntryRecord, ItemPayload, ItemResult, ItemStatus, SyncBatch, SyncItem,
    SyncResponse, VisitRecord,
};

const _: () = assert!(BATCH_ITEMS <= crate::wire::MAX_BATCH_ITEMS);

/// Items per batch: well under the server's `MAX_BATCH_ITEMS`, small
/// enough that a lost answer on 2G costs little to resend.
pub const BATCH_ITEMS: usize = 200;
/// Most bytes of JSON in one batch (the server accepts 256 KiB).
pub const MAX_BATCH_BYTES: usize = 128 * 1024;
/// Longest wait a `Retry-After` may ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("the server cannot be reached: {0}")]
    Offline(#[source] reqwest::Error),
    #[error("the server failed (HTTP {0})")]
    Server(u16),
    #[error("the server refused the request (HTTP {0})")]
    Refused(u16),
    #[error("the server's answer was not understood")]
    Protocol,
    #[error("the server address is not valid")]
    BadAddress,
    #[error(transparent)]
    Journal(#[from] crate::Error),
}

impl SyncError {
    pub fn message_key(&self) -> &'static str {
        match self {
            SyncError::Offline(_) => "sync.error.offline",
            SyncError::Server(_) => "sync.error.server",
            SyncError::Refused(_) => "sync.error.refused",
            SyncError::Protocol => "sync.error.protocol",
            SyncError::BadAddress => "sync.error.address",
            SyncError::Journal(e) => e.message_key(),
        }
    }
}

/// How hard to try before giving up until the next sync.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub min_delay: Duration,
    pub max_delay: Duration,
    pub attempts: usize,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            attempts: 6,
        }
    }
}

/// What one drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Items the server accepted or already had.
    pub sent: usize,
    pub rejected: usize,
    /// Items still waiting when the drain ended.
    pub remaining: usize,
}

/// How far a drain has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Progress {
    pub settled: usize,
    pub total: usize,
}

pub struct SyncClient {
    http: reqwest::Client,
    server: String,
    pub retry: RetryPolicy,
    /// Longest one request may take, answer included, before it counts as
    /// failed and is retried: a link that goes silent (a 2G dead zone)
    /// never closes the connection by itself.
    pub request_timeout: Duration,
}

/// What one download (the risky-venue list, the venue directory) brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pulled {
    pub kept: usize,
    pub refused: usize,
}

/// Entries the server sends per page (`GET /v1/risky-venues`).
const RISKY_PAGE: usize = 1000;
/// Entries the server sends per page (`GET /v1/venue-directory`).
const DIRECTORY_PAGE: usize = 500;

/// TLS for every `reqwest` client in the process: rustls on the ring
/// provider (no aws-lc build). Idempotent; `SyncClient::new` calls it.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// One attempt's outcome when it is worth trying again.
enum Attempt {
    Again(Option<Duration>, SyncError),
    Stop(SyncError),
}

/// A server address as a user types it, checked and normalised: `https`,
/// or plain `http` to this machine only (a server on the same computer or
/// a test), no user name, query or fragment; the trailing slash dropped.
/// Personal data never crosses a network unencrypted.
pub fn server_address(text: &str) -> Result<String, SyncError> {
    let url = reqwest::Url::parse(text.trim()).map_err(|_| SyncError::BadAddress)?;
    let host = url.host_str().ok_or(SyncError::BadAddress)?;
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let extras = !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some();
    if !scheme_ok || extras {
        return Err(SyncError::BadAddress);
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl SyncClient {
    /// `server` is the base URL, e.g. `https://api.vaora.vn`.
    pub fn new(server: &str) -> Result<SyncClient, SyncError> {
        let server = server.trim().trim_end_matches('/');
        if !(server.starts_with("https://") || server.starts_with("http://")) {
            return Err(SyncError::BadAddress);
        }
        install_tls_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|_| SyncError::BadAddress)?;
        Ok(SyncClient {
            http,
            server: server.to_owned(),
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(30),
        })
    }

    /// Sends everything waiting in the outbox.
    pub async fn drain(
        &self,
        journal: &Mutex<Journal>,
        now: impl Fn() -> OffsetDateTime,
    ) -> Result<DrainReport, SyncError> {
        self.drain_reporting(journal, now, |_| {}).await
    }

    /// [`SyncClient::drain`], telling `progress` after each batch how many
    /// items are settled out of those waiting when it started (for "n of m").
    pub async fn drain_reporting(
        &self,
        journal: &Mutex<Journal>,
        now: impl Fn() -> OffsetDateTime,
        progress: impl Fn(Progress),
    ) -> Result<DrainReport, SyncError> {
        let lock = || journal.lock().unwrap_or_else(|p| p.into_inner());
        let total = lock().summary(now())?.outbox_pending as usize;
        // Bound first: a guard in a `match` scrutinee lives through the arms.
        let stored = lock().device_token()?;
        let mut token = match stored {
            Some(token) => token,
            None => self.register(journal).await?,
        };
        let mut report = DrainReport::default();
        loop {
            let items = lock().outbox_pending(BATCH_ITEMS)?;
            let (batch, sent, unreadable) = batch_of(items);
            if !unreadable.is_empty() {
                report.rejected += unreadable.len();
                let results: Vec<ItemResult> = unreadable
                    .iter()
                    .map(|i| ItemResult {
                        id: i.id,
                        status: ItemStatus::Rejected,
                        reason: None,
                    })
                    .collect();
                lock().apply_sync_results(&unreadable, &results, now())?;
            }
            if sent.is_empty() {
                if unreadable.is_empty() {
                    break;
                }
                continue;
            }
            let response = match self.send(&token, &batch).await {
                Err(SyncError::Refused(401)) => {
                    // The server forgot this device (a reset server): register again.
                    token = self.register(journal).await?;
                    self.send(&token, &batch).await
                }
                other => other,
            };
            let response = match response {
                Ok(r) => r,
                Err(e) => {
                    let ids: Vec<_> = sent.iter().map(|i| i.id).collect();
                    lock().record_sync_failure(&ids, e.message_key())?;
                    return Err(e);
                }
            };
            let finished = response
                .results
                .iter()
                .filter(|r| r.status != ItemStatus::Rejected)
                .count();
            let rejected = response.results.len() - finished;
            lock().apply_sync_results(&sent, &response.results, now())?;
            report.sent += finished;
            report.rejected += rejected;
            progress(Progress {
                settled: report.sent + report.rejected,
                total: total.max(report.sent + report.rejected),
            });
            if finished + rejected == 0 {
                // An answer that settles nothing: stop rather than loop.
                return Err(SyncError::Protocol);
            }
        }
        report.remaining = lock().summary(now())?.outbox_pending as usize;
        Ok(report)
    }

    /// The server's key ring (`GET /v1/keys`): the issuer keys this
    /// device needs to verify venue codes offline.
    pub async fn fetch_key_ring(&self) -> Result<KeyRing, SyncError> {
        let body = self
            .with_retries(|| self.http.get(format!("{}/v1/keys", self.server)))
            .await?;
        let text = std::str::from_utf8(&body).map_err(|_| SyncError::Protocol)?;
        KeyRing::from_json(text).map_err(|_| SyncError::Protocol)
    }

    /// A `GET` with retries, its JSON answer read as `T`.
    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, SyncError> {
        let body = self.with_retries(|| self.http.get(url)).await?;
        parse(&body)
    }

    /// Downloads the risky-venue entries newer than the journal's cursor,
    /// keeps those that verify against `ring` and moves the cursor. The
    /// request carries only the cursor: nothing about the user's visits.
    /// Returns how many entries were kept and how many were refused (a bad
    /// signature, an unknown key: logged, never used).
    pub async fn pull_risky(
        &self,
        journal: &Mutex<Journal>,
        ring: &KeyRing,
    ) -> Result<Pulled, SyncError> {
        let lock = || journal.lock().unwrap_or_else(|p| p.into_inner());
        let mut pulled = Pulled::default();
        loop {
            let after = lock().risky_cursor()?;
            let list: RiskyList = self
                .get_json(&format!("{}/v1/risky-venues?after={after}", self.server))
                .await?;
            let page = list.entries.len();
            let verified = list.verify(ring);
            for rejected in &verified.rejected {
                tracing::warn!(error = %rejected.error, "risky entry refused");
            }
            pulled.kept += verified.entries.len();
            pulled.refused += verified.rejected.len();
            let cursor = verified.cursor();
            lock().store_risky(&verified.entries, cursor)?;
            // A short page is the last; a page of only refused entries
            // cannot move the cursor, so stop rather than loop.
            if page < RISKY_PAGE || cursor.is_none_or(|c| c <= after) {
                return Ok(pulled);
            }
        }
    }

    /// Downloads the venue directory of every commune this device has
    /// visited, after each commune's cursor, and keeps the entries that
    /// verify against `ring`. The requests name those communes (not the
    /// venues, not the times); see docs/decisions/0009-venue-directory-and-server-pages.md.
    pub async fn pull_directory(
        &self,
        journal: &Mutex<Journal>,
        ring: &KeyRing,
    ) -> Result<Pulled, SyncError> {
        let lock = || journal.lock().unwrap_or_else(|p| p.into_inner());
        let mut pulled = Pulled::default();
        let communes = lock().directory_communes()?;
        for (commune, mut after) in communes {
            loop {
                let url = format!(
                    "{}/v1/venue-directory?commune={}&after={after}",
                    self.server, commune.0
                );
                let page: VenueDirectory = self.get_json(&url).await?;
                let size = page.entries.len();
                let verified = page.verify(ring);
                pulled.kept += verified.entries.len();
                pulled.refused += verified.refused;
                let cursor = verified.cursor();
                lock().store_directory(commune, &verified.entries, cursor)?;
                match cursor {
                    Some(c) if size >= DIRECTORY_PAGE && c > after => after = c,
                    _ => break,
                }
            }
        }
        Ok(pulled)
    }

    /// Makes this device the gate of `venue`'s `entrance`, with a
    /// registrar's token (typed once by the commune officer setting the
    /// gate up): the venue's name for the screen, then the gate's own
    /// device token, both kept in the journal. Online once; offline after.
    pub async fn bind_gate(
        &self,
        journal: &Mutex<Journal>,
        venue: VenueId,
        entrance: EntranceNo,
        registrar_token: &str,
    ) -> Result<GateBinding, SyncError> {
        #[derive(serde::Deserialize)]
        struct VenueName {
            name: String,
        }
        #[derive(serde::Deserialize)]
        struct DeviceToken {
            token: String,
        }
        let registrar_token = registrar_token.trim();
        let shown = self
            .with_retries(|| {
                self.http
                    .get(format!("{}/v1/venues/{}", self.server, venue.0))
                    .bearer_auth(registrar_token)
            })
            .await?;
        let venue_name = parse::<VenueName>(&shown)?.name;
        let bound = self
            .with_retries(|| {
                self.http
                    .post(format!(
                        "{}/v1/venues/{}/entrances/{}/gates",
                        self.server, venue.0, entrance.0
                    ))
                    .bearer_auth(registrar_token)
            })
            .await?;
        let token = parse::<DeviceToken>(&bound)?.token;
        let binding = GateBinding {
            venue,
            entrance,
            venue_name,
        };
        // The gate's own key for its rotating code: made here, only its
        // public half sent, certified by the server for this entrance.
        let mut seed = [0u8; 32];
        crypto_box::aead::rand_core::RngCore::fill_bytes(&mut crypto_box::aead::OsRng, &mut seed);
        let public_key = crate::hex::encode(&GateSigner::public_key_of(&seed));
        #[derive(serde::Deserialize)]
        struct Certified {
            certificate: String,
        }
        let certified = self
            .with_retries(|| {
                self.http
                    .post(format!("{}/v1/gates/certificate", self.server))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({ "public_key": public_key }))
            })
            .await?;
        let certified = parse::<Certified>(&certified)?;
        let certificate =
            GateCertificate::from_text(&certified.certificate).map_err(|_| SyncError::Protocol)?;
        // A poisoned lock only means another thread panicked; the data is
        // in SQLite, so carrying on is safe.
        let journal = journal.lock().unwrap_or_else(|p| p.into_inner());
        journal.set_device_token(&token)?;
        journal.bind_gate(&binding)?;
        journal.set_gate_signer(&seed, &certificate)?;
        Ok(binding)
    }

    async fn register(&self, journal: &Mutex<Journal>) -> Result<String, SyncError> {
        #[derive(serde::Deserialize)]
        struct DeviceToken {
            token: String,
        }
        let body = self
            .with_retries(|| {
                self.http
                    .post(format!("{}/v1/devices", self.server))
                    .json(&serde_json::json!({ "kind": "citizen" }))
            })
            .await?;
        let token = parse::<DeviceToken>(&body)?.token;
        journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set_device_token(&token)?;
        Ok(token)
    }

    async fn send(&self, token: &str, batch: &SyncBatch) -> Result<SyncResponse, SyncError> {
        let gzipped = gzip_json(batch)?;
        let answer = self
            .with_retries(|| {
                self.http
                    .post(format!("{}/v1/sync", self.server))
                    .bearer_auth(token)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(reqwest::header::CONTENT_ENCODING, "gzip")
                    .body(gzipped.clone())
            })
            .await?;
        parse(&answer)
    }

    /// Sends the request until it succeeds, a client error says it never
    /// will, or the attempts run out; the answer's body.
    async fn with_retries(
        &self,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, SyncError> {
        let mut delays = backon::ExponentialBuilder::default()
            .with_min_delay(self.retry.min_delay)
            .with_max_delay(self.retry.max_delay)
            .with_max_times(self.retry.attempts.saturating_sub(1))
            .with_jitter()
            .build();
        loop {
            let error = match attempt(request().timeout(self.request_timeout)).await {
                Ok(body) => return Ok(body),
                Err(Attempt::Stop(e)) => return Err(e),
                Err(Attempt::Again(wait, e)) => match delays.next() {
                    Some(delay) => {
                        tokio::time::sleep(wait.unwrap_or(delay)).await;
                        continue;
                    }
                    None => e,
                },
            };
            return Err(error);
        }
    }
}

async fn attempt(request: reqwest::RequestBuilder) -> Result<Vec<u8>, Attempt> {
    let response = request
        .send()
        .await
        .map_err(|e| Attempt::Again(None, SyncError::Offline(e)))?;
    let status = response.status();
    if status.is_success() {
        // Reading the answer is part of the attempt: one cut mid-body (a
        // link that drops) is a network failure, retried like any other,
        // not an answer that was "not understood".
        return response
            .bytes()
            .await
            .map(Vec::from)
            .map_err(|e| Attempt::Again(None, SyncError::Offline(e)));
    }
    let code = status.as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
    match code {
        429 => Err(Attempt::Again(retry_after, SyncError::Server(code))),
        500..=599 => Err(Attempt::Again(retry_after, SyncError::Server(code))),
        _ => Err(Attempt::Stop(SyncError::Refused(code))),
    }
}

/// An answer's JSON; anything else is a server speaking another protocol.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, SyncError> {
    serde_json::from_slice(body).map_err(|_| SyncError::Protocol)
}

/// A batch as gzipped JSON: visit records repeat their keys and place
/// names, so a 2G link carries a fraction of the bytes.
pub fn gzip_json(batch: &SyncBatch) -> Result<Vec<u8>, SyncError> {
    use std::io::Write;
    let json = serde_json::to_vec(batch).map_err(|_| SyncError::Protocol)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json)
        .and_then(|()| gz.finish())
        .map_err(|_| SyncError::Protocol)
}

/// The next batch: items whose body reads as a record, within the byte
/// bound; items whose body cannot be read are returned apart, to be
/// marked rejected rather than block the queue.
fn batch_of(items: Vec<OutboxItem>) -> (SyncBatch, Vec<OutboxItem>, Vec<OutboxItem>) {
    let mut batch = SyncBatch { items: Vec::new() };
    let (mut sent, mut unreadable) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for item in items {
        let payload = match item.kind.as_str() {
            "visit" => serde_json::from_str::<VisitRecord>(&item.body)
                .ok()
                .map(ItemPayload::Visit),
            "declaration" => serde_json::from_str::<Box<DeclarationRecord>>(&item.body)
                .ok()
                .map(ItemPayload::Declaration),
            "gate_entry" => serde_json::from_str::<Box<GateEntryRecord>>(&item.body)
                .ok()
                .map(ItemPayload::GateEntry),
            _ => None,
        };
        let Some(payload) = payload else {
            unreadable.push(item);
            continue;
        };
        bytes += item.body.len() + 64;
        if bytes > MAX_BATCH_BYTES && !sent.is_empty() {
            break;
        }
        batch.items.push(SyncItem {
            id: item.id,
            payload,
        });
        sent.push(item);
    }
    (batch, sent, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_address_is_https_or_this_machine_and_nothing_else() {
        for (typed, kept) in [
            ("https://api.vaora.vn", "https://api.vaora.vn"),
            (" https://API.vaora.vn/ ", "https://api.vaora.vn"),
            (
                "https://soyte.example.vn/vaora/",
                "https://soyte.example.vn/vaora",
            ),
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("http://localhost:8787/", "http://localhost:8787"),
            ("http://[::1]:8787", "http://[::1]:8787"),
        ] {
            assert_eq!(server_address(typed).ok().as_deref(), Some(kept), "{typed}");
        }
        for refused in [
            "",
            "api.vaora.vn",
            "http://api.vaora.vn",
            "http://192.168.1.10:8787",
            "ftp://api.vaora.vn",
            "https://user:pw@api.vaora.vn",
            "https://api.vaora.vn/?x=1",
            "https://api.vaora.vn/#top",
            "javascript:alert(1)",
        ] {
            assert!(server_address(refused).is_err(), "{refused}");
        }
    }
}
