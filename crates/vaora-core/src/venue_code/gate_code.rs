//! The rotating gate code: a venue code a gate device shows on its screen,
//! changing every 30 seconds, so a check-in from it proves presence; a photo
//! shared online stops verifying a minute later.
//!
//! When a gate is bound, the server's issuer key signs a **certificate**:
//! the entrance's venue-code content and the gate device's own Ed25519 key
//! (made on the device; its private half never leaves it). The gate signs
//! each 30-second **slot** with that key. A phone checks both offline: the
//! certificate against the trusted key ring (validity, revocation as for a
//! poster), the slot against the certified gate key, and the slot against
//! its own clock within [`SLOT_TOLERANCE`] slots of drift.
//!
//! Text: `VRG:<BASE32>` (QR alphanumeric). Payload: `version u8 | content
//! length u8 | venue-code content | gate key (32) | certificate signature
//! (64) | slot u32 BE (Unix seconds / 30) | slot signature (64)`.

use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use time::{Date, OffsetDateTime};

use super::content::VenueCodeContent;
use super::error::VenueCodeError;
use super::keyring::KeyRing;
use super::text::VerifiedVenue;
use crate::compact::{ReadError, Reader};

pub const GATE_CODE_PREFIX: &str = "VRG:";
const VERSION: u8 = 1;
/// Domain separation: a certificate signature is never a venue-code one.
pub(crate) const CERTIFICATE_CONTEXT: &[u8] = b"VaoRa gate certificate v1\0";
const SLOT_CONTEXT: &[u8] = b"VaoRa gate slot v1\0";
pub const SLOT_SECONDS: i64 = 30;
/// Slots either side of the phone's own that still verify: up to about a
/// minute and a half of clock drift between gate and phone.
pub const SLOT_TOLERANCE: i64 = 3;

/// The issuer's certificate of one gate device's key for one entrance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateCertificate {
    pub content: VenueCodeContent,
    content_bytes: Vec<u8>,
    pub gate_key: [u8; 32],
    signature: [u8; 64],
}

impl GateCertificate {
    /// The bytes the issuer signs: content, then the gate's key.
    pub(crate) fn signed_bytes(content_bytes: &[u8], gate_key: &[u8; 32]) -> Vec<u8> {
        let mut out = content_bytes.to_vec();
        out.extend_from_slice(gate_key);
        out
    }

    #[cfg(any(test, feature = "issuer"))]
    pub(crate) fn new(
        content: VenueCodeContent,
        content_bytes: Vec<u8>,
        gate_key: [u8; 32],
        signature: [u8; 64],
    ) -> Self {
        GateCertificate {
            content,
            content_bytes,
            gate_key,
            signature,
        }
    }

    /// Text form, to hand the certificate to the gate device (and keep it).
    pub fn to_text(&self) -> String {
        BASE32_NOPAD.encode(&self.to_bytes())
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![VERSION, self.content_bytes.len() as u8];
        out.extend_from_slice(&self.content_bytes);
        out.extend_from_slice(&self.gate_key);
        out.extend_from_slice(&self.signature);
        out
    }

    pub fn from_text(text: &str) -> Result<GateCertificate, VenueCodeError> {
        let bytes = BASE32_NOPAD
            .decode(text.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| VenueCodeError::Malformed("not base32"))?;
        let mut r = Reader::new(&bytes);
        let certificate = Self::read(&mut r).map_err(read_error)?;
        if !r.rest().is_empty() {
            return Err(VenueCodeError::Malformed("trailing bytes"));
        }
        Ok(certificate)
    }

    fn read(r: &mut Reader<'_>) -> Result<GateCertificate, ReadError> {
        let version = r.u8()?;
        if version != VERSION {
            return Err(ReadError::Version(version));
        }
        let length = usize::from(r.u8()?);
        let content_bytes = r.take(length)?.to_vec();
        let content = VenueCodeContent::from_bytes(&content_bytes)
            .map_err(|_| ReadError::Malformed("venue content"))?;
        let gate_key: [u8; 32] = r
            .take(32)?
            .try_into()
            .map_err(|_| ReadError::Malformed("key"))?;
        let signature: [u8; 64] = r
            .take(64)?
            .try_into()
            .map_err(|_| ReadError::Malformed("signature"))?;
        Ok(GateCertificate {
            content,
            content_bytes,
            gate_key,
            signature,
        })
    }
}

fn read_error(e: ReadError) -> VenueCodeError {
    match e {
        ReadError::Version(v) => VenueCodeError::UnsupportedVersion(v),
        ReadError::Malformed(why) => VenueCodeError::Malformed(why),
    }
}

/// The slot `at` falls in.
pub fn slot_of(at: OffsetDateTime) -> i64 {
    at.unix_timestamp().div_euclid(SLOT_SECONDS)
}

/// What a gate device holds: its key and the certificate for it.
pub struct GateSigner {
    signing: SigningKey,
    certificate: GateCertificate,
}

impl GateSigner {
    /// `seed`: the gate's 32-byte private key (kept in the encrypted
    /// journal). Fails if the certificate is for another key.
    pub fn new(
        seed: &[u8; 32],
        certificate: GateCertificate,
    ) -> Result<GateSigner, VenueCodeError> {
        let signing = SigningKey::from_bytes(seed);
        if signing.verifying_key().to_bytes() != certificate.gate_key {
            return Err(VenueCodeError::BadSignature);
        }
        Ok(GateSigner {
            signing,
            certificate,
        })
    }

    /// The public key to certify, from a seed.
    pub fn public_key_of(seed: &[u8; 32]) -> [u8; 32] {
        SigningKey::from_bytes(seed).verifying_key().to_bytes()
    }

    /// The code to show at `at`.
    pub fn code_at(&self, at: OffsetDateTime) -> String {
        let slot = slot_of(at).clamp(0, i64::from(u32::MAX)) as u32;
        let signature = self
            .signing
            .sign(&slot_message(&self.certificate.signature, slot));
        let mut out = self.certificate.to_bytes();
        out.extend_from_slice(&slot.to_be_bytes());
        out.extend_from_slice(&signature.to_bytes());
        format!("{GATE_CODE_PREFIX}{}", BASE32_NOPAD.encode(&out))
    }

    pub fn certificate(&self) -> &GateCertificate {
        &self.certificate
    }
}

fn slot_message(certificate_signature: &[u8; 64], slot: u32) -> Vec<u8> {
    let mut message = Vec::with_capacity(SLOT_CONTEXT.len() + 68);
    message.extend_from_slice(SLOT_CONTEXT);
    message.extend_from_slice(certificate_signature);
    message.extend_from_slice(&slot.to_be_bytes());
    message
}

/// A scanned gate code, parsed but not yet trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateCode {
    certificate: GateCertificate,
    slot: u32,
    signature: [u8; 64],
}

impl GateCode {
    /// `None` when `text` is not a gate code at all; otherwise the code or
    /// why it cannot be read. Never panics.
    pub fn parse(text: &str) -> Option<Result<GateCode, VenueCodeError>> {
        let text = text.trim();
        let head = text.get(..GATE_CODE_PREFIX.len())?;
        if !head.eq_ignore_ascii_case(GATE_CODE_PREFIX) {
            return None;
        }
        let token = text[GATE_CODE_PREFIX.len()..].to_ascii_uppercase();
        let Ok(bytes) = BASE32_NOPAD.decode(token.as_bytes()) else {
            return Some(Err(VenueCodeError::Malformed("not base32")));
        };
        let mut r = Reader::new(&bytes);
        Some((|| {
            let certificate = GateCertificate::read(&mut r).map_err(read_error)?;
            let slot = r.take(4).map_err(read_error)?;
            let slot = u32::from_be_bytes([slot[0], slot[1], slot[2], slot[3]]);
            let signature: [u8; 64] = r
                .take(64)
                .map_err(read_error)?
                .try_into()
                .map_err(|_| VenueCodeError::Malformed("signature"))?;
            if !r.rest().is_empty() {
                return Err(VenueCodeError::Malformed("trailing bytes"));
            }
            Ok(GateCode {
                certificate,
                slot,
                signature,
            })
        })())
    }

    /// The venue content, readable before verification (for "unverified").
    pub fn content(&self) -> &VenueCodeContent {
        &self.certificate.content
    }

    /// Certificate first (forged is always reported as forged), then the
    /// slot's signature, then whether the slot is current at `now`.
    pub fn verify(
        self,
        ring: &KeyRing,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<VerifiedVenue, (VenueCodeContent, VenueCodeError)> {
        let c = &self.certificate;
        let checked = ring
            .verify_in_context(
                CERTIFICATE_CONTEXT,
                &c.content,
                &GateCertificate::signed_bytes(&c.content_bytes, &c.gate_key),
                &c.signature,
                today,
            )
            .and_then(|()| {
                let key = VerifyingKey::from_bytes(&c.gate_key)
                    .map_err(|_| VenueCodeError::BadSignature)?;
                key.verify_strict(
                    &slot_message(&c.signature, self.slot),
                    &Signature::from_bytes(&self.signature),
                )
                .map_err(|_| VenueCodeError::BadSignature)
            })
            .and_then(|()| {
                if (i64::from(self.slot) - slot_of(now)).abs() <= SLOT_TOLERANCE {
                    Ok(())
                } else {
                    Err(VenueCodeError::NotCurrent)
                }
            });
        match checked {
            Ok(()) => Ok(VerifiedVenue {
                content: self.certificate.content,
                host: GATE_CODE_PREFIX.trim_end_matches(':').to_owned(),
            }),
            Err(e) => Err((self.certificate.content, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
    use crate::venue_code::{KeyId, VenueIssuer};
    use time::Duration;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-11-25 8:00:10 UTC);
    const TODAY: Date = date!(2026 - 11 - 25);

    fn content() -> VenueCodeContent {
        VenueCodeContent {
            key_id: KeyId(1),
            venue: VenueId(42),
            entrance: EntranceNo(2),
            short_name: "Chợ Đồng Xuân".into(),
            commune: Some(CommuneCode(70)),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            issued_on: TODAY,
        }
    }

    fn setup() -> (VenueIssuer, KeyRing, GateSigner) {
        let issuer = VenueIssuer::from_seed(KeyId(1), &[3; 32]);
        let ring = issuer.key_ring(date!(2026 - 01 - 01), date!(2099 - 12 - 31));
        let seed = [8; 32];
        let certificate = issuer
            .certify_gate(content(), GateSigner::public_key_of(&seed))
            .unwrap();
        let certificate = GateCertificate::from_text(&certificate.to_text()).unwrap();
        (issuer, ring, GateSigner::new(&seed, certificate).unwrap())
    }

    fn verify(
        ring: &KeyRing,
        text: &str,
        now: OffsetDateTime,
    ) -> Result<VerifiedVenue, VenueCodeError> {
        GateCode::parse(text)
            .unwrap()
            .and_then(|c| c.verify(ring, TODAY, now).map_err(|(_, e)| e))
    }

    #[test]
    fn a_current_code_verifies_to_its_entrance() {
        let (_, ring, gate) = setup();
        let text = gate.code_at(NOW);
        assert!(text.starts_with("VRG:"));
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':')
        );
        let venue = verify(&ring, &text, NOW + Duration::seconds(20)).unwrap();
        assert_eq!(venue.content, content());
    }

    #[test]
    fn an_old_code_stops_verifying_a_couple_of_minutes_later() {
        let (_, ring, gate) = setup();
        let text = gate.code_at(NOW);
        assert!(verify(&ring, &text, NOW + Duration::seconds(60)).is_ok());
        assert_eq!(
            verify(&ring, &text, NOW + Duration::minutes(3)),
            Err(VenueCodeError::NotCurrent)
        );
        // A phone a minute behind the gate still checks in.
        assert!(verify(&ring, &text, NOW - Duration::seconds(60)).is_ok());
    }

    #[test]
    fn a_gate_key_the_issuer_did_not_certify_is_a_forgery() {
        let (issuer, ring, _) = setup();
        // A certificate for one key, slots signed with another.
        let certificate = issuer
            .certify_gate(content(), GateSigner::public_key_of(&[8; 32]))
            .unwrap();
        assert!(GateSigner::new(&[9; 32], certificate).is_err());
        // A certificate from an issuer the phone does not trust.
        let stranger = VenueIssuer::from_seed(KeyId(1), &[4; 32]);
        let seed = [9; 32];
        let forged = stranger
            .certify_gate(content(), GateSigner::public_key_of(&seed))
            .unwrap();
        let text = GateSigner::new(&seed, forged).unwrap().code_at(NOW);
        assert_eq!(verify(&ring, &text, NOW), Err(VenueCodeError::BadSignature));
    }

    #[test]
    fn a_tampered_slot_or_truncated_code_is_refused() {
        let (_, ring, gate) = setup();
        let text = gate.code_at(NOW);
        let mut bytes = BASE32_NOPAD.decode(&text.as_bytes()[4..]).unwrap();
        let slot_at = bytes.len() - 68;
        bytes[slot_at + 3] ^= 1;
        let moved = format!("VRG:{}", BASE32_NOPAD.encode(&bytes));
        assert_eq!(
            verify(&ring, &moved, NOW),
            Err(VenueCodeError::BadSignature)
        );
        assert!(GateCode::parse(&text[..text.len() - 10]).unwrap().is_err());
        assert!(GateCode::parse("VRG:!!").unwrap().is_err());
        assert!(GateCode::parse("HTTPS://VAORA.VN/V/ABC").is_none());
    }
}
