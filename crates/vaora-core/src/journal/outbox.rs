//! Records waiting to be sent. Written in the same transaction as the change
//! they describe, so a visit is never saved without its outbox item.
//! Sending them is the sync engine's job.
//!
//! A visit or gate entry has at most one pending item (no stored body):
//! its body is the row rendered when the item is read, so a check-out that
//! happens before sync costs no extra record, on disk or on the wire.

use rusqlite::{Connection, Transaction, params};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::gate::{gate_entry_record_json, load_gate_entry};
use super::visits::{load_visit, visit_record_json};
use super::{Journal, from_unix_ms, unix_ms};
use crate::error::Result;
use crate::wire::{ItemResult, ItemStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Sent,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    /// Client-made UUIDv7: the server stores each id once.
    pub id: Uuid,
    pub kind: String,
    /// The record the item is about (a visit id, a declaration id).
    pub subject: Uuid,
    pub body: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

pub(super) const DEVICE_TOKEN: &str = "sync.device_token";

/// Queues the current state of a record whose item carries no stored body
/// (kinds in [`LATEST_STATE_KINDS`]), unless an item for it is already
/// waiting: a change before sync costs nothing extra.
pub(super) fn enqueue_latest(
    tx: &Transaction<'_>,
    kind: &'static str,
    subject: Uuid,
    at: OffsetDateTime,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outbox (id, kind, subject, created_at)
         SELECT ?1, ?4, ?2, ?3
         WHERE NOT EXISTS (SELECT 1 FROM outbox
                           WHERE subject = ?2 AND kind = ?4
                             -- the first state term lets SQLite use the
                             -- partial index outbox_subject
                             AND state != 'sent' AND state = 'pending')",
        params![
            Uuid::now_v7().as_bytes(),
            subject.as_bytes(),
            unix_ms(at),
            kind
        ],
    )?;
    Ok(())
}

pub(super) fn enqueue_visit(tx: &Transaction<'_>, visit: Uuid, at: OffsetDateTime) -> Result<()> {
    enqueue_latest(tx, "visit", visit, at)
}

/// Kinds sent as the record's state at sending time.
const LATEST_STATE_KINDS: [&str; 2] = ["visit", "gate_entry"];

/// The wire body of a latest-state record as it is now; `None` if the
/// record is gone.
fn render_latest(conn: &Connection, kind: &str, subject: Uuid) -> Result<Option<String>> {
    Ok(match kind {
        "visit" => load_visit(conn, crate::visit::VisitId(subject))?.map(|v| visit_record_json(&v)),
        "gate_entry" => load_gate_entry(conn, subject)?.map(|e| gate_entry_record_json(&e)),
        _ => None,
    })
}

pub(super) fn enqueue(
    tx: &Transaction<'_>,
    kind: &str,
    subject: Uuid,
    body: &impl Serialize,
    at: OffsetDateTime,
) -> Result<()> {
    // Serialising our own types cannot fail; an empty body would be
    // rejected by the server and shown, never lost silently.
    let body = serde_json::to_string(body).unwrap_or_default();
    tx.execute(
        "INSERT INTO outbox (id, kind, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            Uuid::now_v7().as_bytes(),
            kind,
            subject.as_bytes(),
            body,
            unix_ms(at)
        ],
    )?;
    Ok(())
}

impl Journal {
    /// Items not yet accepted by the server, oldest first.
    pub fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, subject, body, state, attempts, last_error, created_at
             FROM outbox WHERE state = 'pending' ORDER BY created_at, id LIMIT ?1",
        )?;
        let items = self.read_items(&mut stmt, limit)?;
        items
            .into_iter()
            .map(|mut item| {
                if LATEST_STATE_KINDS.contains(&item.kind.as_str()) {
                    // Deleting or purging a record removes its pending item,
                    // so a missing row is a bug; the empty body then gets a
                    // visible rejection instead of stopping every other item.
                    if let Some(body) = render_latest(&self.conn, &item.kind, item.subject)? {
                        item.body = body;
                    }
                }
                Ok(item)
            })
            .collect()
    }

    /// Marks items the server accepted (or already had) as sent.
    pub fn mark_sent(&mut self, ids: &[Uuid]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("UPDATE outbox SET state = 'sent' WHERE id = ?1")?;
            for id in ids {
                stmt.execute([id.as_bytes()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies the server's answer to a batch, in one transaction.
    /// Accepted and duplicate items are finished; a rejected item stays,
    /// marked with its reason, for the user to see; an item the answer does
    /// not mention stays pending. A visit that changed while its item was
    /// in flight (a check-out during sync) is queued again, so the server
    /// gets its latest state.
    pub fn apply_sync_results(
        &mut self,
        sent: &[OutboxItem],
        results: &[ItemResult],
        now: OffsetDateTime,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for result in results {
            let Some(item) = sent.iter().find(|i| i.id == result.id) else {
                continue;
            };
            match result.status {
                ItemStatus::Accepted | ItemStatus::Duplicate => {
                    tx.execute(
                        "UPDATE outbox SET state = 'sent', last_error = NULL WHERE id = ?1",
                        [item.id.as_bytes()],
                    )?;
                    if let Some(kind) = LATEST_STATE_KINDS.iter().find(|k| **k == item.kind) {
                        let now_body = render_latest(&tx, kind, item.subject)?;
                        if now_body.is_some_and(|b| b != item.body) {
                            enqueue_latest(&tx, kind, item.subject, now)?;
                        }
                    }
                }
                ItemStatus::Rejected => {
                    let reason = result.reason.map_or("sync.rejected", |r| r.message_key());
                    tx.execute(
                        "UPDATE outbox SET state = 'rejected', last_error = ?2,
                                attempts = attempts + 1 WHERE id = ?1",
                        params![item.id.as_bytes(), reason],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts a failed attempt (network, server error) on these items.
    pub fn record_sync_failure(&mut self, ids: &[Uuid], error_key: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id.as_bytes(), error_key],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The token this device got from the server, kept in the encrypted
    /// journal; `None` until the first sync registers the device.
    pub fn device_token(&self) -> Result<Option<String>> {
        self.setting(DEVICE_TOKEN)
    }

    pub fn set_device_token(&self, token: &str) -> Result<()> {
        self.set_setting(DEVICE_TOKEN, token)
    }

    /// Items the server refused, with the reason key, newest first.
    pub fn outbox_rejected(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, subject, body, state, attempts, last_error, created_at
             FROM outbox WHERE state = 'rejected' ORDER BY created_at DESC, id LIMIT ?1",
        )?;
        self.read_items(&mut stmt, limit)
    }

    fn read_items(
        &self,
        stmt: &mut rusqlite::CachedStatement<'_>,
        limit: usize,
    ) -> Result<Vec<OutboxItem>> {
        let rows = stmt.query_map([limit as i64], |r| {
            let state: String = r.get(4)?;
            Ok(OutboxItem {
                id: Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap_or_default(),
                kind: r.get(1)?,
                subject: Uuid::from_slice(&r.get::<_, Vec<u8>>(2)?).unwrap_or_default(),
                body: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                state: match state.as_str() {
                    "sent" => OutboxState::Sent,
                    "rejected" => OutboxState::Rejected,
                    _ => OutboxState::Pending,
                },
                attempts: r.get::<_, i64>(5)?.max(0) as u32,
                last_error: r.get(6)?,
                created_at: from_unix_ms(r.get(7)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
