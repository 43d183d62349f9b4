//! Starting the server: what `main` does, as a library function so that
//! end-to-end tests of the app can run the same server in their process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::db::{Db, Role, now_ms};
use crate::{AppState, ServerConfig, issuer, router};

/// How often the retention purge runs.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
const FIRST_TOKEN_FILE: &str = "authority-token.txt";

/// A bound, ready server; `serve` runs it.
pub struct Started {
    pub addr: SocketAddr,
    /// Set on the very first start: where the authority token was written.
    pub first_token_file: Option<PathBuf>,
    pub db: Db,
    listener: tokio::net::TcpListener,
    state: AppState,
    retention_days: u32,
}

/// Opens the database and keys and binds the listener.
pub async fn start(config: &ServerConfig) -> anyhow::Result<Started> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let db = Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    let issuer =
        issuer::load_or_create(&config.data_dir).context("cannot load the venue-signing key")?;
    let authority = issuer::load_or_create_authority(&config.data_dir)
        .context("cannot load the authority key")?;
    let first_token_file = first_authority_token(&db, config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    Ok(Started {
        addr: listener.local_addr()?,
        first_token_file,
        state: AppState {
            db: db.clone(),
            issuer: Arc::new(issuer),
            authority: Arc::new(authority),
            code_host: config.code_host.as_str().into(),
            limits: Arc::new(crate::limits::Limits::new(
                config.rate_per_minute,
                config.registrations_per_minute,
            )),
            sessions: Arc::default(),
        },
        db,
        listener,
        retention_days: config.retention_days,
    })
}

impl Started {
    /// Serves until `shutdown` completes, with the hourly retention purge.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let db = self.db.clone();
        let limits = self.state.limits.clone();
        let retention_ms = i64::from(self.retention_days) * 24 * 3600 * 1000;
        let purge = tokio::spawn(async move {
            loop {
                match db.purge_before(now_ms() - retention_ms).await {
                    Ok(n) => tracing::info!(visits = n, "retention purge"),
                    Err(e) => tracing::warn!(error = %e, "retention purge failed"),
                }
                limits.forget_idle();
                tokio::time::sleep(PURGE_EVERY).await;
            }
        });
        let app = router(self.state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        purge.abort();
        Ok(served?)
    }
}

/// On the very first start, an authority token is made and written to an
/// owner-only file (never printed: terminals and logs are not secret).
async fn first_authority_token(db: &Db, config: &ServerConfig) -> anyhow::Result<Option<PathBuf>> {
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
