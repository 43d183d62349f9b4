//! The personal pass: what a citizen shows at a gate instead of a phone
//! number and ID. PC-Covid's personal QR exposed name, ID and phone to anyone
//! with a camera; this one carries the declaration sealed to the health
//! authority's X25519 key (libsodium sealed box), plus only a first name and
//! the declaration date for the staff to read. The gate stores the sealed
//! blob and syncs it; only the server can open it.
//!
//! Text: `VRP:<BASE32>` (QR alphanumeric mode). Payload:
//! `version u8 | authority key id u8 | declared on u16 BE (days since
//! 2020-01-01) | first name length u8 | first name (UTF-8, NFC, ≤ 24 bytes) |
//! sealed box (≥ 48 bytes)`.

use crypto_box::PublicKey;
use crypto_box::aead::OsRng;
use data_encoding::BASE32_NOPAD;
use serde::Serialize;
use thiserror::Error;
use time::Date;
use unicode_normalization::UnicodeNormalization;

use crate::compact::{ReadError, Reader, date_from_days, days_since_epoch, put_short_text};
use crate::venue_code::{AuthorityKey, KeyId};

pub const PASS_PREFIX: &str = "VRP:";
pub const PASS_VERSION: u8 = 1;
pub const MAX_FIRST_NAME_BYTES: usize = 24;
const SEAL_OVERHEAD: usize = crypto_box::SEALBYTES;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalPass {
    pub authority_key: KeyId,
    pub declared_on: Date,
    /// The only personal data a gate can read.
    pub first_name: String,
    /// The declaration, readable only with the authority's private key.
    #[serde(skip)]
    pub sealed: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PassError {
    #[error("malformed personal pass: {0}")]
    Malformed(&'static str),
    #[error("personal pass version {0} is not supported")]
    UnsupportedVersion(u8),
    #[error("first name is {0} bytes, at most 24 fit")]
    NameTooLong(usize),
    #[error("declaration date out of range")]
    DateOutOfRange,
    #[error("could not seal the declaration")]
    Seal,
    #[error("the pass cannot be opened with this key")]
    Open,
}

impl PassError {
    pub fn message_key(&self) -> &'static str {
        match self {
            PassError::Malformed(_) => "pass.malformed",
            PassError::UnsupportedVersion(_) => "pass.unsupportedVersion",
            PassError::NameTooLong(_) => "pass.nameTooLong",
            PassError::DateOutOfRange => "pass.dateOutOfRange",
            PassError::Seal => "pass.seal",
            PassError::Open => "pass.open",
        }
    }
}

/// The given name of a Vietnamese full name: its last word ("Nguyễn Thị
/// Minh Khai" → "Khai"). Shown on the pass instead of the full name.
pub fn given_name(full_name: &str) -> &str {
    full_name.split_whitespace().last().unwrap_or("")
}

impl PersonalPass {
    /// Seals `declaration` (the serialised declaration) for the authority.
    pub fn seal(
        first_name: &str,
        declared_on: Date,
        authority: &AuthorityKey,
        declaration: &[u8],
    ) -> Result<PersonalPass, PassError> {
        let first_name: String = first_name.trim().nfc().collect();
        if first_name.len() > MAX_FIRST_NAME_BYTES {
            return Err(PassError::NameTooLong(first_name.len()));
        }
        days_since_epoch(declared_on).ok_or(PassError::DateOutOfRange)?;
        let sealed = PublicKey::from_bytes(authority.public_key)
            .seal(&mut OsRng, declaration)
            .map_err(|_| PassError::Seal)?;
        Ok(PersonalPass {
            authority_key: authority.id,
            declared_on,
            first_name,
            sealed,
        })
    }

    pub fn to_text(&self) -> String {
        let mut out = vec![PASS_VERSION, self.authority_key.0];
        // `seal` and `parse` both guarantee the date fits.
        let days = days_since_epoch(self.declared_on).unwrap_or_default();
        out.extend_from_slice(&days.to_be_bytes());
        put_short_text(&mut out, &self.first_name);
        out.extend_from_slice(&self.sealed);
        format!("{PASS_PREFIX}{}", BASE32_NOPAD.encode(&out))
    }

    /// `None` when `text` is not a pass at all; otherwise the pass or why it
    /// cannot be read. Never panics.
    pub fn parse(text: &str) -> Option<Result<PersonalPass, PassError>> {
        let text = text.trim();
        let head = text.get(..PASS_PREFIX.len())?;
        if !head.eq_ignore_ascii_case(PASS_PREFIX) {
            return None;
        }
        let token = text[PASS_PREFIX.len()..].to_ascii_uppercase();
        let Ok(bytes) = BASE32_NOPAD.decode(token.as_bytes()) else {
            return Some(Err(PassError::Malformed("not base32")));
        };
        Some(Self::read(&mut Reader::new(&bytes)).map_err(|e| match e {
            ReadError::Version(v) => PassError::UnsupportedVersion(v),
            ReadError::Malformed(why) => PassError::Malformed(why),
        }))
    }

    fn read(r: &mut Reader<'_>) -> Result<PersonalPass, ReadError> {
        let version = r.u8()?;
        if version != PASS_VERSION {
            return Err(ReadError::Version(version));
        }
        let authority_key = KeyId(r.u8()?);
        let declared_on = date_from_days(r.u16_be()?);
        let first_name = r.short_text(MAX_FIRST_NAME_BYTES)?.to_owned();
        let sealed = r.rest().to_vec();
        if sealed.len() <= SEAL_OVERHEAD {
            return Err(ReadError::Malformed("sealed declaration too short"));
        }
        Ok(PersonalPass {
            authority_key,
            declared_on,
            first_name,
            sealed,
        })
    }

    /// Server side: opens the sealed declaration with the authority's
    /// X25519 private key.
    #[cfg(any(test, feature = "issuer"))]
    pub fn open(&self, authority_secret: &[u8; 32]) -> Result<Vec<u8>, PassError> {
        crypto_box::SecretKey::from_bytes(*authority_secret)
            .unseal(&self.sealed)
            .map_err(|_| PassError::Open)
    }
}

/// The health authority's X25519 private key: only the server holds it.
/// Its public half goes into the key ring devices download, so a phone can
/// seal its pass offline.
#[cfg(any(test, feature = "issuer"))]
pub struct AuthoritySecret {
    pub id: KeyId,
    secret: [u8; 32],
}

#[cfg(any(test, feature = "issuer"))]
impl AuthoritySecret {
    pub fn from_bytes(id: KeyId, secret: [u8; 32]) -> Self {
        AuthoritySecret { id, secret }
    }

    pub fn public_key(&self) -> AuthorityKey {
        AuthorityKey {
            id: self.id,
            public_key: crypto_box::SecretKey::from_bytes(self.secret)
                .public_key()
                .to_bytes(),
        }
    }

    /// The declaration sealed in `pass`, if it was sealed for this key.
    pub fn open(&self, pass: &PersonalPass) -> Result<Vec<u8>, PassError> {
        if pass.authority_key != self.id {
            return Err(PassError::Open);
        }
        pass.open(&self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const SECRET: [u8; 32] = [42; 32];

    fn authority() -> AuthorityKey {
        AuthorityKey {
            id: KeyId(3),
            public_key: crypto_box::SecretKey::from_bytes(SECRET)
                .public_key()
                .to_bytes(),
        }
    }

    const DECLARATION: &[u8] =
        r#"{"name":"Nguyễn Thị Minh Khai","id":"079203001234","phone":"0901234567"}"#.as_bytes();

    #[test]
    fn a_gate_reads_only_the_first_name_and_date_and_the_server_opens_the_rest() {
        let pass = PersonalPass::seal(
            given_name("Nguyễn Thị Minh Khai"),
            date!(2026 - 11 - 25),
            &authority(),
            DECLARATION,
        )
        .unwrap();
        let text = pass.to_text();
        assert!(text.starts_with("VRP:"));
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':')
        );
        let scanned = PersonalPass::parse(&text).unwrap().unwrap();
        assert_eq!(scanned.first_name, "Khai");
        assert_eq!(scanned.declared_on, date!(2026 - 11 - 25));
        // Neither the ID nor the phone number is visible in the pass bytes.
        let raw = BASE32_NOPAD.decode(&text.as_bytes()[4..]).unwrap();
        for secret in [&b"079203001234"[..], b"0901234567", "Nguyễn".as_bytes()] {
            assert!(!raw.windows(secret.len()).any(|w| w == secret));
        }
        assert_eq!(scanned.open(&SECRET).unwrap(), DECLARATION);
        assert_eq!(scanned.open(&[1; 32]), Err(PassError::Open));
    }

    #[test]
    fn sealing_twice_gives_different_passes() {
        let a =
            PersonalPass::seal("Khai", date!(2026 - 11 - 25), &authority(), DECLARATION).unwrap();
        let b =
            PersonalPass::seal("Khai", date!(2026 - 11 - 25), &authority(), DECLARATION).unwrap();
        assert_ne!(
            a.sealed, b.sealed,
            "passes must not be linkable by their bytes"
        );
    }

    #[test]
    fn broken_passes_say_why_and_other_text_is_not_a_pass() {
        assert_eq!(PersonalPass::parse("hello"), None);
        assert_eq!(
            PersonalPass::parse("VRP:!!"),
            Some(Err(PassError::Malformed("not base32")))
        );
        assert!(matches!(
            PersonalPass::parse("VRP:AE"),
            Some(Err(PassError::Malformed(_)))
        ));
        assert!(matches!(
            PersonalPass::parse("VRP:AI"),
            Some(Err(PassError::UnsupportedVersion(2)))
        ));
    }

    proptest! {
        #[test]
        fn parsing_any_pass_text_never_panics(token in "[A-Z2-7]{0,200}") {
            let _ = PersonalPass::parse(&format!("VRP:{token}"));
        }
    }
}
