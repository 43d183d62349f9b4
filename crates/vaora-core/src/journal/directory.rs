//! The venue directory on the device: full names and addresses of the
//! checkpoints in the communes this device has visited, verified entries
//! only, with one download cursor per commune. The venue code itself
//! carries only a short name; these rows complete it, offline, for past
//! visits and for the next scan in the same commune.

use rusqlite::{OptionalExtension, params};

use super::Journal;
use crate::error::Result;
use crate::venue::{CommuneCode, VenueId};
use crate::venue_directory::DirectoryEntry;

/// What the directory adds to a venue code's short name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueDetails {
    pub name: String,
    pub address: String,
}

impl Journal {
    /// The communes of this device's visits, each with its cursor (the
    /// highest venue number already downloaded; 0 for a new commune).
    pub fn directory_communes(&self) -> Result<Vec<(CommuneCode, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT v.commune, coalesce(c.after, 0)
             FROM visit v LEFT JOIN directory_cursor c ON c.commune = v.commune
             WHERE v.commune IS NOT NULL AND v.venue_id IS NOT NULL
             ORDER BY v.commune",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((CommuneCode(r.get::<_, u32>(0)?), r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps verified entries of `commune` (a venue already known is
    /// updated: a registrar may correct an address) and moves its cursor.
    pub fn store_directory(
        &mut self,
        commune: CommuneCode,
        entries: &[DirectoryEntry],
        cursor: Option<u64>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO directory_venue (venue_id, commune, name, address)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(venue_id) DO UPDATE SET
                     commune = excluded.commune, name = excluded.name,
                     address = excluded.address",
            )?;
            for e in entries {
                upsert.execute(params![e.venue.0 as i64, e.commune.0, e.name, e.address])?;
            }
        }
        if let Some(cursor) = cursor {
            tx.execute(
                "INSERT INTO directory_cursor (commune, after) VALUES (?1, ?2)
                 ON CONFLICT(commune) DO UPDATE SET after = max(after, excluded.after)",
                params![commune.0, cursor as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The full name and address of a venue, if the directory has it.
    pub fn venue_details(&self, venue: VenueId) -> Result<Option<VenueDetails>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, address FROM directory_venue WHERE venue_id = ?1",
                [venue.0 as i64],
                |r| {
                    Ok(VenueDetails {
                        name: r.get(0)?,
                        address: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }
}
