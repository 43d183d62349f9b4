//! The signed venue directory: the full name and address of each
//! registered checkpoint, which the venue code has no room for (it carries
//! a short name of at most 32 bytes). Sync brings the entries of the
//! communes a user has visited; each is signed on its own by an issuer key
//! in a context of its own, so one bad entry is dropped and the rest used,
//! and a directory signature can never pass for a venue code.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use crate::venue::{CommuneCode, VenueId, VenueKind};
use crate::venue_code::{KeyId, KeyRing, SignedCheck};

/// Domain separation from venue codes, gate certificates and risky entries.
pub const DIRECTORY_ENTRY_CONTEXT: &[u8] = b"VaoRa venue directory v1\0";

/// First byte of the signed bytes; a later format changes it.
const FORMAT_VERSION: u8 = 1;

/// A checkpoint as its registrar entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub venue: VenueId,
    pub name: String,
    pub address: String,
    pub commune: CommuneCode,
    pub kind: VenueKind,
    pub default_stay_minutes: u16,
    pub entrances: u16,
    /// The day (Vietnam) it was registered: its key must be valid then.
    #[serde(with = "crate::venue_code::iso_date")]
    pub registered_on: Date,
}

/// One entry as published: its fields, the key that signed it and the
/// signature over [`DirectoryEntry::signed_bytes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDirectoryEntry {
    pub key_id: KeyId,
    #[serde(flatten)]
    pub entry: DirectoryEntry,
    #[serde(with = "crate::hex::array")]
    pub signature: [u8; 64],
}

/// One page of a commune's directory, as downloaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueDirectory {
    pub entries: Vec<SignedDirectoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DirectoryError {
    #[error("directory entry signed by unknown key {0:?}")]
    UnknownKey(KeyId),
    #[error("directory entry signature is not valid")]
    BadSignature,
    #[error("directory entry's key is not valid on its registration day")]
    Expired,
    #[error("malformed directory entry: {0}")]
    Malformed(&'static str),
}

fn text_field(out: &mut Vec<u8>, text: &str) -> Result<(), DirectoryError> {
    let len = u32::try_from(text.len()).map_err(|_| DirectoryError::Malformed("text too long"))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

impl DirectoryEntry {
    /// The canonical bytes the signature covers (integers big-endian):
    /// version u8, key id u8, venue u64, commune u32, kind u8, default stay
    /// u16, entrances u16, registration day i32 (Julian day), then name and
    /// address each as u32 length + UTF-8.
    pub fn signed_bytes(&self, key_id: KeyId) -> Result<Vec<u8>, DirectoryError> {
        let mut out = Vec::with_capacity(40 + self.name.len() + self.address.len());
        out.push(FORMAT_VERSION);
        out.push(key_id.0);
        out.extend_from_slice(&self.venue.0.to_be_bytes());
        out.extend_from_slice(&self.commune.0.to_be_bytes());
        out.push(self.kind.code());
        out.extend_from_slice(&self.default_stay_minutes.to_be_bytes());
        out.extend_from_slice(&self.entrances.to_be_bytes());
        out.extend_from_slice(&self.registered_on.to_julian_day().to_be_bytes());
        text_field(&mut out, &self.name)?;
        text_field(&mut out, &self.address)?;
        Ok(out)
    }
}

impl SignedDirectoryEntry {
    pub fn verify(&self, ring: &KeyRing) -> Result<&DirectoryEntry, DirectoryError> {
        let bytes = self.entry.signed_bytes(self.key_id)?;
        ring.check_signed(
            self.key_id,
            DIRECTORY_ENTRY_CONTEXT,
            &bytes,
            &self.signature,
            self.entry.registered_on,
        )
        .map_err(|check| match check {
            SignedCheck::UnknownKey(id) => DirectoryError::UnknownKey(id),
            SignedCheck::BadSignature => DirectoryError::BadSignature,
            SignedCheck::Expired => DirectoryError::Expired,
        })?;
        Ok(&self.entry)
    }
}

/// A downloaded page after verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifiedDirectory {
    pub entries: Vec<DirectoryEntry>,
    /// How many entries were refused (logged, never used).
    pub refused: usize,
}

impl VerifiedDirectory {
    /// The highest verified venue number: the commune's next cursor.
    /// Refused entries do not count, so a forged huge number cannot make
    /// the device skip real venues.
    pub fn cursor(&self) -> Option<u64> {
        self.entries.iter().map(|e| e.venue.0).max()
    }
}

impl VenueDirectory {
    pub fn verify(&self, ring: &KeyRing) -> VerifiedDirectory {
        let mut out = VerifiedDirectory::default();
        for signed in &self.entries {
            match signed.verify(ring) {
                Ok(entry) => out.entries.push(entry.clone()),
                Err(error) => {
                    tracing::warn!(%error, "venue directory entry refused");
                    out.refused += 1;
                }
            }
        }
        out
    }
}

/// Signs one entry with `issuer`'s key (server and tests only).
#[cfg(any(test, feature = "issuer"))]
pub fn sign_directory_entry(
    issuer: &crate::venue_code::VenueIssuer,
    entry: DirectoryEntry,
) -> Result<SignedDirectoryEntry, DirectoryError> {
    let key_id = issuer.key_id();
    let bytes = entry.signed_bytes(key_id)?;
    let signature = issuer.sign_with_context(DIRECTORY_ENTRY_CONTEXT, &bytes);
    Ok(SignedDirectoryEntry {
        key_id,
        entry,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue_code::VenueIssuer;
    use time::macros::date;

    fn issuer() -> VenueIssuer {
        VenueIssuer::from_seed(KeyId(1), &[7; 32])
    }

    fn ring() -> KeyRing {
        issuer().key_ring(date!(2026 - 01 - 01), date!(2030 - 12 - 31))
    }

    fn entry(venue: u64) -> DirectoryEntry {
        DirectoryEntry {
            venue: VenueId(venue),
            name: "Bệnh viện Bạch Mai — Khoa Khám bệnh theo yêu cầu".into(),
            address: "78 Giải Phóng, Phường Kim Liên, Thành phố Hà Nội".into(),
            commune: CommuneCode(172),
            kind: VenueKind::Hospital,
            default_stay_minutes: 120,
            entrances: 2,
            registered_on: date!(2026 - 11 - 20),
        }
    }

    #[test]
    fn a_signed_entry_survives_json_and_verifies() {
        let signed = sign_directory_entry(&issuer(), entry(5)).unwrap();
        let json = serde_json::to_string(&VenueDirectory {
            entries: vec![signed],
        })
        .unwrap();
        let page: VenueDirectory = serde_json::from_str(&json).unwrap();
        let verified = page.verify(&ring());
        assert_eq!(verified.entries, vec![entry(5)]);
        assert_eq!(verified.refused, 0);
        assert_eq!(verified.cursor(), Some(5));
    }

    #[test]
    fn an_altered_or_foreign_entry_is_refused_and_cannot_move_the_cursor() {
        let good = sign_directory_entry(&issuer(), entry(5)).unwrap();
        let mut renamed = sign_directory_entry(&issuer(), entry(6)).unwrap();
        renamed.entry.address = "Somewhere else".into();
        let mut huge = sign_directory_entry(&issuer(), entry(7)).unwrap();
        huge.entry.venue = VenueId(u64::MAX);
        let stranger = VenueIssuer::from_seed(KeyId(9), &[8; 32]);
        let foreign = sign_directory_entry(&stranger, entry(8)).unwrap();
        let verified = VenueDirectory {
            entries: vec![good, renamed.clone(), huge, foreign.clone()],
        }
        .verify(&ring());
        assert_eq!(verified.entries, vec![entry(5)]);
        assert_eq!(verified.refused, 3);
        assert_eq!(verified.cursor(), Some(5));
        assert_eq!(renamed.verify(&ring()), Err(DirectoryError::BadSignature));
        assert_eq!(
            foreign.verify(&ring()),
            Err(DirectoryError::UnknownKey(KeyId(9)))
        );
    }

    #[test]
    fn a_directory_signature_is_not_a_risky_entry_signature() {
        // Same key, same bytes, other context: refused.
        let signed = sign_directory_entry(&issuer(), entry(5)).unwrap();
        let bytes = entry(5).signed_bytes(KeyId(1)).unwrap();
        let as_risky = ring().check_signed(
            KeyId(1),
            crate::risk::RISKY_ENTRY_CONTEXT,
            &bytes,
            &signed.signature,
            date!(2026 - 11 - 20),
        );
        assert_eq!(as_risky, Err(SignedCheck::BadSignature));
    }

    #[test]
    fn an_entry_registered_outside_its_keys_validity_is_refused() {
        let mut early = entry(5);
        early.registered_on = date!(2025 - 12 - 31);
        let signed = sign_directory_entry(&issuer(), early).unwrap();
        assert_eq!(signed.verify(&ring()), Err(DirectoryError::Expired));
    }
}
