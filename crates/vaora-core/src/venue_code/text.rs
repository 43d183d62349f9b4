//! The QR text: `HTTPS://<HOST>/V/<BASE32>` in upper case, so the whole
//! string fits QR alphanumeric mode (5.5 bits a character instead of 8), and
//! a phone without the app that opens it lands on the server's web form.

use data_encoding::BASE32_NOPAD;
use time::Date;

use super::content::VenueCodeContent;
use super::error::VenueCodeError;
use super::keyring::KeyRing;

/// The reference issuer's host. Any host works: trust comes from the
/// signature, not the address.
pub const DEFAULT_HOST: &str = "VAORA.VN";

const SIGNATURE_LEN: usize = 64;
/// version, key id, venue, entrance, commune (3), kind, stay, date (2), name length.
const MIN_CONTENT_LEN: usize = 12;

/// A venue code as printed: content, its exact signed bytes, the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedVenueCode {
    pub content: VenueCodeContent,
    pub(crate) bytes: Vec<u8>,
    pub(crate) signature: [u8; SIGNATURE_LEN],
}

/// A code whose signature, key validity and revocation status all checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedVenue {
    pub content: VenueCodeContent,
    pub host: String,
}

impl SignedVenueCode {
    /// The QR text for `host` (upper-cased; e.g. `VAORA.VN`).
    pub fn to_text(&self, host: &str) -> String {
        format!(
            "HTTPS://{}/V/{}",
            host.to_ascii_uppercase(),
            BASE32_NOPAD.encode(&self.payload())
        )
    }

    /// The bytes the QR carries after `/V/`: signed content, then signature.
    pub fn payload(&self) -> Vec<u8> {
        let mut payload = self.bytes.clone();
        payload.extend_from_slice(&self.signature);
        payload
    }

    /// Recognises a venue code in any scanned text.
    ///
    /// - `None`: not a venue code at all (another URL, plain text).
    /// - `Some(Err(_))`: meant as a venue code but unreadable. That is the
    ///   case when the host is one of `known_hosts`, or when the payload
    ///   parses as v1 content but is cut short.
    /// - `Some(Ok((code, host)))`: a well-formed code, not yet verified.
    pub fn parse(
        text: &str,
        known_hosts: &[&str],
    ) -> Option<Result<(SignedVenueCode, String), VenueCodeError>> {
        let (host, token) = split_url(text)?;
        let ours = known_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host));
        let mine = |e: VenueCodeError| if ours { Some(Err(e)) } else { None };
        let Ok(payload) = BASE32_NOPAD.decode(token.to_ascii_uppercase().as_bytes()) else {
            return mine(VenueCodeError::Malformed("not base32"));
        };
        if payload.len() < MIN_CONTENT_LEN + SIGNATURE_LEN {
            return mine(VenueCodeError::Malformed("too short"));
        }
        let (bytes, signature) = payload.split_at(payload.len() - SIGNATURE_LEN);
        match VenueCodeContent::from_bytes(bytes) {
            Ok(content) => {
                let mut sig = [0u8; SIGNATURE_LEN];
                sig.copy_from_slice(signature);
                Some(Ok((
                    SignedVenueCode {
                        content,
                        bytes: bytes.to_vec(),
                        signature: sig,
                    },
                    host,
                )))
            }
            // A newer format from a real issuer deserves a clear "update the
            // app" even on an unknown host.
            Err(e @ VenueCodeError::UnsupportedVersion(_)) if payload.len() > 100 || ours => {
                Some(Err(e))
            }
            Err(e) => mine(e),
        }
    }

    /// Checks the code against the trusted keys on `today`.
    pub fn verify(
        self,
        ring: &KeyRing,
        host: String,
        today: Date,
    ) -> Result<VerifiedVenue, (VenueCodeContent, VenueCodeError)> {
        match ring.verify(&self.content, &self.bytes, &self.signature, today) {
            Ok(()) => Ok(VerifiedVenue {
                content: self.content,
                host,
            }),
            Err(e) => Err((self.content, e)),
        }
    }
}

/// `https://host/v/TOKEN` (any case, one optional trailing slash) → (HOST, TOKEN).
fn split_url(text: &str) -> Option<(String, &str)> {
    let text = text.trim();
    let scheme = text.get(..8)?;
    if !scheme.eq_ignore_ascii_case("https://") {
        return None;
    }
    let rest = &text[8..];
    let slash = rest.find('/')?;
    let (host, path) = rest.split_at(slash);
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b))
    {
        return None;
    }
    let token = path.get(..3).filter(|p| p.eq_ignore_ascii_case("/v/"))?;
    let token = path[token.len()..].strip_suffix('/').unwrap_or(&path[3..]);
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some((host.to_ascii_uppercase(), token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
    use crate::venue_code::{KeyId, VenueIssuer};
    use time::macros::date;

    const SEED: [u8; 32] = [7; 32];

    fn issuer() -> VenueIssuer {
        VenueIssuer::from_seed(KeyId(1), &SEED)
    }

    fn ring() -> KeyRing {
        issuer().key_ring(date!(2026 - 01 - 01), date!(2027 - 12 - 31))
    }

    fn content(name: &str) -> VenueCodeContent {
        VenueCodeContent {
            key_id: KeyId(1),
            venue: VenueId(1_234_567),
            entrance: EntranceNo(1),
            short_name: name.into(),
            commune: Some(CommuneCode(26_740)),
            kind: VenueKind::Hospital,
            default_stay_minutes: 180,
            issued_on: date!(2026 - 11 - 20),
        }
    }

    fn scan(text: &str, today: Date) -> Option<Result<VerifiedVenue, VenueCodeError>> {
        SignedVenueCode::parse(text, &[DEFAULT_HOST]).map(|r| {
            r.and_then(|(code, host)| code.verify(&ring(), host, today).map_err(|(_, e)| e))
        })
    }

    #[test]
    fn an_issued_code_verifies_offline() {
        let text = issuer()
            .issue(content("BV Chợ Rẫy"))
            .unwrap()
            .to_text("vaora.vn");
        assert!(text.starts_with("HTTPS://VAORA.VN/V/"));
        let v = scan(&text, date!(2026 - 11 - 25)).unwrap().unwrap();
        assert_eq!(v.content.short_name, "BV Chợ Rẫy");
        assert_eq!(v.host, "VAORA.VN");
    }

    #[test]
    fn lower_case_text_from_a_sloppy_scanner_still_verifies() {
        let text = issuer()
            .issue(content("Nhà sách"))
            .unwrap()
            .to_text(DEFAULT_HOST);
        assert!(
            scan(&text.to_lowercase(), date!(2026 - 11 - 25))
                .unwrap()
                .is_ok()
        );
    }

    #[test]
    fn any_altered_character_breaks_the_signature_or_the_format() {
        let text = issuer()
            .issue(content("Trường THCS Lê Lợi"))
            .unwrap()
            .to_text(DEFAULT_HOST);
        let start = "HTTPS://VAORA.VN/V/".len();
        for i in start..text.len() {
            let mut altered = text.clone().into_bytes();
            altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(altered).unwrap();
            if let Some(Ok(v)) = scan(&altered, date!(2026 - 11 - 25)) {
                panic!("altered code at {i} verified: {v:?}");
            }
        }
    }

    #[test]
    fn every_single_byte_change_in_the_payload_is_rejected() {
        let code = issuer().issue(content("Chợ Bến Thành")).unwrap();
        let payload = code.payload();
        for i in 0..payload.len() {
            for flip in 1..=255u8 {
                let mut altered = payload.clone();
                altered[i] ^= flip;
                let text = format!("HTTPS://VAORA.VN/V/{}", BASE32_NOPAD.encode(&altered));
                match scan(&text, date!(2026 - 11 - 25)) {
                    Some(Err(_)) => {}
                    other => panic!("byte {i} ^ {flip:#04x} gave {other:?}"),
                }
            }
        }
    }

    #[test]
    fn codes_from_other_hosts_that_are_not_ours_are_other_urls() {
        assert_eq!(
            scan("https://example.com/v/HELLO", date!(2026 - 11 - 25)),
            None
        );
        assert_eq!(scan("https://vaora.vn/about", date!(2026 - 11 - 25)), None);
        assert!(matches!(
            scan("HTTPS://VAORA.VN/V/HELLO", date!(2026 - 11 - 25)),
            Some(Err(VenueCodeError::Malformed(_)))
        ));
    }

    #[test]
    fn expiry_retirement_and_revocation_each_have_their_own_error() {
        let code = issuer().issue(content("Chợ")).unwrap();
        let text = code.to_text(DEFAULT_HOST);
        assert_eq!(
            scan(&text, date!(2028 - 01 - 01)),
            Some(Err(VenueCodeError::Expired))
        );

        let mut retired = ring();
        retired.keys[0].retired_on = Some(date!(2026 - 11 - 01));
        let (c, host) = SignedVenueCode::parse(&text, &[]).unwrap().unwrap();
        assert_eq!(
            c.verify(&retired, host, date!(2026 - 11 - 25))
                .unwrap_err()
                .1,
            VenueCodeError::Expired
        );

        let mut revoked = ring();
        revoked
            .revoked_posters
            .push(crate::venue_code::PosterRevocation {
                venue: VenueId(1_234_567),
                entrance: EntranceNo(1),
                issued_on: date!(2026 - 11 - 20),
            });
        let (c, host) = SignedVenueCode::parse(&text, &[]).unwrap().unwrap();
        assert_eq!(
            c.verify(&revoked, host, date!(2026 - 11 - 25))
                .unwrap_err()
                .1,
            VenueCodeError::Revoked
        );

        let other = VenueIssuer::from_seed(KeyId(9), &[9; 32])
            .issue(content("Chợ"))
            .unwrap();
        assert_eq!(
            scan(&other.to_text(DEFAULT_HOST), date!(2026 - 11 - 25)),
            Some(Err(VenueCodeError::UnknownKey(KeyId(9))))
        );
    }

    #[test]
    fn a_forged_code_under_a_trusted_key_id_is_a_bad_signature() {
        let forger = VenueIssuer::from_seed(KeyId(1), &[8; 32]);
        let text = forger.issue(content("Chợ")).unwrap().to_text(DEFAULT_HOST);
        assert_eq!(
            scan(&text, date!(2026 - 11 - 25)),
            Some(Err(VenueCodeError::BadSignature))
        );
    }
}
