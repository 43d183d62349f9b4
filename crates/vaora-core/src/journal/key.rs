//! The journal's encryption key (SQLCipher, 256-bit raw key). Made on first
//! start and kept by the app shell in the OS keystore; core only uses it.

use crypto_box::aead::OsRng;
use crypto_box::aead::rand_core::RngCore;
use data_encoding::HEXLOWER_PERMISSIVE;
use rusqlite::Connection;

#[derive(Clone, PartialEq, Eq)]
pub struct JournalKey([u8; 32]);

impl JournalKey {
    pub fn generate() -> JournalKey {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        JournalKey(key)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> JournalKey {
        JournalKey(bytes)
    }

    /// 64 hex digits, as keystores store it.
    pub fn to_hex(&self) -> String {
        HEXLOWER_PERMISSIVE.encode(&self.0)
    }

    pub fn from_hex(hex: &str) -> Option<JournalKey> {
        let bytes = HEXLOWER_PERMISSIVE.decode(hex.trim().as_bytes()).ok()?;
        Some(JournalKey(bytes.try_into().ok()?))
    }

    /// Must be the first statement on a new connection.
    pub(super) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        // Raw-key syntax: no key derivation, the key is already random.
        // The hex is ours, never user input.
        // SQLCipher's own log goes to stderr; failures reach ours as errors.
        conn.execute_batch(&format!(
            "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\";",
            self.to_hex()
        ))
    }
}

impl std::fmt::Debug for JournalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JournalKey(…)")
    }
}
