//! Devices: citizens' phones, and gate devices bound to one venue entrance.

use sqlx::Row;

use super::{Db, DbResult, now_ms};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Citizen,
    Gate,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Device {
    pub id: i64,
    pub kind: DeviceKind,
    pub venue_id: Option<i64>,
    pub entrance: Option<i32>,
}

impl Db {
    /// Registers a device; a gate is bound to `(venue, entrance)` for good.
    pub async fn register_device(
        &self,
        kind: DeviceKind,
        gate_of: Option<(i64, i32)>,
    ) -> DbResult<Device> {
        let code = match kind {
            DeviceKind::Citizen => "citizen",
            DeviceKind::Gate => "gate",
        };
        let row = sqlx::query(
            "INSERT INTO device (kind, venue_id, entrance, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(code)
        .bind(gate_of.map(|g| g.0))
        .bind(gate_of.map(|g| g.1))
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(Device {
            id: row.try_get(0)?,
            kind,
            venue_id: gate_of.map(|g| g.0),
            entrance: gate_of.map(|g| g.1),
        })
    }

    /// The venue entrance a gate device is bound to; `None` for a phone.
    pub async fn gate_of(&self, device_id: i64) -> DbResult<Option<(i64, i32)>> {
        let row =
            sqlx::query("SELECT venue_id, entrance FROM device WHERE id = $1 AND kind = 'gate'")
                .bind(device_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
            None => None,
        })
    }
}
