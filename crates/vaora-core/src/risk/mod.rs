//! Risky venues (exposure alerts, issue #11; decision 0008).
//!
//! The health authority publishes "a case was at venue V (entrance E) during
//! [from, to)". Every phone downloads the same list and matches it against
//! its own journal on the device, so the download reveals nothing about
//! anyone's visits.
//!
//! Each entry is signed on its own by an issuer key from the device's
//! [`KeyRing`], in a signing context of its own, so a forged or corrupted
//! entry is dropped and reported while the rest of the list is still used.
//! `matching` holds the overlap rule.

mod matching;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::OffsetDateTime;

use crate::calendar::vietnam_date;
use crate::venue::{EntranceNo, VenueId};
use crate::venue_code::{KeyId, KeyRing, SignedCheck};

pub use matching::{Exposure, UNCLOSED_STAY, exposures};

/// Domain separation: a risky-entry signature can never be replayed as a
/// venue code, gate certificate or anything else the same key signs.
pub const RISKY_ENTRY_CONTEXT: &[u8] = b"VaoRa risky venue v1\0";

/// First byte of the signed bytes: a later format changes it, so an old app
/// reports "update the app" instead of misreading.
const FORMAT_VERSION: u8 = 1;

/// "A case was at this venue (this entrance, if named) during [from, to)."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskyEntry {
    /// Server-assigned and increasing: the device asks for entries after
    /// the highest id it has (the list's cursor).
    pub id: u64,
    pub venue: VenueId,
    /// `None`: the whole venue.
    pub entrance: Option<EntranceNo>,
    /// Whole seconds: the signed bytes carry Unix seconds.
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
    pub advice_vi: String,
    pub advice_en: String,
}

/// One entry as published: its fields, the key that signed it and the
/// signature over [`RiskyEntry`]'s canonical bytes. The JSON stays readable;
/// the bytes are rebuilt from the fields to check the signature, so there is
/// nothing to parse twice and nothing that can disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRiskyEntry {
    pub key_id: KeyId,
    #[serde(flatten)]
    pub entry: RiskyEntry,
    /// Ed25519 over `RISKY_ENTRY_CONTEXT` ‖ canonical bytes, hex.
    #[serde(with = "crate::hex::array")]
    pub signature: [u8; 64],
}

/// The list as downloaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskyList {
    pub entries: Vec<SignedRiskyEntry>,
}

/// Why one entry of a list is not used. Each has a message key for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RiskError {
    /// Signed by a key this device does not trust (yet: sync may bring it).
    #[error("risky venue entry signed by unknown key {0:?}")]
    UnknownKey(KeyId),
    /// The signature does not match: altered or forged.
    #[error("risky venue entry signature is not valid")]
    BadSignature,
    /// The entry's start day is outside its key's validity, or on or after
    /// the day the key was retired.
    #[error("risky venue entry's key is not valid for its dates")]
    Expired,
    /// Fields the format cannot carry or that make no sense (an empty
    /// window, a fraction of a second).
    #[error("malformed risky venue entry: {0}")]
    Malformed(&'static str),
}

impl RiskError {
    pub fn message_key(&self) -> &'static str {
        match self {
            RiskError::UnknownKey(_) => "risk.unknownKey",
            RiskError::BadSignature => "risk.badSignature",
            RiskError::Expired => "risk.expired",
            RiskError::Malformed(_) => "risk.malformed",
        }
    }
}

impl RiskyEntry {
    /// The canonical bytes the signature covers (all integers big-endian):
    /// version u8, key id u8, id u64, venue u64, entrance flag u8 (0 whole
    /// venue, 1 then entrance u16), from i64 and to i64 (Unix seconds),
    /// then each advice as u32 length + UTF-8. Fixed-width fields and length
    /// prefixes give every entry exactly one byte form.
    pub fn signed_bytes(&self, key_id: KeyId) -> Result<Vec<u8>, RiskError> {
        if self.from.nanosecond() != 0 || self.to.nanosecond() != 0 {
            return Err(RiskError::Malformed("times must be whole seconds"));
        }
        let vi_len = u32::try_from(self.advice_vi.len())
            .map_err(|_| RiskError::Malformed("advice too long"))?;
        let en_len = u32::try_from(self.advice_en.len())
            .map_err(|_| RiskError::Malformed("advice too long"))?;
        let mut out = Vec::with_capacity(48 + self.advice_vi.len() + self.advice_en.len());
        out.push(FORMAT_VERSION);
        out.push(key_id.0);
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&self.venue.0.to_be_bytes());
        match self.entrance {
            None => out.push(0),
            Some(e) => {
                out.push(1);
                out.extend_from_slice(&e.0.to_be_bytes());
            }
        }
        out.extend_from_slice(&self.from.unix_timestamp().to_be_bytes());
        out.extend_from_slice(&self.to.unix_timestamp().to_be_bytes());
        out.extend_from_slice(&vi_len.to_be_bytes());
        out.extend_from_slice(self.advice_vi.as_bytes());
        out.extend_from_slice(&en_len.to_be_bytes());
        out.extend_from_slice(self.advice_en.as_bytes());
        Ok(out)
    }
}

impl SignedRiskyEntry {
    /// Checks the entry against the device's key ring, in the same order as
    /// a venue code (`docs/venue-code.md`): unknown key, then the signature,
    /// so a forgery is always reported as forged and never as "expired",
    /// then the key's validity on the entry's start day (Vietnam's date).
    pub fn verify(&self, ring: &KeyRing) -> Result<&RiskyEntry, RiskError> {
        let bytes = self.entry.signed_bytes(self.key_id)?;
        // An entry has no issue date; its start day stands in for it. An
        // entry starting on or after the key's retirement was necessarily
        // signed after it, which a retired key must not do.
        let day = vietnam_date(self.entry.from);
        ring.check_signed(
            self.key_id,
            RISKY_ENTRY_CONTEXT,
            &bytes,
            &self.signature,
            day,
        )
        .map_err(|check| match check {
            SignedCheck::UnknownKey(id) => RiskError::UnknownKey(id),
            SignedCheck::BadSignature => RiskError::BadSignature,
            SignedCheck::Expired => RiskError::Expired,
        })?;
        // Signed does not mean sensible: an empty window would never match,
        // and saying so helps whoever publishes it.
        if self.entry.to <= self.entry.from {
            return Err(RiskError::Malformed("window ends before it starts"));
        }
        Ok(&self.entry)
    }
}

/// One entry that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedEntry {
    /// As claimed by the entry: unauthenticated, for reporting only.
    pub id: u64,
    pub error: RiskError,
}

/// A downloaded list after verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifiedRiskyList {
    pub entries: Vec<RiskyEntry>,
    pub rejected: Vec<RejectedEntry>,
}

impl VerifiedRiskyList {
    /// The highest verified id, to ask for entries after next time. Rejected
    /// entries do not count: a forged entry with a huge id would otherwise
    /// make the device skip every real entry below it.
    pub fn cursor(&self) -> Option<u64> {
        self.entries.iter().map(|e| e.id).max()
    }
}

impl RiskyList {
    /// Verifies every entry on its own: one forged or corrupted entry is
    /// rejected and reported, the others are still used.
    pub fn verify(&self, ring: &KeyRing) -> VerifiedRiskyList {
        let mut out = VerifiedRiskyList::default();
        for signed in &self.entries {
            match signed.verify(ring) {
                Ok(entry) => out.entries.push(entry.clone()),
                Err(error) => {
                    tracing::warn!(id = signed.entry.id, %error, "risky venue entry rejected");
                    out.rejected.push(RejectedEntry {
                        id: signed.entry.id,
                        error,
                    });
                }
            }
        }
        out
    }
}

/// Signs one entry with `issuer`'s key (server and tests only).
#[cfg(any(test, feature = "issuer"))]
pub fn sign_risky_entry(
    issuer: &crate::venue_code::VenueIssuer,
    entry: RiskyEntry,
) -> Result<SignedRiskyEntry, RiskError> {
    let key_id = issuer.key_id();
    // Refuse here what every device would refuse, so the issuer finds out
    // before publishing.
    if entry.to <= entry.from {
        return Err(RiskError::Malformed("window ends before it starts"));
    }
    let bytes = entry.signed_bytes(key_id)?;
    let signature = issuer.sign_with_context(RISKY_ENTRY_CONTEXT, &bytes);
    Ok(SignedRiskyEntry {
        key_id,
        entry,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue_code::VenueIssuer;
    use time::macros::{date, datetime};

    const SEED: [u8; 32] = [7; 32];

    fn issuer() -> VenueIssuer {
        VenueIssuer::from_seed(KeyId(1), &SEED)
    }

    fn ring() -> KeyRing {
        issuer().key_ring(date!(2026 - 01 - 01), date!(2030 - 12 - 31))
    }

    fn entry(id: u64) -> RiskyEntry {
        RiskyEntry {
            id,
            venue: VenueId(123_456),
            entrance: Some(EntranceNo(2)),
            from: datetime!(2026-11-20 08:00 +7),
            to: datetime!(2026-11-20 10:30 +7),
            advice_vi: "Theo dõi sức khỏe 14 ngày.".into(),
            advice_en: "Monitor your health for 14 days.".into(),
        }
    }

    #[test]
    fn a_signed_entry_verifies_and_survives_json() {
        let signed = sign_risky_entry(&issuer(), entry(1)).unwrap();
        let json = serde_json::to_string(&RiskyList {
            entries: vec![signed.clone()],
        })
        .unwrap();
        let list: RiskyList = serde_json::from_str(&json).unwrap();
        assert_eq!(list.entries, vec![signed]);
        let verified = list.verify(&ring());
        assert_eq!(verified.entries, vec![entry(1)]);
        assert!(verified.rejected.is_empty());
        assert_eq!(verified.cursor(), Some(1));
    }

    #[test]
    fn a_forged_entry_is_rejected_and_the_others_still_used() {
        let mut forged = sign_risky_entry(&issuer(), entry(2)).unwrap();
        // Moving the window is exactly what a forger would want to do.
        forged.entry.from += time::Duration::hours(1);
        let list = RiskyList {
            entries: vec![
                sign_risky_entry(&issuer(), entry(1)).unwrap(),
                forged,
                sign_risky_entry(&issuer(), entry(3)).unwrap(),
            ],
        };
        let verified = list.verify(&ring());
        assert_eq!(
            verified.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(
            verified.rejected,
            vec![RejectedEntry {
                id: 2,
                error: RiskError::BadSignature
            }]
        );
        assert_eq!(
            verified.rejected[0].error.message_key(),
            "risk.badSignature"
        );
    }

    #[test]
    fn every_field_is_covered_by_the_signature() {
        let signed = sign_risky_entry(&issuer(), entry(1)).unwrap();
        let changes: [fn(&mut RiskyEntry); 8] = [
            |e| e.id += 1,
            |e| e.venue = VenueId(e.venue.0 + 1),
            |e| e.entrance = None,
            |e| e.entrance = Some(EntranceNo(3)),
            |e| e.from -= time::Duration::seconds(1),
            |e| e.to += time::Duration::seconds(1),
            |e| e.advice_vi.push('!'),
            |e| e.advice_en = String::new(),
        ];
        for change in changes {
            let mut altered = signed.clone();
            change(&mut altered.entry);
            assert_eq!(altered.verify(&ring()), Err(RiskError::BadSignature));
        }
    }

    #[test]
    fn moving_text_between_the_advices_changes_the_bytes() {
        // Length prefixes: "ab" + "" must not sign the same as "a" + "b".
        let mut a = entry(1);
        a.advice_vi = "ab".into();
        a.advice_en = String::new();
        let mut b = entry(1);
        b.advice_vi = "a".into();
        b.advice_en = "b".into();
        assert_ne!(
            a.signed_bytes(KeyId(1)).unwrap(),
            b.signed_bytes(KeyId(1)).unwrap()
        );
    }

    #[test]
    fn an_unknown_key_is_its_own_error() {
        let other = VenueIssuer::from_seed(KeyId(9), &[8; 32]);
        let signed = sign_risky_entry(&other, entry(1)).unwrap();
        let err = signed.verify(&ring()).unwrap_err();
        assert_eq!(err, RiskError::UnknownKey(KeyId(9)));
        assert_eq!(err.message_key(), "risk.unknownKey");
    }

    #[test]
    fn another_key_under_a_trusted_id_is_a_bad_signature() {
        let impostor = VenueIssuer::from_seed(KeyId(1), &[8; 32]);
        let signed = sign_risky_entry(&impostor, entry(1)).unwrap();
        assert_eq!(signed.verify(&ring()), Err(RiskError::BadSignature));
    }

    #[test]
    fn a_venue_code_signature_cannot_pass_for_an_entry() {
        // The same bytes signed in the venue-code context must not verify:
        // that is what the separate context is for.
        let e = entry(1);
        let bytes = e.signed_bytes(KeyId(1)).unwrap();
        let signature = issuer().sign_with_context(crate::venue_code::SIGNING_CONTEXT, &bytes);
        let signed = SignedRiskyEntry {
            key_id: KeyId(1),
            entry: e,
            signature,
        };
        assert_eq!(signed.verify(&ring()), Err(RiskError::BadSignature));
    }

    #[test]
    fn the_key_must_be_valid_on_the_entrys_start_day() {
        let narrow = issuer().key_ring(date!(2026 - 11 - 21), date!(2030 - 12 - 31));
        let signed = sign_risky_entry(&issuer(), entry(1)).unwrap();
        let err = signed.verify(&narrow).unwrap_err();
        assert_eq!(err, RiskError::Expired);
        assert_eq!(err.message_key(), "risk.expired");

        // Start day in Vietnam: 2026-11-20 23:30 UTC is already the 21st.
        let mut late = entry(2);
        late.from = datetime!(2026-11-20 23:30 UTC);
        late.to = datetime!(2026-11-21 01:00 UTC);
        let signed = sign_risky_entry(&issuer(), late).unwrap();
        assert!(signed.verify(&narrow).is_ok());

        let mut retired = ring();
        retired.keys[0].retired_on = Some(date!(2026 - 11 - 20));
        let signed = sign_risky_entry(&issuer(), entry(3)).unwrap();
        assert_eq!(signed.verify(&retired), Err(RiskError::Expired));
    }

    #[test]
    fn malformed_entries_are_refused_when_signing_and_verifying() {
        let mut empty = entry(1);
        empty.to = empty.from;
        assert!(matches!(
            sign_risky_entry(&issuer(), empty.clone()),
            Err(RiskError::Malformed(_))
        ));
        let mut fraction = entry(1);
        fraction.to += time::Duration::milliseconds(5);
        assert!(matches!(
            sign_risky_entry(&issuer(), fraction),
            Err(RiskError::Malformed(_))
        ));
        // An empty window signed anyway (an issuer bypassing the check).
        let bytes = empty.signed_bytes(KeyId(1)).unwrap();
        let signed = SignedRiskyEntry {
            key_id: KeyId(1),
            entry: empty,
            signature: issuer().sign_with_context(RISKY_ENTRY_CONTEXT, &bytes),
        };
        let err = signed.verify(&ring()).unwrap_err();
        assert_eq!(err.message_key(), "risk.malformed");
    }

    #[test]
    fn a_forged_huge_id_does_not_move_the_cursor() {
        let mut forged = sign_risky_entry(&issuer(), entry(5)).unwrap();
        forged.entry.id = u64::MAX;
        let list = RiskyList {
            entries: vec![sign_risky_entry(&issuer(), entry(5)).unwrap(), forged],
        };
        assert_eq!(list.verify(&ring()).cursor(), Some(5));
    }

    #[test]
    fn a_bad_signature_in_json_is_a_parse_error_not_a_panic() {
        let json = r#"{"entries":[{"key_id":1,"id":1,"venue":1,"entrance":null,
            "from":"2026-11-20T08:00:00+07:00","to":"2026-11-20T09:00:00+07:00",
            "advice_vi":"","advice_en":"","signature":"abcd"}]}"#;
        assert!(serde_json::from_str::<RiskyList>(json).is_err());
    }
}
