//! `POST /v1/sync`: a device's batch, stored idempotently in one
//! transaction with one result per item.
//!
//! - An item id seen before is reported `duplicate`; its visit state is
//!   applied again (a no-op unless the retry carries a newer state): a
//!   client that lost the answer can resend the whole batch safely.
//! - A visit item is the visit's latest state: inserted, or the stored row
//!   updated (check-out), keyed by visit id (decision 0003).
//! - An item failing the shared checks (`VisitRecord::check`) is
//!   `rejected` with a reason and not remembered, so it is rejected again
//!   if resent.

use vaora_core::wire::{ItemPayload, ItemResult, ItemStatus, RejectReason, SyncItem, VisitRecord};

use sqlx::Row;

use super::partitions::day_of;
use super::{Db, DbResult};

impl Db {
    pub async fn ingest(
        &self,
        device_id: i64,
        items: &[SyncItem],
        now_ms: i64,
    ) -> DbResult<Vec<ItemResult>> {
        let checked: Vec<Result<&VisitRecord, RejectReason>> = items
            .iter()
            .map(|item| match &item.payload {
                ItemPayload::Visit(v) => v.check(now_ms).map(|()| v),
            })
            .collect();
        self.ensure_partitions(
            checked
                .iter()
                .filter_map(|c| c.as_ref().ok())
                .map(|v| day_of(v.checked_in_at)),
        )
        .await?;

        let mut tx = self.begin_write().await?;
        let mut results = Vec::with_capacity(items.len());
        for (item, checked) in items.iter().zip(checked) {
            let result = |status, reason| ItemResult {
                id: item.id,
                status,
                reason,
            };
            let visit = match checked {
                Ok(v) => v,
                Err(reason) => {
                    results.push(result(ItemStatus::Rejected, Some(reason)));
                    continue;
                }
            };
            // A visit id is the device's own: another device cannot
            // overwrite it.
            let owner: Option<i64> = sqlx::query_scalar(
                "SELECT device_id FROM visit WHERE checked_in_at = $1 AND id = $2",
            )
            .bind(visit.checked_in_at)
            .bind(visit.id.as_bytes().to_vec())
            .fetch_optional(&mut *tx)
            .await?;
            if owner.is_some_and(|o| o != device_id) {
                results.push(result(ItemStatus::Rejected, Some(RejectReason::NotYours)));
                continue;
            }
            let fresh = sqlx::query(
                "INSERT INTO sync_item (id, device_id, received_at) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(item.id.as_bytes().to_vec())
            .bind(device_id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            // A duplicate item is still applied: an outbox item's id stays
            // the same while its visit changes (decision 0003), so after an
            // answer lost on the way the retry may carry a newer state
            // under the same id. Applying a state twice changes nothing.
            sqlx::query(
                "INSERT INTO visit (checked_in_at, id, device_id, person, venue_id, entrance,
                                    place_name, commune, checked_out_at, source, verified,
                                    received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (checked_in_at, id) DO UPDATE SET
                     -- A check-out, once known, is never undone by an
                     -- older state arriving late.
                     checked_out_at = COALESCE(excluded.checked_out_at, visit.checked_out_at),
                     place_name = excluded.place_name,
                     verified = excluded.verified,
                     received_at = excluded.received_at",
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
            .execute(&mut *tx)
            .await?;
            let status = if fresh {
                ItemStatus::Accepted
            } else {
                ItemStatus::Duplicate
            };
            results.push(result(status, None));
        }
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

    /// How many visits the server holds (tests, statistics).
    pub async fn visit_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM visit")
            .fetch_one(&self.pool)
            .await?)
    }
}
