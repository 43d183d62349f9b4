//! Postgres day partitions of `visit`, and retention for both engines.
//! A partition per UTC day: retention drops whole tables instead of
//! deleting millions of rows, and queries for a time window read only the
//! days in it.

use std::collections::HashSet;
use std::sync::Mutex;

use sqlx::{AssertSqlSafe, Row};

use super::{Backend, Db, DbResult, vietnam_day};

pub(crate) const DAY_MS: i64 = 24 * 3600 * 1000;

/// Days whose partition this process knows exists, and a lock so that two
/// requests do not race to create the same one.
#[derive(Default)]
pub(crate) struct Known {
    days: Mutex<HashSet<i64>>,
    create: tokio::sync::Mutex<()>,
}

impl Known {
    fn days(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.days.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn has(&self, day: i64) -> bool {
        self.days().contains(&day)
    }

    fn add(&self, day: i64) {
        self.days().insert(day);
    }

    fn forget(&self, day: i64) {
        self.days().remove(&day);
    }
}

pub(crate) fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

impl Db {
    /// Makes sure the partitions for these days exist (Postgres only).
    pub(crate) async fn ensure_partitions(
        &self,
        days: impl IntoIterator<Item = i64>,
    ) -> DbResult<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let missing: Vec<i64> = days
            .into_iter()
            .filter(|d| !self.partitions.has(*d))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let _one_at_a_time = self.partitions.create.lock().await;
        for day in missing {
            if self.partitions.has(day) {
                continue;
            }
            // The name and bounds are numbers computed here, never input.
            let sql = format!(
                "CREATE TABLE IF NOT EXISTS {} PARTITION OF visit FOR VALUES FROM ({}) TO ({})",
                partition_name(day),
                day * DAY_MS,
                (day + 1) * DAY_MS
            );
            if let Err(e) = sqlx::query(AssertSqlSafe(sql)).execute(&self.pool).await {
                // Another server process may have made it in the meantime.
                let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                    .bind(partition_name(day))
                    .fetch_one(&self.pool)
                    .await?;
                if !exists {
                    return Err(e.into());
                }
            }
            self.partitions.add(day);
        }
        Ok(())
    }

    /// Retention: removes visits and gate entries that started before
    /// `cutoff_ms`, declarations made before it, the scan counts of days
    /// before it, and the record of old item ids.
    /// Postgres drops whole day partitions. Returns how many visits and
    /// declarations went.
    pub async fn purge_before(&self, cutoff_ms: i64) -> DbResult<u64> {
        let mut removed = 0;
        if self.backend == Backend::Postgres {
            let rows = sqlx::query(
                "SELECT c.relname::text FROM pg_inherits i
                 JOIN pg_class c ON c.oid = i.inhrelid
                 JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relname = 'visit'",
            )
            .fetch_all(&self.pool)
            .await?;
            for row in rows {
                let name: String = row.try_get(0)?;
                let Some(day) = name
                    .strip_prefix("visit_d")
                    .and_then(|d| d.parse::<i64>().ok())
                else {
                    continue;
                };
                if (day + 1) * DAY_MS <= cutoff_ms {
                    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                        "SELECT count(*) FROM {}",
                        partition_name(day)
                    )))
                    .fetch_one(&self.pool)
                    .await?;
                    sqlx::query(AssertSqlSafe(format!("DROP TABLE {}", partition_name(day))))
                        .execute(&self.pool)
                        .await?;
                    self.partitions.forget(day);
                    removed += n as u64;
                }
            }
        }
        // What is left before the cutoff (SQLite, or a partly expired day).
        removed += sqlx::query("DELETE FROM visit WHERE checked_in_at < $1")
            .bind(cutoff_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
        // A risky entry matters while phones keep visits it can match.
        sqlx::query("DELETE FROM risky_entry WHERE to_s < $1")
            .bind(cutoff_ms / 1000)
            .execute(&self.pool)
            .await?;
        removed += sqlx::query("DELETE FROM gate_entry WHERE checked_in_at < $1")
            .bind(cutoff_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
        removed += sqlx::query("DELETE FROM declaration WHERE declared_at < $1")
            .bind(cutoff_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
        // A day's scan counts go once the whole day is past the cutoff (a
        // day partly purged keeps its count whole).
        sqlx::query("DELETE FROM venue_day_scans WHERE day < $1")
            .bind(vietnam_day(cutoff_ms))
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM sync_item WHERE received_at < $1")
            .bind(cutoff_ms)
            .execute(&self.pool)
            .await?;
        Ok(removed)
    }
}

fn partition_name(day: i64) -> String {
    format!("visit_d{day}")
}
