//! The issuer keys a device trusts, and single posters withdrawn from use.
//! Shipped in `assets/trusted-keys.json`, replaced by sync.

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use super::SIGNING_CONTEXT;
use super::content::VenueCodeContent;
use super::error::VenueCodeError;
use crate::venue::{EntranceNo, VenueId};

/// One byte in the code: an issuer rotates keys, it does not run hundreds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeyId(pub u8);

time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerKey {
    pub id: KeyId,
    /// Ed25519 public key, 32 bytes, lowercase hex in JSON.
    #[serde(with = "crate::hex::array")]
    pub public_key: [u8; 32],
    /// First and last day (inclusive) on which codes of this key are valid.
    #[serde(with = "iso_date")]
    pub not_before: Date,
    #[serde(with = "iso_date")]
    pub not_after: Date,
    /// Rotation: posters issued on or after this day are refused; older
    /// posters stay valid until `not_after`. A compromised key is removed
    /// (or its `not_after` set in the past) instead.
    #[serde(with = "iso_date::option", default)]
    pub retired_on: Option<Date>,
}

/// One poster withdrawn: a venue entrance's code issued on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterRevocation {
    pub venue: VenueId,
    pub entrance: EntranceNo,
    #[serde(with = "iso_date")]
    pub issued_on: Date,
}

/// The health authority's X25519 key that personal passes are sealed to.
/// Only the server holds the private half.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityKey {
    pub id: KeyId,
    #[serde(with = "crate::hex::array")]
    pub public_key: [u8; 32],
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRing {
    pub keys: Vec<IssuerKey>,
    #[serde(default)]
    pub revoked_posters: Vec<PosterRevocation>,
    /// Newest last: new passes are sealed to the last key.
    #[serde(default)]
    pub authority_keys: Vec<AuthorityKey>,
}

#[derive(Debug, Error)]
pub enum KeyRingError {
    #[error("key ring is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("key {0:?} appears twice")]
    DuplicateKey(KeyId),
    #[error("key {0:?} is not a valid Ed25519 public key")]
    InvalidKey(KeyId),
    #[error("key {0:?} ends before it starts")]
    EmptyValidity(KeyId),
}

/// Why [`KeyRing::check_signed`] refused a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedCheck {
    /// Signed by a key this device does not trust (yet: sync may bring it).
    UnknownKey(KeyId),
    /// Altered or forged.
    BadSignature,
    /// The record's date is outside its key's validity, or on or after the
    /// day the key was retired.
    Expired,
}

impl KeyRing {
    /// Parses and checks a key ring (from `assets/` or from sync).
    pub fn from_json(json: &str) -> Result<KeyRing, KeyRingError> {
        let ring: KeyRing = serde_json::from_str(json)?;
        for (i, key) in ring.keys.iter().enumerate() {
            if ring.keys[..i].iter().any(|k| k.id == key.id) {
                return Err(KeyRingError::DuplicateKey(key.id));
            }
            if VerifyingKey::from_bytes(&key.public_key).is_err() {
                return Err(KeyRingError::InvalidKey(key.id));
            }
            if key.not_after < key.not_before {
                return Err(KeyRingError::EmptyValidity(key.id));
            }
        }
        Ok(ring)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The key new personal passes are sealed to, if the device has one.
    pub fn current_authority_key(&self) -> Option<&AuthorityKey> {
        self.authority_keys.last()
    }

    pub fn key(&self, id: KeyId) -> Option<&IssuerKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// Checks a signed record that is not a venue code (a risky-venue
    /// entry, a directory entry): the key is known, the signature over
    /// `context` ‖ `bytes` is valid, then the key was valid on `day` (the
    /// record's own date) and not retired by then. Forgery is checked
    /// first, so a forged record is always reported as forged.
    pub fn check_signed(
        &self,
        key_id: KeyId,
        context: &[u8],
        bytes: &[u8],
        signature: &[u8; 64],
        day: Date,
    ) -> Result<(), SignedCheck> {
        let key = self.key(key_id).ok_or(SignedCheck::UnknownKey(key_id))?;
        let verifying =
            VerifyingKey::from_bytes(&key.public_key).map_err(|_| SignedCheck::BadSignature)?;
        let mut message = Vec::with_capacity(context.len() + bytes.len());
        message.extend_from_slice(context);
        message.extend_from_slice(bytes);
        verifying
            .verify_strict(&message, &Signature::from_bytes(signature))
            .map_err(|_| SignedCheck::BadSignature)?;
        let retired = key.retired_on.is_some_and(|r| day >= r);
        if day < key.not_before || day > key.not_after || retired {
            return Err(SignedCheck::Expired);
        }
        Ok(())
    }

    /// Checks a code's signature, then its key's validity on `today`, then
    /// revocation. The signature comes first so that a forged code is always
    /// reported as forged, never as "expired" or "revoked".
    pub fn verify(
        &self,
        content: &VenueCodeContent,
        signed_bytes: &[u8],
        signature: &[u8; 64],
        today: Date,
    ) -> Result<(), VenueCodeError> {
        self.verify_in_context(SIGNING_CONTEXT, content, signed_bytes, signature, today)
    }

    /// [`KeyRing::verify`] for a signature made in another context (a gate
    /// certificate signs the venue code's content and the gate's key).
    pub(crate) fn verify_in_context(
        &self,
        context: &[u8],
        content: &VenueCodeContent,
        signed_bytes: &[u8],
        signature: &[u8; 64],
        today: Date,
    ) -> Result<(), VenueCodeError> {
        let key = self
            .key(content.key_id)
            .ok_or(VenueCodeError::UnknownKey(content.key_id))?;
        let verifying =
            VerifyingKey::from_bytes(&key.public_key).map_err(|_| VenueCodeError::BadSignature)?;
        let mut message = Vec::with_capacity(context.len() + signed_bytes.len());
        message.extend_from_slice(context);
        message.extend_from_slice(signed_bytes);
        verifying
            .verify_strict(&message, &Signature::from_bytes(signature))
            .map_err(|_| VenueCodeError::BadSignature)?;
        let in_validity = |d: Date| key.not_before <= d && d <= key.not_after;
        let issued_after_retirement = key.retired_on.is_some_and(|r| content.issued_on >= r);
        if !in_validity(today) || !in_validity(content.issued_on) || issued_after_retirement {
            return Err(VenueCodeError::Expired);
        }
        let revoked = self.revoked_posters.iter().any(|r| {
            r.venue == content.venue
                && r.entrance == content.entrance
                && r.issued_on == content.issued_on
        });
        if revoked {
            return Err(VenueCodeError::Revoked);
        }
        Ok(())
    }
}
