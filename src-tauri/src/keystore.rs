//! Where the journal key lives. The OS keystore when there is one; if it is
//! unavailable (a Linux desktop without a Secret Service, a CI machine), a
//! key file readable only by the user, and the app says the protection is
//! weaker. Never both: the key file is only read when the keystore has no
//! key, so a key is never silently replaced.

use std::path::Path;

use serde::Serialize;
use vaora_core::JournalKey;

const SERVICE: &str = "vn.vaora.checkin";
const ACCOUNT: &str = "journal-key";
pub const KEY_FILE: &str = "journal.key";

/// Shown in Settings ("encryption status").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyHome {
    /// In the OS keystore.
    Keystore,
    /// In a file beside the journal (owner-only permissions): protects a
    /// copied journal file, not a stolen unlocked account.
    File,
}

/// The journal key, made on first use.
pub fn journal_key(data_dir: &Path) -> std::io::Result<(JournalKey, KeyHome)> {
    if let Some(key) = os_keystore::get() {
        return Ok((key, KeyHome::Keystore));
    }
    let file = data_dir.join(KEY_FILE);
    if let Ok(hex) = std::fs::read_to_string(&file) {
        if let Some(key) = JournalKey::from_hex(&hex) {
            return Ok((key, KeyHome::File));
        }
        tracing::warn!("journal key file unreadable; a new key will be made");
    }
    let key = JournalKey::generate();
    if os_keystore::set(&key) {
        return Ok((key, KeyHome::Keystore));
    }
    write_private(&file, &key.to_hex())?;
    Ok((key, KeyHome::File))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
mod os_keystore {
    use vaora_core::JournalKey;

    fn entry() -> Option<keyring::Entry> {
        keyring::Entry::new(super::SERVICE, super::ACCOUNT).ok()
    }

    pub fn get() -> Option<JournalKey> {
        match entry()?.get_password() {
            Ok(hex) => JournalKey::from_hex(&hex),
            Err(keyring::Error::NoEntry) => None,
            Err(e) => {
                tracing::info!(error = %e, "OS keystore unavailable");
                None
            }
        }
    }

    pub fn set(key: &JournalKey) -> bool {
        let stored = entry().map(|e| e.set_password(&key.to_hex()));
        match stored {
            Some(Ok(())) => get().as_ref() == Some(key),
            Some(Err(e)) => {
                tracing::info!(error = %e, "OS keystore refused the key");
                false
            }
            None => false,
        }
    }
}

/// Android Keystore / iOS Keychain arrive with the mobile build; until then
/// mobile uses the app-private key file (the app sandbox protects it).
#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
mod os_keystore {
    use vaora_core::JournalKey;

    pub fn get() -> Option<JournalKey> {
        None
    }

    pub fn set(_key: &JournalKey) -> bool {
        false
    }
}
