//! The server's venue-signing key: made on first start, kept owner-only in
//! the data directory. Its public half is published at `/v1/keys`.

use std::io::Write;
use std::path::Path;

use time::macros::date;
use vaora_core::venue_code::{KeyId, KeyRing, VenueIssuer};

const KEY_FILE: &str = "issuer.key";
/// This server's key id in the venue code (one issuer per server for now).
const KEY_ID: KeyId = KeyId(1);

pub fn load_or_create(data_dir: &Path) -> std::io::Result<VenueIssuer> {
    let path = data_dir.join(KEY_FILE);
    let seed = match std::fs::read_to_string(&path) {
        Ok(text) => data_encoding::HEXLOWER
            .decode(text.trim().as_bytes())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| std::io::Error::other(format!("{} is damaged", path.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| std::io::Error::other(e.to_string()))?;
            write_private(&path, &data_encoding::HEXLOWER.encode(&seed))?;
            seed
        }
        Err(e) => return Err(e),
    };
    Ok(VenueIssuer::from_seed(KEY_ID, &seed))
}

/// The key ring devices trust for this server's codes.
pub fn key_ring(issuer: &VenueIssuer) -> KeyRing {
    issuer.key_ring(date!(2020 - 01 - 01), date!(2099 - 12 - 31))
}

pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
