//! `POST /v1/sync`: a device's batch, stored idempotently in one
//! transaction with one result per item.
//!
//! - An item id seen before is reported `duplicate`; its visit state is
//!   applied again (a no-op unless the retry carries a newer state): a
//!   client that lost the answer can resend the whole batch safely.
//! - A visit item is the visit's latest state: inserted, or the stored row
//!   updated (check-out), keyed by visit id (decision 0003).
//! - A declaration item is stored once (declarations never change).
//! - A gate entry is its latest state, upserted by entry id, and only from
//!   the gate device bound to that venue entrance.
//! - An item failing the shared checks (`VisitRecord::check`,
//!   `DeclarationRecord::check`) is
//!   `rejected` with a reason and not remembered, so it is rejected again
//!   if resent.

use vaora_core::calendar::vietnam_date_ms;
use vaora_core::wire::{
    DeclarationRecord, GateEntryRecord, ItemPayload, ItemResult, ItemStatus, RejectReason,
    SyncItem, VisitRecord,
};

use sqlx::Row;

use super::activity::ScanCounts;
use super::partitions::day_of;
use super::{Db, DbResult};

impl Db {
    pub async fn ingest(
        &self,
        device_id: i64,
        items: &[SyncItem],
        now_ms: i64,
    ) -> DbResult<Vec<ItemResult>> {
        let today = vietnam_date_ms(now_ms);
        let checked: Vec<Result<(), RejectReason>> = items
            .iter()
            .map(|item| match &item.payload {
                ItemPayload::Visit(v) => v.check(now_ms),
                ItemPayload::Declaration(d) => d.check(now_ms, today),
                ItemPayload::GateEntry(g) => g.check(now_ms, today),
            })
            .collect();
        let has_gate_entries = items
            .iter()
            .any(|i| matches!(i.payload, ItemPayload::GateEntry(_)));
        let gate = if has_gate_entries {
            self.gate_of(device_id).await?
        } else {
            None
        };
        self.ensure_partitions(items.iter().zip(&checked).filter_map(|(item, checked)| {
            match (&item.payload, checked) {
                (ItemPayload::Visit(v), Ok(())) => Some(day_of(v.checked_in_at)),
                _ => None,
            }
        }))
        .await?;

        let mut tx = self.begin_write().await?;
        let mut results = Vec::with_capacity(items.len());
        let mut scans = ScanCounts::default();
        for (item, checked) in items.iter().zip(checked) {
            let stored = match checked {
                Err(reason) => Err(reason),
                Ok(()) => match &item.payload {
                    ItemPayload::Visit(v) => {
                        store_visit(&mut tx, &mut scans, device_id, item, v, now_ms).await?
                    }
                    ItemPayload::Declaration(d) => {
                        store_declaration(&mut tx, device_id, item, d, now_ms).await?
                    }
                    // Only the gate bound to that entrance records there.
                    ItemPayload::GateEntry(g)
                        if gate != Some((g.venue as i64, i32::from(g.entrance))) =>
                    {
                        Err(RejectReason::NotThisGate)
                    }
                    ItemPayload::GateEntry(g) => {
                        store_gate_entry(&mut tx, &mut scans, device_id, item, g, now_ms).await?
                    }
                },
            };
            results.push(match stored {
                Ok(true) => ItemResult {
                    id: item.id,
                    status: ItemStatus::Accepted,
                    reason: None,
                },
                Ok(false) => ItemResult {
                    id: item.id,
                    status: ItemStatus::Duplicate,
                    reason: None,
                },
                Err(reason) => ItemResult {
                    id: item.id,
                    status: ItemStatus::Rejected,
                    reason: Some(reason),
                },
            });
        }
        // Last, so the busiest venue's count is locked only while the
        // transaction commits.
        scans.apply(&mut tx).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// Every visit of the device that sent `visit`: its id and check-out
    /// time (what a device's records look like from the server).
    pub async fn visits_of_device_owning(
        &self,
        visit: uuid::Uuid,
    ) -> DbResult<Vec<(uuid::Uuid, Option<i64>)>> {
        let rows = sqlx::query(
            "SELECT id, checked_out_at FROM visit
             WHERE device_id = (SELECT device_id FROM visit WHERE id = $1 LIMIT 1)",
        )
        .bind(visit.as_bytes().to_vec())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: Vec<u8> = r.try_get(0)?;
                Ok((
                    uuid::Uuid::from_slice(&id).unwrap_or_default(),
                    r.try_get(1)?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// How many declarations the server holds (tests, statistics).
    pub async fn declaration_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM declaration")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Whether an item with this id was ever received (from any device).
    pub async fn item_received(&self, id: uuid::Uuid) -> DbResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT device_id FROM sync_item WHERE id = $1")
                .bind(id.as_bytes().to_vec())
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// How many visits the server holds (tests, statistics).
    pub async fn visit_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM visit")
            .fetch_one(&self.pool)
            .await?)
    }
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Records that the item id was received; false if it had been before.
async fn remember_item(
    tx: &mut Tx,
    device_id: i64,
    item: &SyncItem,
    now_ms: i64,
) -> DbResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO sync_item (id, device_id, received_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(item.id.as_bytes().to_vec())
    .bind(device_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Stores a visit's latest state. `Ok(fresh)`, or why it was refused. A
/// visit stored for the first time is counted as a scan at its venue.
async fn store_visit(
    tx: &mut Tx,
    scans: &mut ScanCounts,
    device_id: i64,
    item: &SyncItem,
    visit: &VisitRecord,
    now_ms: i64,
) -> DbResult<Result<bool, RejectReason>> {
    // A visit id is the device's own: another device cannot overwrite it.
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT device_id FROM visit WHERE checked_in_at = $1 AND id = $2")
            .bind(visit.checked_in_at)
            .bind(visit.id.as_bytes().to_vec())
            .fetch_optional(&mut **tx)
            .await?;
    if owner.is_some_and(|o| o != device_id) {
        return Ok(Err(RejectReason::NotYours));
    }
    let fresh = remember_item(tx, device_id, item, now_ms).await?;
    // Insert, and only if the row was already there update it: whether
    // this statement made the row decides the count, even when the same
    // visit arrives in two batches at once (the second waits for the
    // first and finds the row).
    let inserted = sqlx::query(
        "INSERT INTO visit (checked_in_at, id, device_id, person, venue_id, entrance,
                            place_name, commune, checked_out_at, source, verified,
                            received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (checked_in_at, id) DO NOTHING",
    )
    .bind(visit.checked_in_at)
    .bind(visit.id.as_bytes().to_vec())
    .bind(device_id)
    .bind(visit.person)
    .bind(visit.venue.map(|v| v as i64))
    .bind(i32::from(visit.entrance))
    .bind(visit.place_name.trim())
    .bind(visit.commune.map(|c| c as i32))
    .bind(visit.checked_out_at)
    .bind(visit.source.code())
    .bind(visit.verified)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        if let Some(venue) = visit.venue {
            scans.add(venue as i64, visit.checked_in_at, 1);
        }
        return Ok(Ok(fresh));
    }
    // A duplicate item is still applied: an outbox item's id stays the
    // same while its visit changes (decision 0003), so after an answer
    // lost on the way the retry may carry a newer state under the same
    // id. Applying a state twice changes nothing.
    sqlx::query(
        "UPDATE visit SET
             -- A check-out, once known, is never undone by an older state
             -- arriving late.
             checked_out_at = COALESCE($3, checked_out_at),
             place_name = $4,
             verified = $5,
             received_at = $6
         WHERE checked_in_at = $1 AND id = $2",
    )
    .bind(visit.checked_in_at)
    .bind(visit.id.as_bytes().to_vec())
    .bind(visit.checked_out_at)
    .bind(visit.place_name.trim())
    .bind(visit.verified)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(fresh))
}

/// Stores a declaration once; declarations never change after they are
/// made, so a resent one is only reported as a duplicate.
async fn store_declaration(
    tx: &mut Tx,
    device_id: i64,
    item: &SyncItem,
    record: &DeclarationRecord,
    now_ms: i64,
) -> DbResult<Result<bool, RejectReason>> {
    let owner: Option<i64> = sqlx::query_scalar("SELECT device_id FROM declaration WHERE id = $1")
        .bind(record.id.as_bytes().to_vec())
        .fetch_optional(&mut **tx)
        .await?;
    if owner.is_some_and(|o| o != device_id) {
        return Ok(Err(RejectReason::NotYours));
    }
    let fresh = remember_item(tx, device_id, item, now_ms).await?;
    // Serialising a type we just deserialised cannot fail.
    let answers = serde_json::to_string(&record.declaration).unwrap_or_default();
    sqlx::query(
        "INSERT INTO declaration (id, device_id, person, visit_id, declared_at, answers,
                                  received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(record.id.as_bytes().to_vec())
    .bind(device_id)
    .bind(record.person)
    .bind(record.visit.map(|v| v.as_bytes().to_vec()))
    .bind(record.declared_at)
    .bind(answers)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(fresh))
}

/// Stores a gate entry's latest state, keyed by entry id. An entry counts
/// as a scan at its venue while it is not voided.
async fn store_gate_entry(
    tx: &mut Tx,
    scans: &mut ScanCounts,
    device_id: i64,
    item: &SyncItem,
    entry: &GateEntryRecord,
    now_ms: i64,
) -> DbResult<Result<bool, RejectReason>> {
    let owner: Option<i64> = sqlx::query_scalar("SELECT device_id FROM gate_entry WHERE id = $1")
        .bind(entry.id.as_bytes().to_vec())
        .fetch_optional(&mut **tx)
        .await?;
    if owner.is_some_and(|o| o != device_id) {
        return Ok(Err(RejectReason::NotYours));
    }
    let fresh = remember_item(tx, device_id, item, now_ms).await?;
    // Serialising a type we just deserialised cannot fail.
    let answers = entry
        .declaration
        .as_ref()
        .map(|d| serde_json::to_string(d).unwrap_or_default());
    // As for visits: insert, and update only a row that was there.
    let inserted = sqlx::query(
        "INSERT INTO gate_entry (id, device_id, venue_id, entrance, checked_in_at,
                                 checked_out_at, voided, answers, pass, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(entry.id.as_bytes().to_vec())
    .bind(device_id)
    .bind(entry.venue as i64)
    .bind(i32::from(entry.entrance))
    .bind(entry.checked_in_at)
    .bind(entry.checked_out_at)
    .bind(entry.voided)
    .bind(answers)
    .bind(entry.pass.as_deref())
    .bind(now_ms)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        if !entry.voided {
            scans.add(entry.venue as i64, entry.checked_in_at, 1);
        }
        return Ok(Ok(fresh));
    }
    // A correction is never undone by an older state arriving late; the
    // entry stops counting when it is first voided, by the venue and time
    // it was counted under.
    if entry.voided {
        let voided_now = sqlx::query(
            "UPDATE gate_entry SET voided = $2 WHERE id = $1 AND voided = $3
             RETURNING venue_id, checked_in_at",
        )
        .bind(entry.id.as_bytes().to_vec())
        .bind(true)
        .bind(false)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = voided_now {
            scans.add(row.try_get(0)?, row.try_get(1)?, -1);
        }
    }
    sqlx::query(
        "UPDATE gate_entry SET
             checked_out_at = COALESCE($2, checked_out_at),
             received_at = $3
         WHERE id = $1",
    )
    .bind(entry.id.as_bytes().to_vec())
    .bind(entry.checked_out_at)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(fresh))
}

impl Db {
    /// Whether the gate entry is stored with a check-out (`None`: not
    /// stored).
    pub async fn gate_entry_checked_out(&self, id: uuid::Uuid) -> DbResult<Option<bool>> {
        let out: Option<Option<i64>> =
            sqlx::query_scalar("SELECT checked_out_at FROM gate_entry WHERE id = $1")
                .bind(id.as_bytes().to_vec())
                .fetch_optional(&self.pool)
                .await?;
        Ok(out.map(|o| o.is_some()))
    }

    /// How many gate entries the server holds (tests, statistics).
    pub async fn gate_entry_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM gate_entry")
            .fetch_one(&self.pool)
            .await?)
    }
}
