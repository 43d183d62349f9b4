//! Bearer tokens. A token is 32 random bytes shown once, as hex; the
//! database keeps only its SHA-256, so a copy of the database grants
//! nothing.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Db, DbResult, now_ms};

/// What a token may do. Checked on every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Health authority: risky venues, tracing, statistics, and all a
    /// registrar may do.
    Authority,
    /// Registers venues and prints their posters; binds gate devices.
    Registrar,
    /// A phone or a gate: syncs its own records.
    Device,
}

impl Role {
    fn code(self) -> &'static str {
        match self {
            Role::Authority => "authority",
            Role::Registrar => "registrar",
            Role::Device => "device",
        }
    }

    fn from_code(code: &str) -> Option<Role> {
        Some(match code {
            "authority" => Role::Authority,
            "registrar" => Role::Registrar,
            "device" => Role::Device,
            _ => return None,
        })
    }
}

/// Who a presented token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenOwner {
    pub role: Role,
    pub device_id: Option<i64>,
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new random token, as the hex text the client keeps.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source cannot fail on the platforms the server runs on;
    // if it ever did, a panic is better than a guessable token.
    getrandom::fill(&mut bytes).expect("OS random source");
    data_encoding::HEXLOWER.encode(&bytes)
}

impl Db {
    /// Stores a new token for `role` (and `device_id` for a device) and
    /// returns its text, which is never stored.
    pub async fn issue_token(&self, role: Role, device_id: Option<i64>) -> DbResult<String> {
        let token = new_token();
        sqlx::query(
            "INSERT INTO token (hash, role, device_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash(&token))
        .bind(role.code())
        .bind(device_id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    pub async fn token_owner(&self, token: &str) -> DbResult<Option<TokenOwner>> {
        let row = sqlx::query("SELECT role, device_id FROM token WHERE hash = $1")
            .bind(hash(token))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| {
            let role: String = r.try_get(0).ok()?;
            Some(TokenOwner {
                role: Role::from_code(&role)?,
                device_id: r.try_get(1).ok()?,
            })
        }))
    }

    /// Whether any authority token exists (the first start makes one).
    pub async fn has_authority(&self) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM token WHERE role = 'authority'")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
