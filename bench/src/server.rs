//! The real server in a second process, so that a benchmark measures the
//! server's own memory and talks to it over loopback like a phone or the
//! authority's console would. A bench re-runs its own executable with
//! [`SERVER_ENV`] set; `main` starts with [`runtime_unless_serving`].

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use uuid::Uuid;
use vaora_server::ServerConfig;

/// Set in the child: `data-dir|database-url|retention-days` (the database
/// may be empty: SQLite in the data directory).
pub const SERVER_ENV: &str = "VAORA_BENCH_SERVER";

/// The benchmark's runtime; or, if this process was started as the
/// server, serves until killed and returns `None`.
pub fn runtime_unless_serving() -> Option<tokio::runtime::Runtime> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let Ok(spec) = std::env::var(SERVER_ENV) else {
        return Some(runtime);
    };
    let mut fields = spec.split('|');
    let (Some(dir), Some(database), Some(retention)) =
        (fields.next(), fields.next(), fields.next())
    else {
        panic!("{SERVER_ENV} is data-dir|database|retention-days");
    };
    let mut config = ServerConfig::on_loopback(Path::new(dir));
    config.database = (!database.is_empty()).then(|| database.to_owned());
    config.retention_days = retention.parse().expect("retention days");
    // Benchmarks load the server on purpose: the per-token budgets would
    // measure the limiter instead.
    config.rate_per_minute = 10_000_000;
    config.registrations_per_minute = 10_000_000;
    runtime.block_on(async {
        let server = vaora_server::serve::start(&config).await.expect("server");
        println!("{}", server.addr);
        server.serve(std::future::pending()).await.expect("serve");
    });
    None
}

/// A server child process, killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl ServerProcess {
    /// Starts the server on `data_dir` and `database` (`None`: SQLite in
    /// the data directory) and waits until it listens.
    pub fn spawn(data_dir: &Path, database: Option<&str>, retention_days: u32) -> ServerProcess {
        let spec = format!(
            "{}|{}|{retention_days}",
            data_dir.display(),
            database.unwrap_or_default()
        );
        let mut child = Command::new(std::env::current_exe().expect("self"))
            .env(SERVER_ENV, spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address");
        assert!(!line.trim().is_empty(), "the server did not start");
        ServerProcess {
            child,
            base: format!("http://{}", line.trim()),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's peak resident memory so far (VmHWM), as the kernel
    /// prints it, e.g. `18812 kB`.
    pub fn peak_memory(&self) -> String {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_owned()))
            })
            .unwrap_or_else(|| "unknown".into())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new, empty database on the Postgres server at `admin_url`; its URL.
pub async fn fresh_postgres(admin_url: &str) -> String {
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(admin_url).await.expect("postgres");
    let name = format!("vaora_bench_{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create database");
    let (base, _) = admin_url.rsplit_once('/').expect("database name in URL");
    format!("{base}/{name}")
}
