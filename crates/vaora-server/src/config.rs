use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Runs with no set-up: loopback, a data directory beside the working
/// directory. Every option has a default.
#[derive(Debug, Clone, Parser)]
#[command(name = "vaora-server", version, about = "VaoRa reference back end")]
pub struct ServerConfig {
    /// Address to listen on. Use port 0 to let the system choose.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Directory for the server's SQLite database and keys.
    #[arg(long, default_value = "vaora-server-data")]
    pub data_dir: PathBuf,
}
