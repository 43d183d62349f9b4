//! Venues (checkpoints) and their entrances, as registrars create them.

// Dynamic SQL here only splices the constant column list.
use sqlx::{AssertSqlSafe, Row};
use vaora_core::venue::VenueKind;

use super::{Db, DbResult, now_ms};

/// A venue as a registrar submits it (already validated by the API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVenue {
    pub name: String,
    /// What fits in the QR code (≤ 32 bytes); shown offline.
    pub short_name: String,
    pub address: String,
    pub commune: u32,
    pub kind: VenueKind,
    pub default_stay_minutes: u16,
    pub entrances: u16,
}

/// A venue as stored: what was submitted, its number and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVenue {
    pub id: i64,
    pub created_at: i64,
    pub venue: NewVenue,
}

const COLUMNS: &str =
    "id, name, short_name, address, commune, kind, default_stay_minutes, entrances, created_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<StoredVenue, sqlx::Error> {
    let kind: i32 = r.try_get(5)?;
    Ok(StoredVenue {
        id: r.try_get(0)?,
        created_at: r.try_get(8)?,
        venue: NewVenue {
            name: r.try_get(1)?,
            short_name: r.try_get(2)?,
            address: r.try_get(3)?,
            commune: r.try_get::<i32, _>(4)? as u32,
            kind: u8::try_from(kind).map_or(VenueKind::Other, VenueKind::from_code),
            default_stay_minutes: r.try_get::<i32, _>(6)? as u16,
            entrances: r.try_get::<i32, _>(7)? as u16,
        },
    })
}

impl Db {
    pub async fn create_venue(&self, v: &NewVenue) -> DbResult<StoredVenue> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO venue (name, short_name, address, commune, kind, default_stay_minutes,
                                entrances, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
        )))
        .bind(&v.name)
        .bind(&v.short_name)
        .bind(&v.address)
        .bind(v.commune as i32)
        .bind(i32::from(v.kind.code()))
        .bind(i32::from(v.default_stay_minutes))
        .bind(i32::from(v.entrances))
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(from_row(&row)?)
    }

    pub async fn venue(&self, id: i64) -> DbResult<Option<StoredVenue>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM venue WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The venues of one commune numbered above `after`, in order: a page
    /// of the venue directory.
    pub async fn venues_in_commune(
        &self,
        commune: u32,
        after: i64,
        limit: i64,
    ) -> DbResult<Vec<StoredVenue>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM venue WHERE commune = $1 AND id > $2 ORDER BY id LIMIT $3"
        )))
        .bind(commune as i32)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}
