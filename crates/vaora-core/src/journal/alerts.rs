//! Exposure alerts: the risky-venue entries this device downloaded and
//! verified, matched against its own visits here on the device
//! (`risk::exposures`), each match raised once.

use rusqlite::{Row, params};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::visits::visits_since;
use super::{Journal, from_unix_ms, unix_ms};
use crate::error::Result;
use crate::risk::{RiskyEntry, exposures};
use crate::venue::{EntranceNo, VenueId};
use crate::visit::VisitId;

pub(super) const CURSOR: &str = "risk.cursor";

/// One alert, with what the Alerts screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub entry_id: u64,
    pub visit: VisitId,
    pub place_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub checked_in_at: OffsetDateTime,
    /// The case's window at that place.
    #[serde(with = "time::serde::rfc3339")]
    pub exposure_from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub exposure_to: OffsetDateTime,
    /// How long the stay overlapped it; zero: shortly before or after.
    pub overlap_minutes: i64,
    pub advice_vi: String,
    pub advice_en: String,
    #[serde(with = "time::serde::rfc3339")]
    pub raised_at: OffsetDateTime,
}

impl Journal {
    /// The highest entry id downloaded: ask the server for what is newer.
    pub fn risky_cursor(&self) -> Result<u64> {
        Ok(self
            .setting(CURSOR)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Keeps verified entries (an entry already kept is left as it is) and
    /// moves the cursor to `cursor` (the highest verified id).
    pub fn store_risky(&mut self, entries: &[RiskyEntry], cursor: Option<u64>) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO risky_entry
                     (id, venue_id, entrance, from_ms, to_ms, advice_vi, advice_en)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for e in entries {
                insert.execute(params![
                    e.id as i64,
                    e.venue.0 as i64,
                    e.entrance.map(|n| n.0),
                    unix_ms(e.from),
                    unix_ms(e.to),
                    e.advice_vi,
                    e.advice_en
                ])?;
            }
        }
        if let Some(cursor) = cursor.filter(|c| *c > 0) {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)",
                params![CURSOR, cursor.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Matches the kept entries against the visits of the retention period
    /// (`widen` either side of each case's window) and raises the matches
    /// not raised before. Returns only the new ones, to notify about.
    pub fn raise_alerts(&mut self, now: OffsetDateTime, widen: Duration) -> Result<Vec<Alert>> {
        let since = now - Duration::days(i64::from(self.retention_days()?));
        let entries = self.risky_entries()?;
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let visits = visits_since(&self.conn, since)?;
        let found = exposures(&entries, &visits, widen);
        let tx = self.conn.transaction()?;
        let mut raised = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO alert (entry_id, visit_id, overlap_s, raised_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for e in &found {
                let fresh = insert.execute(params![
                    e.entry_id as i64,
                    e.visit.0.as_bytes(),
                    e.overlap.whole_seconds(),
                    unix_ms(now)
                ])? == 1;
                if fresh {
                    raised.push((e.entry_id, e.visit));
                }
            }
        }
        tx.commit()?;
        if !raised.is_empty() {
            tracing::info!(count = raised.len(), "exposure alerts raised");
        }
        let all = self.alerts(usize::MAX)?;
        Ok(all
            .into_iter()
            .filter(|a| raised.contains(&(a.entry_id, a.visit)))
            .collect())
    }

    /// Alerts, newest exposure first.
    pub fn alerts(&self, limit: usize) -> Result<Vec<Alert>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.entry_id, a.visit_id, v.place_name, v.checked_in_at, r.from_ms, r.to_ms,
                    a.overlap_s, r.advice_vi, r.advice_en, a.raised_at
             FROM alert a
             JOIN visit v ON v.id = a.visit_id
             JOIN risky_entry r ON r.id = a.entry_id
             ORDER BY r.from_ms DESC, a.entry_id DESC LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([limit], alert_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn risky_entries(&self) -> Result<Vec<RiskyEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, venue_id, entrance, from_ms, to_ms, advice_vi, advice_en FROM risky_entry",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RiskyEntry {
                id: r.get::<_, i64>(0)? as u64,
                venue: VenueId(r.get::<_, i64>(1)? as u64),
                entrance: r.get::<_, Option<u16>>(2)?.map(EntranceNo),
                from: from_unix_ms(r.get(3)?),
                to: from_unix_ms(r.get(4)?),
                advice_vi: r.get(5)?,
                advice_en: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn alert_from_row(r: &Row<'_>) -> rusqlite::Result<Alert> {
    Ok(Alert {
        entry_id: r.get::<_, i64>(0)? as u64,
        visit: VisitId(Uuid::from_slice(&r.get::<_, Vec<u8>>(1)?).unwrap_or_default()),
        place_name: r.get(2)?,
        checked_in_at: from_unix_ms(r.get(3)?),
        exposure_from: from_unix_ms(r.get(4)?),
        exposure_to: from_unix_ms(r.get(5)?),
        overlap_minutes: r.get::<_, i64>(6)? / 60,
        advice_vi: r.get(7)?,
        advice_en: r.get(8)?,
        raised_at: from_unix_ms(r.get(9)?),
    })
}
