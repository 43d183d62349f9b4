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
    // Tests and scripts read this exact first line to find an ephemeral port.
    println!("vaora-server listening on http://{}", server.addr);
    if let Some(path) = &server.first_token_file {
        println!(
            "first authority token written to {} (owner-only; read it, then delete the file)",
            path.display()
        );
    }
    tracing::info!(data_dir = %config.data_dir.display(), backend = ?server.db.backend, "ready");
    server
        .serve(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
