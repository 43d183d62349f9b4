//! Keeping no more than needed: visits and declarations older than the
//! retention period are deleted, on start and daily. Outbox items that were
//! never sent are kept (their record would otherwise be lost) and reported.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::{Journal, unix_ms};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    pub visits_deleted: u64,
    pub declarations_deleted: u64,
    /// Old items still waiting to be sent: kept, and the UI says so.
    pub unsent_kept: u64,
}

impl Journal {
    /// Deletes what is older than the retention setting, in one transaction.
    pub fn purge_expired(&mut self, now: OffsetDateTime) -> Result<PurgeReport> {
        let days = self.retention_days()?;
        let cutoff = unix_ms(now - Duration::days(i64::from(days)));
        let tx = self.conn.transaction()?;
        let declarations = tx.execute("DELETE FROM declaration WHERE created_at < ?1", [cutoff])?;
        let visits = tx.execute(
            "DELETE FROM visit WHERE coalesce(checked_out_at, checked_in_at) < ?1",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM outbox WHERE state = 'sent' AND created_at < ?1",
            [cutoff],
        )?;
        let unsent: i64 = tx.query_row(
            "SELECT count(*) FROM outbox WHERE state != 'sent' AND created_at < ?1",
            [cutoff],
            |r| r.get(0),
        )?;
        tx.commit()?;
        if visits + declarations > 0 {
            tracing::info!(visits, declarations, "retention purge");
        }
        Ok(PurgeReport {
            visits_deleted: visits as u64,
            declarations_deleted: declarations as u64,
            unsent_kept: unsent.max(0) as u64,
        })
    }
}
