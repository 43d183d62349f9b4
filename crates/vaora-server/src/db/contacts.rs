//! The tracing query: who was at a venue while a case was there. Stays
//! without a check-out last the venue's default stay (as on the phone).

use sqlx::Row;

use super::{Db, DbResult};

/// One stay that overlapped the window, with the contact details the
/// person sent (their latest declaration), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// `"visit"` (a phone's own check-in) or `"gate"` (recorded by staff).
    pub source: &'static str,
    pub entrance: i32,
    pub checked_in_at: i64,
    pub checked_out_at: Option<i64>,
    /// The declaration's JSON (`vaora_core::declaration::Declaration`).
    pub declaration: Option<String>,
    /// A gate's personal pass, still sealed for the authority key.
    pub pass: Option<String>,
}

/// The longest stay looked back for, so Postgres reads only the day
/// partitions that can matter.
const LONGEST_STAY_MS: i64 = 24 * 3600 * 1000;

impl Db {
    /// Stays at `venue` overlapping `[from_ms, to_ms)`, earliest first.
    pub async fn contacts_at(
        &self,
        venue: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> DbResult<Vec<Contact>> {
        let visits = sqlx::query(
            "SELECT v.entrance, v.checked_in_at, v.checked_out_at,
                    (SELECT d.answers FROM declaration d
                     WHERE d.device_id = v.device_id AND d.person = v.person
                     ORDER BY d.declared_at DESC LIMIT 1)
             FROM visit v JOIN venue ve ON ve.id = v.venue_id
             WHERE v.venue_id = $1
               AND v.checked_in_at >= $2 AND v.checked_in_at < $3
               AND coalesce(v.checked_out_at,
                            v.checked_in_at + ve.default_stay_minutes * 60000) > $4
             ORDER BY v.checked_in_at",
        )
        .bind(venue)
        .bind(from_ms - LONGEST_STAY_MS)
        .bind(to_ms)
        .bind(from_ms)
        .fetch_all(&self.pool)
        .await?;
        let gates = sqlx::query(
            "SELECT g.entrance, g.checked_in_at, g.checked_out_at, g.answers, g.pass
             FROM gate_entry g JOIN venue ve ON ve.id = g.venue_id
             WHERE g.venue_id = $1 AND g.voided = $5
               AND g.checked_in_at >= $2 AND g.checked_in_at < $3
               AND coalesce(g.checked_out_at,
                            g.checked_in_at + ve.default_stay_minutes * 60000) > $4
             ORDER BY g.checked_in_at",
        )
        .bind(venue)
        .bind(from_ms - LONGEST_STAY_MS)
        .bind(to_ms)
        .bind(from_ms)
        .bind(false)
        .fetch_all(&self.pool)
        .await?;
        let mut contacts = Vec::with_capacity(visits.len() + gates.len());
        for r in &visits {
            contacts.push(Contact {
                source: "visit",
                entrance: r.try_get(0)?,
                checked_in_at: r.try_get(1)?,
                checked_out_at: r.try_get(2)?,
                declaration: r.try_get(3)?,
                pass: None,
            });
        }
        for r in &gates {
            contacts.push(Contact {
                source: "gate",
                entrance: r.try_get(0)?,
                checked_in_at: r.try_get(1)?,
                checked_out_at: r.try_get(2)?,
                declaration: r.try_get(3)?,
                pass: r.try_get(4)?,
            });
        }
        contacts.sort_by_key(|c| c.checked_in_at);
        Ok(contacts)
    }
}
