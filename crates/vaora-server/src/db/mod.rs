//! Storage: one query layer over SQLite (out of the box) and PostgreSQL (at
//! national scale), through sqlx's `Any` driver. The schemas differ only
//! where the engines do (`migrations/sqlite`, `migrations/postgres`:
//! Postgres partitions visits by day); every query here runs on both, and
//! `tests/storage.rs` runs one suite against both.
//!
//! Conventions: times are Unix milliseconds (`BIGINT`), client-made ids are
//! 16-byte UUIDs (`BLOB`/`BYTEA`), placeholders are `$1, $2, …`.

mod activity;
mod contacts;
mod devices;
mod ingest;
mod partitions;
mod risky;
mod tokens;
mod venues;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, SqlSafeStr};
use thiserror::Error;

pub use activity::{VenueDay, VenueSummary, date_day, day_date, vietnam_day};
pub use contacts::Contact;
pub use devices::{Device, DeviceKind};
pub use risky::NewRiskyEntry;
pub use tokens::{Role, TokenOwner, new_token};
pub use venues::{NewVenue, StoredVenue};

/// The migrations of each engine, embedded in the binary. Built by hand
/// rather than with `sqlx::migrate!`: the macro would compile a second,
/// plain SQLite for the host, which the linker could pick instead of the
/// journal's SQLCipher (it did, in CI).
fn migrator(backend: Backend) -> Migrator {
    let files: [(i64, &str, &'static str); 5] = match backend {
        Backend::Sqlite => [
            (
                1,
                "init",
                include_str!("../../migrations/sqlite/0001_init.sql"),
            ),
            (
                2,
                "declarations",
                include_str!("../../migrations/sqlite/0002_declarations.sql"),
            ),
            (
                3,
                "gate entries",
                include_str!("../../migrations/sqlite/0003_gate_entries.sql"),
            ),
            (
                4,
                "risky entries",
                include_str!("../../migrations/sqlite/0004_risky_entries.sql"),
            ),
            (
                5,
                "scan counts",
                include_str!("../../migrations/sqlite/0005_scan_counts.sql"),
            ),
        ],
        Backend::Postgres => [
            (
                1,
                "init",
                include_str!("../../migrations/postgres/0001_init.sql"),
            ),
            (
                2,
                "declarations",
                include_str!("../../migrations/postgres/0002_declarations.sql"),
            ),
            (
                3,
                "gate entries",
                include_str!("../../migrations/postgres/0003_gate_entries.sql"),
            ),
            (
                4,
                "risky entries",
                include_str!("../../migrations/postgres/0004_risky_entries.sql"),
            ),
            (
                5,
                "scan counts",
                include_str!("../../migrations/postgres/0005_scan_counts.sql"),
            ),
        ],
    };
    Migrator::with_migrations(
        files
            .into_iter()
            .map(|(version, description, sql)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type DbResult<T> = Result<T, DbError>;

/// The server's database: a connection pool and which engine it is.
#[derive(Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub backend: Backend,
    partitions: std::sync::Arc<partitions::Known>,
}

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> DbResult<Db> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let pool = match backend {
            // One writer at a time is SQLite's nature; a small pool of
            // readers beside it. WAL and a busy timeout come with the URL.
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?
            }
        };
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        migrator(backend).run(&pool).await?;
        Ok(Db {
            pool,
            backend,
            partitions: Default::default(),
        })
    }
}

impl Db {
    /// A transaction that will write. SQLite's must take the write lock at
    /// once (`BEGIN IMMEDIATE`): a deferred one that reads first cannot
    /// upgrade while another device's batch commits, and fails at once
    /// instead of waiting its turn (found by the ingest benchmark; tested by
    /// `many_devices_syncing_at_once_all_succeed`).
    pub(crate) async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}
