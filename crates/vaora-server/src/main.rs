use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;
use vaora_server::db::{Db, Role, now_ms};
use vaora_server::{AppState, ServerConfig, issuer, router};

/// How often the retention purge runs.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
const FIRST_TOKEN_FILE: &str = "authority-token.txt";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let config = ServerConfig::parse();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let db = Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    let issuer =
        issuer::load_or_create(&config.data_dir).context("cannot load the venue-signing key")?;
    let first_token = first_authority_token(&db, &config).await?;

    let state = AppState {
        db: db.clone(),
        issuer: Arc::new(issuer),
        code_host: config.code_host.as_str().into(),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this exact first line to find an ephemeral port.
    println!("vaora-server listening on http://{addr}");
    if let Some(path) = first_token {
        println!(
            "first authority token written to {} (owner-only; read it, then delete the file)",
            path.display()
        );
    }
    tracing::info!(data_dir = %config.data_dir.display(), backend = ?db.backend, "ready");

    let retention_ms = i64::from(config.retention_days) * 24 * 3600 * 1000;
    tokio::spawn(async move {
        loop {
            match db.purge_before(now_ms() - retention_ms).await {
                Ok(n) => tracing::info!(visits = n, "retention purge"),
                Err(e) => tracing::warn!(error = %e, "retention purge failed"),
            }
            tokio::time::sleep(PURGE_EVERY).await;
        }
    });

    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// On the very first start, an authority token is made and written to an
/// owner-only file (never printed: terminals and logs are not secret).
async fn first_authority_token(
    db: &Db,
    config: &ServerConfig,
) -> anyhow::Result<Option<std::path::PathBuf>> {
    if db.has_authority().await? {
        return Ok(None);
    }
    let token = db.issue_token(Role::Authority, None).await?;
    let path = config.data_dir.join(FIRST_TOKEN_FILE);
    let _ = std::fs::remove_file(&path);
    issuer::write_private(&path, &format!("{token}\n"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Some(path))
}
