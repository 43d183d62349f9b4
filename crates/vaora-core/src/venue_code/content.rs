//! The signed fields of a venue code and their binary layout (v1):
//!
//! ```text
//! version u8 | key id u8 | venue id LEB128 | entrance LEB128 | commune u24 BE
//! | kind u8 | default stay u8 (5-minute units) | issued on u16 BE (days since 2020-01-01)
//! | name length u8 | short name (UTF-8, NFC, ≤ 32 bytes)
//! ```
//! followed in the code by a 64-byte Ed25519 signature. Variable-length
//! integers keep typical codes small, and small codes scan far better.

use time::Date;
use unicode_normalization::UnicodeNormalization;

use super::error::VenueCodeError;
use super::keyring::KeyId;
use crate::compact::{Reader, date_from_days, days_since_epoch};
#[cfg(any(test, feature = "issuer"))]
use crate::compact::{put_leb128, put_short_text};
use crate::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};

pub const CODE_VERSION: u8 = 1;

use crate::compact::ReadError;
pub const MAX_SHORT_NAME_BYTES: usize = 32;
const MAX_COMMUNE: u32 = (1 << 24) - 1;
/// The default stay travels in 5-minute units in one byte (up to 21 h 15 min).
pub const STAY_UNIT_MINUTES: u16 = 5;
pub const MAX_STAY_MINUTES: u16 = 255 * STAY_UNIT_MINUTES;

/// The longest start of `name` a code can carry: NFC (as signed), without
/// control characters, cut at a character to `MAX_SHORT_NAME_BYTES`.
pub fn fit_short_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().nfc().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > MAX_SHORT_NAME_BYTES {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueCodeContent {
    pub key_id: KeyId,
    pub venue: VenueId,
    pub entrance: EntranceNo,
    /// Shown offline until the signed venue directory brings the full name.
    pub short_name: String,
    pub commune: Option<CommuneCode>,
    pub kind: VenueKind,
    /// Rounded up to whole 5-minute units when the code is made.
    pub default_stay_minutes: u16,
    pub issued_on: Date,
}

impl VenueCodeContent {
    /// Normalises the short name to NFC (so the same name always signs to
    /// the same bytes) and checks every field fits the format.
    pub fn normalized(mut self) -> Result<VenueCodeContent, VenueCodeError> {
        self.short_name = self.short_name.trim().nfc().collect();
        if self.short_name.len() > MAX_SHORT_NAME_BYTES {
            return Err(VenueCodeError::NameTooLong(self.short_name.len()));
        }
        if self.short_name.chars().any(char::is_control) {
            return Err(VenueCodeError::OutOfRange(
                "short name has control characters",
            ));
        }
        if self.commune.is_some_and(|c| c.0 == 0 || c.0 > MAX_COMMUNE) {
            return Err(VenueCodeError::OutOfRange("commune code"));
        }
        if self.default_stay_minutes > MAX_STAY_MINUTES {
            return Err(VenueCodeError::OutOfRange(
                "default stay (at most 21 h 15 min)",
            ));
        }
        self.default_stay_minutes =
            self.default_stay_minutes.div_ceil(STAY_UNIT_MINUTES) * STAY_UNIT_MINUTES;
        days_since_epoch(self.issued_on).ok_or(VenueCodeError::OutOfRange(
            "issue date (2020-01-01 to 2199)",
        ))?;
        Ok(self)
    }

    /// The bytes that are signed. Call on normalised content.
    #[cfg(any(test, feature = "issuer"))]
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, VenueCodeError> {
        let mut out = Vec::with_capacity(16 + self.short_name.len());
        out.push(CODE_VERSION);
        out.push(self.key_id.0);
        put_leb128(&mut out, self.venue.0);
        put_leb128(&mut out, u64::from(self.entrance.0));
        let commune = self.commune.map_or(0, |c| c.0);
        out.extend_from_slice(&commune.to_be_bytes()[1..]);
        out.push(self.kind.code());
        out.push((self.default_stay_minutes / STAY_UNIT_MINUTES) as u8);
        let days = days_since_epoch(self.issued_on).ok_or(VenueCodeError::OutOfRange(
            "issue date (2020-01-01 to 2199)",
        ))?;
        out.extend_from_slice(&days.to_be_bytes());
        put_short_text(&mut out, &self.short_name);
        Ok(out)
    }

    /// Parses exactly `bytes` (no signature). Never panics.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<VenueCodeContent, VenueCodeError> {
        Self::read(&mut Reader::new(bytes)).map_err(|e| match e {
            ReadError::Version(v) => VenueCodeError::UnsupportedVersion(v),
            ReadError::Malformed(why) => VenueCodeError::Malformed(why),
        })
    }

    fn read(r: &mut Reader<'_>) -> Result<VenueCodeContent, ReadError> {
        let version = r.u8()?;
        if version != CODE_VERSION {
            return Err(ReadError::Version(version));
        }
        let key_id = KeyId(r.u8()?);
        let venue = VenueId(r.leb128()?);
        let entrance = u16::try_from(r.leb128()?)
            .map_err(|_| ReadError::Malformed("entrance number too large"))?;
        let c = r.take(3)?;
        let commune = u32::from_be_bytes([0, c[0], c[1], c[2]]);
        let kind = VenueKind::from_code(r.u8()?);
        let stay = u16::from(r.u8()?) * STAY_UNIT_MINUTES;
        let issued_on = date_from_days(r.u16_be()?);
        let name = r.short_text(MAX_SHORT_NAME_BYTES)?;
        r.finish()?;
        Ok(VenueCodeContent {
            key_id,
            venue,
            entrance: EntranceNo(entrance),
            short_name: name.to_owned(),
            commune: (commune != 0).then_some(CommuneCode(commune)),
            kind,
            default_stay_minutes: stay,
            issued_on,
        })
    }
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    #[test]
    fn short_names_fit_the_code_whatever_the_input() {
        let long = "Bệnh viện Đa khoa tỉnh Quảng Ngãi — khu khám bệnh";
        let fitted = fit_short_name(long);
        assert!(fitted.len() <= MAX_SHORT_NAME_BYTES);
        assert!(long.starts_with(&fitted), "{fitted}");
        // Decomposed input is composed first, as the signature needs.
        assert_eq!(fit_short_name("Chơ\u{0323}"), "Chợ");
        // Characters NFC expands, and control characters, still fit.
        let odd = "\u{1D15E}".repeat(20) + "\u{0001}";
        assert!(fit_short_name(&odd).len() <= MAX_SHORT_NAME_BYTES);
        assert!(!fit_short_name(&odd).contains('\u{0001}'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compact::date_from_days;
    use proptest::prelude::*;
    use time::macros::date;

    fn sample() -> VenueCodeContent {
        VenueCodeContent {
            key_id: KeyId(1),
            venue: VenueId(123_456),
            entrance: EntranceNo(2),
            short_name: "Chợ Bến Thành".into(),
            commune: Some(CommuneCode(26_740)),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            issued_on: date!(2026 - 11 - 20),
        }
    }

    #[test]
    fn content_round_trips_through_bytes() {
        let c = sample().normalized().unwrap();
        assert_eq!(
            VenueCodeContent::from_bytes(&c.to_bytes().unwrap()).unwrap(),
            c
        );
    }

    #[test]
    fn names_are_normalised_to_nfc_before_signing() {
        // "ợ" typed as o + horn + dot below (NFD) must sign like the NFC form.
        let mut decomposed = sample();
        decomposed.short_name = "Cho\u{031B}\u{0323} Bến Thành".into();
        assert_eq!(
            decomposed.normalized().unwrap().to_bytes().unwrap(),
            sample().normalized().unwrap().to_bytes().unwrap()
        );
    }

    #[test]
    fn a_name_over_32_bytes_is_refused_with_its_length() {
        let mut c = sample();
        c.short_name = "Bệnh viện Đa khoa Tỉnh Quảng Ngãi".into();
        assert_eq!(c.normalized(), Err(VenueCodeError::NameTooLong(43)));
    }

    #[test]
    fn the_default_stay_rounds_up_to_five_minutes_and_is_capped() {
        let mut c = sample();
        c.default_stay_minutes = 61;
        assert_eq!(c.normalized().unwrap().default_stay_minutes, 65);
        let mut c = sample();
        c.default_stay_minutes = MAX_STAY_MINUTES + 1;
        assert!(matches!(c.normalized(), Err(VenueCodeError::OutOfRange(_))));
    }

    #[test]
    fn non_minimal_and_trailing_bytes_are_malformed() {
        let mut bytes = sample().normalized().unwrap().to_bytes().unwrap();
        bytes.push(0);
        assert!(matches!(
            VenueCodeContent::from_bytes(&bytes),
            Err(VenueCodeError::Malformed(_))
        ));
        // entrance 2 encoded as [0x82, 0x00] instead of [0x02]
        assert!(Reader::new(&[0x82, 0x00]).leb128().is_err());
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = VenueCodeContent::from_bytes(&bytes);
        }

        #[test]
        fn any_valid_content_round_trips(
            venue in any::<u64>(), entrance in any::<u16>(), commune in 1u32..(1 << 24),
            kind in 0u8..8, stay in 0u16..=MAX_STAY_MINUTES, days in 0u16..u16::MAX,
            name in "[a-zA-Z0-9 àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{0,10}",
        ) {
            let c = VenueCodeContent {
                key_id: KeyId(7), venue: VenueId(venue), entrance: EntranceNo(entrance),
                short_name: name, commune: Some(CommuneCode(commune)),
                kind: VenueKind::from_code(kind), default_stay_minutes: stay,
                issued_on: date_from_days(days),
            }.normalized().unwrap();
            prop_assert_eq!(VenueCodeContent::from_bytes(&c.to_bytes().unwrap()).unwrap(), c);
        }
    }
}
