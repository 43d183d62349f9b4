//! Risky-venue entries: made and signed once (`Db::publish_risky`), listed
//! after a cursor for devices to download.

use sqlx::Row;
use time::OffsetDateTime;
use vaora_core::risk::{RiskError, RiskyEntry, SignedRiskyEntry, sign_risky_entry};
use vaora_core::venue::{EntranceNo, VenueId};
use vaora_core::venue_code::VenueIssuer;

use super::{Db, DbError, DbResult, now_ms};

/// A case's visit as the authority reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRiskyEntry {
    pub venue: i64,
    pub entrance: Option<u16>,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub advice_vi: String,
    pub advice_en: String,
}

impl Db {
    /// Stores the entry and signs it with its id, in one transaction: an
    /// entry is never listed unsigned. `Ok(Err(..))` when the issuer
    /// refuses it (nothing stored).
    pub async fn publish_risky(
        &self,
        issuer: &VenueIssuer,
        new: &NewRiskyEntry,
    ) -> DbResult<Result<SignedRiskyEntry, RiskError>> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO risky_entry (venue_id, entrance, from_s, to_s, signed, created_at)
             VALUES ($1, $2, $3, $4, '', $5) RETURNING id",
        )
        .bind(new.venue)
        .bind(new.entrance.map(i32::from))
        .bind(new.from.unix_timestamp())
        .bind(new.to.unix_timestamp())
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let entry = RiskyEntry {
            id: id as u64,
            venue: VenueId(new.venue as u64),
            entrance: new.entrance.map(EntranceNo),
            from: new.from,
            to: new.to,
            advice_vi: new.advice_vi.clone(),
            advice_en: new.advice_en.clone(),
        };
        let signed = match sign_risky_entry(issuer, entry) {
            Ok(signed) => signed,
            Err(e) => return Ok(Err(e)),
        };
        // Serialising our own type cannot fail.
        let json = serde_json::to_string(&signed).unwrap_or_default();
        sqlx::query("UPDATE risky_entry SET signed = $1 WHERE id = $2")
            .bind(json)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(signed))
    }

    /// Entries after `after` (the device's cursor), oldest first.
    pub async fn risky_after(&self, after: i64, limit: i64) -> DbResult<Vec<SignedRiskyEntry>> {
        let rows = sqlx::query(
            "SELECT signed FROM risky_entry WHERE id > $1 AND signed <> '' ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(signed_entry).collect()
    }

    /// The `limit` newest entries, newest first (the authority console).
    pub async fn latest_risky(&self, limit: i64) -> DbResult<Vec<SignedRiskyEntry>> {
        let rows = sqlx::query(
            "SELECT signed FROM risky_entry WHERE signed <> '' ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(signed_entry).collect()
    }
}

fn signed_entry(r: &sqlx::any::AnyRow) -> DbResult<SignedRiskyEntry> {
    let json: String = r.try_get(0)?;
    // Written by `publish_risky` from the same type.
    serde_json::from_str(&json).map_err(|e| DbError::Sql(sqlx::Error::Decode(Box::new(e))))
}
