use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Runs with no set-up: loopback, an SQLite database and keys in a data
/// directory beside the working directory. Every option has a default.
#[derive(Debug, Clone, Parser)]
#[command(name = "vaora-server", version, about = "VaoRa reference back end")]
pub struct ServerConfig {
    /// Address to listen on. Use port 0 to let the system choose.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Directory for the SQLite database (unless --database says otherwise),
    /// the venue-signing key and the first authority token.
    #[arg(long, default_value = "vaora-server-data")]
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://…` or `postgres://…`. Default: an SQLite
    /// file in the data directory.
    #[arg(long)]
    pub database: Option<String>,
    /// Days visits are kept before the purge job removes them.
    #[arg(long, default_value_t = 21)]
    pub retention_days: u32,
    /// Requests a token may make per minute (bursts up to the same number).
    #[arg(long, default_value_t = 120)]
    pub rate_per_minute: u32,
    /// Device registrations one client address may make per minute.
    #[arg(long, default_value_t = 30)]
    pub registrations_per_minute: u32,
    /// Host name in printed venue codes (`HTTPS://HOST/V/…`).
    #[arg(long, default_value = vaora_core::venue_code::DEFAULT_HOST)]
    pub code_host: String,
}

impl ServerConfig {
    /// The defaults, on an ephemeral loopback port, with data in `data_dir`
    /// (tests and benchmarks that run the server in their own process).
    pub fn on_loopback(data_dir: &std::path::Path) -> ServerConfig {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_owned(),
            database: None,
            retention_days: 21,
            rate_per_minute: 120,
            registrations_per_minute: 30,
            code_host: vaora_core::venue_code::DEFAULT_HOST.to_owned(),
        }
    }

    pub fn database_url(&self) -> String {
        self.database.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("vaora.db").display()
            )
        })
    }
}
