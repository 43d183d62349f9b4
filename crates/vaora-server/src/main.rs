use std::io::Write;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use vaora_server::{ServerConfig, serve};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let config = ServerConfig::parse();
    let server = serve::start(&config).await?;
    // Tests and scripts read this exact first line to find an ephemeral
    // port. One write, and a closed stdout (a reader that left after that
    // line) is not a reason to stop serving.
    let mut banner = format!("vaora-server listening on http://{}\n", server.addr);
    if let Some(path) = &server.first_token_file {
        banner.push_str(&format!(
            "first authority token written to {} (owner-only; read it, then delete the file)\n",
            path.display()
        ));
    }
    banner.push_str(&format!(
        "health authority console: http://{}/console (sign in with the authority token)\n",
        server.addr
    ));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush());
    drop(stdout);
    tracing::info!(data_dir = %config.data_dir.display(), backend = ?server.db.backend, "ready");
    server
        .serve(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
