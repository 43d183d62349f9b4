//! Checkpoint activity: which registered venues produced any scan (a
//! phone's check-in or a gate's entry), per Vietnamese calendar day.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};

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

/// The Julian day of 1970-01-01: day numbers here count from it.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// A day number as a calendar date.
pub fn day_date(day: i64) -> Option<time::Date> {
    time::Date::from_julian_day(i32::try_from(day + UNIX_EPOCH_JULIAN_DAY).ok()?).ok()
}

/// A calendar date as a day number.
pub fn date_day(date: time::Date) -> i64 {
    i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
}

/// Counts scans by venue and day, straight from the visits and gate entries
/// themselves: what `venue_day_scans` must always equal (migration 0005
/// fills it the same way). `$1`, `$2`: the time range; `$3`, `$4`: the
/// offset and length of a day.
const RECOUNT: &str = "SELECT venue_id, day, CAST(sum(n) AS BIGINT) FROM (
         SELECT venue_id, (checked_in_at + $3) / $4 AS day, count(*) AS n
         FROM visit
         WHERE venue_id IS NOT NULL AND checked_in_at >= $1 AND checked_in_at < $2
         GROUP BY venue_id, day
         UNION ALL
         SELECT venue_id, (checked_in_at + $3) / $4 AS day, count(*) AS n
         FROM gate_entry
         WHERE voided = $5 AND checked_in_at >= $1 AND checked_in_at < $2
         GROUP BY venue_id, day
     ) scans GROUP BY venue_id, day";

/// Changes to `venue_day_scans` made by one ingest transaction, gathered
/// so that each (day, venue) row is written once, in one order in every
/// transaction (no deadlock between two batches at the same venues).
#[derive(Debug, Default)]
pub(crate) struct ScanCounts(BTreeMap<(i64, i64), i64>);

impl ScanCounts {
    /// `delta` scans at `venue` on the Vietnamese day of `at_ms`.
    pub(crate) fn add(&mut self, venue: i64, at_ms: i64, delta: i64) {
        *self.0.entry((vietnam_day(at_ms), venue)).or_default() += delta;
    }

    /// Writes the changes, a few hundred rows a statement: one round trip
    /// for a batch, not one per venue (a batch from a gate or a busy
    /// phone touches many).
    pub(crate) async fn apply(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ) -> DbResult<()> {
        // Three parameters a row, under SQLite's oldest limit of 999.
        const ROWS: usize = 300;
        let changes: Vec<_> = self.0.into_iter().filter(|(_, d)| *d != 0).collect();
        for chunk in changes.chunks(ROWS) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            // Only numbered placeholders are spliced in.
            let mut upsert = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO venue_day_scans (day, venue_id, scans) VALUES {}
                 ON CONFLICT (day, venue_id) DO UPDATE
                 SET scans = venue_day_scans.scans + excluded.scans",
                rows.join(", ")
            )));
            for ((day, venue), delta) in chunk {
                upsert = upsert.bind(*day).bind(*venue).bind(*delta);
            }
            upsert.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

fn venue_day(r: &sqlx::any::AnyRow) -> Result<VenueDay, sqlx::Error> {
    Ok(VenueDay {
        venue: r.try_get(0)?,
        day: r.try_get(1)?,
        scans: r.try_get(2)?,
    })
}

impl Db {
    /// Scans per venue and day, for the whole Vietnamese days from the one
    /// `from_ms` falls in to the one before `to_ms`, by day then venue.
    /// Read from the counts ingest keeps (`venue_day_scans`): a few
    /// hundred thousand rows for a month, whatever the number of visits.
    pub async fn scans_per_venue_day(&self, from_ms: i64, to_ms: i64) -> DbResult<Vec<VenueDay>> {
        let mut rows = sqlx::query(
            "SELECT venue_id, day, scans FROM venue_day_scans
             WHERE day >= $1 AND day <= $2 AND scans > 0
             ORDER BY day, venue_id",
        )
        .bind(vietnam_day(from_ms))
        .bind(vietnam_day(to_ms - 1))
        .fetch(&self.pool);
        // Row by row: a month at national scale is some 400,000 rows, and
        // holding them all as driver rows cost the server 150 MB more.
        let mut days = Vec::new();
        while let Some(row) = rows.try_next().await? {
            days.push(venue_day(&row)?);
        }
        Ok(days)
    }

    /// Scans per venue and day for check-ins in `[from_ms, to_ms)`,
    /// counted from the visits and gate entries themselves: slow at scale,
    /// for checking the kept counts (over whole days they are equal).
    pub async fn recount_scans_per_venue_day(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> DbResult<Vec<VenueDay>> {
        let rows = sqlx::query(AssertSqlSafe(format!("{RECOUNT} ORDER BY day, venue_id")))
            .bind(from_ms)
            .bind(to_ms)
            .bind(VIETNAM_MS)
            .bind(DAY_MS)
            .bind(false)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(venue_day)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// Counts every day again from the stored records, replacing the kept
    /// counts: after records were written around ingest (a bulk import,
    /// a restore from backup). Returns how many (venue, day) rows.
    pub async fn rebuild_scan_counts(&self) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM venue_day_scans")
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO venue_day_scans (venue_id, day, scans) {RECOUNT}"
        )))
        .bind(i64::MIN)
        .bind(i64::MAX)
        .bind(VIETNAM_MS)
        .bind(DAY_MS)
        .bind(false)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(rows)
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
