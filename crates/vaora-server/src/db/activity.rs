//! Checkpoint activity: which registered venues produced any scan (a
//! phone's check-in or a gate's entry), per Vietnamese calendar day.

use sqlx::Row;

use super::{Db, DbResult};

/// Vietnam's offset, so a day here is a day on the calendar people use.
const VIETNAM_MS: i64 = 7 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Scans at one venue on one day (days since 1970-01-01 in Vietnam).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueDay {
    pub venue: i64,
    pub day: i64,
    pub scans: i64,
}

/// A registered venue as the statistics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueSummary {
    pub id: i64,
    pub name: String,
    pub commune: u32,
    /// The Vietnamese calendar day it was registered.
    pub created_day: i64,
}

pub fn vietnam_day(ms: i64) -> i64 {
    (ms + VIETNAM_MS).div_euclid(DAY_MS)
}

impl Db {
    /// Scans per venue and day for check-ins in `[from_ms, to_ms)`.
    pub async fn scans_per_venue_day(&self, from_ms: i64, to_ms: i64) -> DbResult<Vec<VenueDay>> {
        let rows = sqlx::query(
            "SELECT venue_id, day, CAST(sum(n) AS BIGINT) FROM (
                 SELECT venue_id, (checked_in_at + $3) / $4 AS day, count(*) AS n
                 FROM visit
                 WHERE venue_id IS NOT NULL AND checked_in_at >= $1 AND checked_in_at < $2
                 GROUP BY venue_id, day
                 UNION ALL
                 SELECT venue_id, (checked_in_at + $3) / $4 AS day, count(*) AS n
                 FROM gate_entry
                 WHERE voided = $5 AND checked_in_at >= $1 AND checked_in_at < $2
                 GROUP BY venue_id, day
             ) scans GROUP BY venue_id, day ORDER BY day, venue_id",
        )
        .bind(from_ms)
        .bind(to_ms)
        .bind(VIETNAM_MS)
        .bind(DAY_MS)
        .bind(false)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(VenueDay {
                    venue: r.try_get(0)?,
                    day: r.try_get(1)?,
                    scans: r.try_get(2)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Every registered venue, in registration order.
    pub async fn venue_summaries(&self) -> DbResult<Vec<VenueSummary>> {
        let rows = sqlx::query("SELECT id, name, commune, created_at FROM venue ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(VenueSummary {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    commune: r.try_get::<i32, _>(2)? as u32,
                    created_day: vietnam_day(r.try_get(3)?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
