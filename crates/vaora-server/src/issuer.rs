//! The server's keys, made on first start and kept owner-only in the data
//! directory: the venue-signing key (Ed25519) and the authority key
//! personal passes are sealed to (X25519). Their public halves are
//! published at `/v1/keys`.

use std::io::Write;
use std::path::Path;

use time::macros::date;
use vaora_core::personal_pass::AuthoritySecret;
use vaora_core::venue_code::{KeyId, KeyRing, VenueIssuer};

const KEY_FILE: &str = "issuer.key";
const AUTHORITY_KEY_FILE: &str = "authority.key";
/// This server's key id in the venue code (one issuer per server for now).
const KEY_ID: KeyId = KeyId(1);
/// The id of the key personal passes are sealed to.
const AUTHORITY_KEY_ID: KeyId = KeyId(1);

/// 32 random bytes kept hex-encoded in an owner-only file: made on first
/// start, read on every later one, never replaced (a new key would orphan
/// every code or pass made with the old one).
fn load_or_create_secret(path: &Path) -> std::io::Result<[u8; 32]> {
    match std::fs::read_to_string(path) {
        Ok(text) => vaora_core::hex::decode_array(&text)
            .ok_or_else(|| std::io::Error::other(format!("{} is damaged", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| std::io::Error::other(e.to_string()))?;
            write_private(path, &vaora_core::hex::encode(&seed))?;
            Ok(seed)
        }
        Err(e) => Err(e),
    }
}

pub fn load_or_create(data_dir: &Path) -> std::io::Result<VenueIssuer> {
    let seed = load_or_create_secret(&data_dir.join(KEY_FILE))?;
    Ok(VenueIssuer::from_seed(KEY_ID, &seed))
}

/// The key personal passes are sealed to (X25519).
pub fn load_or_create_authority(data_dir: &Path) -> std::io::Result<AuthoritySecret> {
    let secret = load_or_create_secret(&data_dir.join(AUTHORITY_KEY_FILE))?;
    Ok(AuthoritySecret::from_bytes(AUTHORITY_KEY_ID, secret))
}

/// The key ring devices trust: this server's venue-signing key, and the
/// authority key their passes are sealed to.
pub fn key_ring(issuer: &VenueIssuer, authority: &AuthoritySecret) -> KeyRing {
    KeyRing {
        authority_keys: vec![authority.public_key()],
        ..issuer.key_ring(date!(2020 - 01 - 01), date!(2099 - 12 - 31))
    }
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
