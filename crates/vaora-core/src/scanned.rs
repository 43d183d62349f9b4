//! One classifier for whatever text a camera reads. Never panics; every
//! outcome says what the app should do next.

use time::Date;

use crate::cccd::{CccdError, CccdParse, looks_like_cccd, parse_cccd};
use crate::personal_pass::{PassError, PersonalPass};
use crate::venue::{EntranceNo, Venue};
use crate::venue_code::{
    GateCode, KeyRing, SignedVenueCode, VenueCodeContent, VenueCodeError, VerifiedVenue,
};
use crate::visit::Verification;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A checkpoint code that verified: check in.
    Venue(VerifiedVenue),
    /// A checkpoint code that did not verify. `content` is there when the
    /// fields could be read, so the user may still record the visit, marked
    /// unverified.
    UnverifiedVenue {
        content: Option<VenueCodeContent>,
        error: VenueCodeError,
    },
    /// A citizen ID card (gate mode prefill).
    Cccd(CccdParse),
    /// Card-shaped but unusable.
    BadCccd(CccdError),
    /// A citizen's personal pass (gate mode): first name and date visible,
    /// the declaration sealed for the authority.
    PersonalPass(PersonalPass),
    /// Pass-shaped but unreadable.
    BadPass(PassError),
    /// Some other link: not a checkpoint code; offer a manual entry.
    OtherUrl(String),
    /// Any other text: not a checkpoint code; offer a manual entry.
    Text(String),
}

impl Scanned {
    /// The place and verification a check-in from this scan records: a
    /// verified venue, or a readable venue code that did not verify (kept,
    /// marked with the reason). `None` for anything that is not a venue.
    pub fn check_in_place(&self) -> Option<(Venue, EntranceNo, Verification)> {
        let (content, verification) = match self {
            Scanned::Venue(v) => (&v.content, Verification::Verified),
            Scanned::UnverifiedVenue {
                content: Some(c),
                error,
            } => (c, Verification::Unverified(error.message_key())),
            _ => return None,
        };
        let venue = Venue {
            id: content.venue,
            short_name: content.short_name.clone(),
            commune: content.commune,
            kind: content.kind,
            default_stay_minutes: content.default_stay_minutes,
        };
        Some((venue, content.entrance, verification))
    }
}

/// What classification needs to know about the device.
pub struct ScanContext<'a> {
    pub key_ring: &'a KeyRing,
    /// Hosts whose `/V/` links are certainly ours (configured server).
    pub known_hosts: &'a [&'a str],
    /// Today in Vietnam's calendar (key validity is by day).
    pub today: Date,
    /// The device's clock, for a gate's rotating code (valid for about a
    /// minute either side).
    pub now: time::OffsetDateTime,
}

/// A venue code's outcome once parsed and checked: verified, or kept as
/// unverified with why (and its fields when they could be read).
fn venue_outcome(
    checked: Result<Result<VerifiedVenue, (VenueCodeContent, VenueCodeError)>, VenueCodeError>,
) -> Scanned {
    match checked {
        Ok(Ok(venue)) => Scanned::Venue(venue),
        Ok(Err((content, error))) => Scanned::UnverifiedVenue {
            content: Some(content),
            error,
        },
        Err(error) => Scanned::UnverifiedVenue {
            content: None,
            error,
        },
    }
}

pub fn classify(text: &str, ctx: &ScanContext<'_>) -> Scanned {
    if let Some(parsed) = GateCode::parse(text) {
        return venue_outcome(parsed.map(|code| code.verify(ctx.key_ring, ctx.today, ctx.now)));
    }
    if let Some(parsed) = SignedVenueCode::parse(text, ctx.known_hosts) {
        return venue_outcome(
            parsed.map(|(code, host)| code.verify(ctx.key_ring, host, ctx.today)),
        );
    }
    if let Some(pass) = PersonalPass::parse(text) {
        return match pass {
            Ok(pass) => Scanned::PersonalPass(pass),
            Err(e) => Scanned::BadPass(e),
        };
    }
    if looks_like_cccd(text) {
        return match parse_cccd(text) {
            Ok(card) => Scanned::Cccd(card),
            Err(e) => Scanned::BadCccd(e),
        };
    }
    let trimmed = text.trim();
    let lower = trimmed
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Scanned::OtherUrl(trimmed.to_owned())
    } else {
        Scanned::Text(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::{EntranceNo, VenueId, VenueKind};
    use crate::venue_code::{DEFAULT_HOST, KeyId, VenueIssuer};
    use proptest::prelude::*;
    use time::macros::date;

    fn ring() -> KeyRing {
        VenueIssuer::from_seed(KeyId(1), &[3; 32])
            .key_ring(date!(2026 - 01 - 01), date!(2030 - 01 - 01))
    }

    fn classify_now(text: &str) -> Scanned {
        let ring = ring();
        classify(
            text,
            &ScanContext {
                key_ring: &ring,
                known_hosts: &[DEFAULT_HOST],
                today: date!(2026 - 11 - 25),
                now: time::OffsetDateTime::now_utc(),
            },
        )
    }

    #[test]
    fn every_kind_of_scanned_text_has_its_outcome() {
        let code = VenueIssuer::from_seed(KeyId(1), &[3; 32])
            .issue(VenueCodeContent {
                key_id: KeyId(1),
                venue: VenueId(5),
                entrance: EntranceNo(1),
                short_name: "Siêu thị".into(),
                commune: None,
                kind: VenueKind::Shop,
                default_stay_minutes: 60,
                issued_on: date!(2026 - 11 - 01),
            })
            .unwrap()
            .to_text(DEFAULT_HOST);
        assert!(matches!(classify_now(&code), Scanned::Venue(_)));
        assert!(matches!(
            classify_now("HTTPS://VAORA.VN/V/AAAA"),
            Scanned::UnverifiedVenue {
                content: None,
                error: VenueCodeError::Malformed(_)
            }
        ));
        assert!(matches!(
            classify_now("001099012345||Trần Văn Nam|05031985|Nam|Hà Nội"),
            Scanned::Cccd(_)
        ));
        assert_eq!(
            classify_now("001099012345|x"),
            Scanned::BadCccd(CccdError::WrongFieldCount { found: 2 })
        );
        let authority = crate::venue_code::AuthorityKey {
            id: KeyId(1),
            public_key: [9; 32],
        };
        let pass = PersonalPass::seal("Khai", date!(2026 - 11 - 25), &authority, b"{}").unwrap();
        assert!(
            matches!(classify_now(&pass.to_text()), Scanned::PersonalPass(p) if p.first_name == "Khai")
        );
        assert!(matches!(classify_now("VRP:AE"), Scanned::BadPass(_)));
        assert_eq!(
            classify_now(" https://tokhaiyte.vn/?x=1 "),
            Scanned::OtherUrl("https://tokhaiyte.vn/?x=1".into())
        );
        assert_eq!(
            classify_now("<script>alert(1)</script>"),
            Scanned::Text("<script>alert(1)</script>".into())
        );
    }

    proptest! {
        #[test]
        fn classifying_any_text_never_panics(s in "\\PC{0,300}") {
            let _ = classify_now(&s);
        }

        #[test]
        fn classifying_url_shaped_text_never_panics(host in "[a-zA-Z.]{0,20}", token in "[A-Z2-7]{0,200}") {
            let _ = classify_now(&format!("https://{host}/v/{token}"));
        }
    }
}
