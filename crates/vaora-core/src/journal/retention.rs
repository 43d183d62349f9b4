//! Keeping no more than needed: visits and declarations older than the
//! retention period are deleted, on start and daily. A visit whose outbox
//! item was never sent is kept (the record would otherwise be lost before
//! it reached anyone) and reported, so the UI can say so.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::{Journal, unix_ms};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    pub visits_deleted: u64,
    pub declarations_deleted: u64,
    /// Old visits kept because they were never sent; the UI says so.
    pub unsent_kept: u64,
}

impl Journal {
    /// Deletes what is older than the retention setting, in one transaction.
    pub fn purge_expired(&mut self, now: OffsetDateTime) -> Result<PurgeReport> {
        let days = self.retention_days()?;
        let cutoff = unix_ms(now - Duration::days(i64::from(days)));
        let tx = self.conn.transaction()?;
        let declarations = tx.execute("DELETE FROM declaration WHERE created_at < ?1", [cutoff])?;
        const UNSENT: &str =
            "EXISTS (SELECT 1 FROM outbox o WHERE o.subject = visit.id AND o.state != 'sent')";
        let visits = tx.execute(
            &format!(
                "DELETE FROM visit WHERE coalesce(checked_out_at, checked_in_at) < ?1 AND NOT {UNSENT}"
            ),
            [cutoff],
        )?;
        // A gate's entries hold other people's declarations: the same
        // period, and the same rule for what was never sent.
        tx.execute(
            "DELETE FROM gate_entry WHERE coalesce(checked_out_at, checked_in_at) < ?1
               AND NOT EXISTS (SELECT 1 FROM outbox o
                               WHERE o.subject = gate_entry.id AND o.state != 'sent')",
            [cutoff],
        )?;
        tx.execute("DELETE FROM risky_entry WHERE to_ms < ?1", [cutoff])?;
        // Which communes' directories a phone holds says where its owner
        // went: they go with the last visit there.
        const VISITED: &str = "SELECT commune FROM visit WHERE commune IS NOT NULL";
        tx.execute(
            &format!("DELETE FROM directory_venue WHERE commune NOT IN ({VISITED})"),
            [],
        )?;
        tx.execute(
            &format!("DELETE FROM directory_cursor WHERE commune NOT IN ({VISITED})"),
            [],
        )?;
        tx.execute(
            "DELETE FROM outbox WHERE state = 'sent' AND created_at < ?1",
            [cutoff],
        )?;
        let unsent: i64 = tx.query_row(
            &format!(
                "SELECT count(*) FROM visit WHERE coalesce(checked_out_at, checked_in_at) < ?1 AND {UNSENT}"
            ),
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
