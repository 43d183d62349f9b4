//! Identity documents a declaration accepts: the 12-digit citizen ID
//! (CCCD, also the personal identification number children get), the old
//! 9-digit CMND, or a passport. A child too young for any may declare with
//! none.
//!
//! A CCCD number is not random: digits 1–3 are the (pre-2025, 63-province)
//! place of birth registration, digit 4 encodes century and sex, digits 5–6
//! the last two digits of the birth year. Checking them against the form
//! catches the commonest typing slips (a swapped digit, the wrong person's
//! card) while the person is still at the gate.

use serde::{Deserialize, Serialize};

use super::Sex;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Cccd,
    Cmnd,
    Passport,
    /// Only for children under [`NO_DOCUMENT_BELOW_AGE`].
    None,
}

/// Children below this age need not have an identity document.
pub const NO_DOCUMENT_BELOW_AGE: i32 = 14;

/// The place codes digits 1–3 of a CCCD number may take: the 63 provinces
/// as they were when the cards were designed (unchanged by the 2025
/// merger, since numbers are for life).
const CCCD_PLACE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Why an ID number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    Required,
    CccdFormat,
    CccdPlace,
    CmndFormat,
    PassportFormat,
    /// Digits 4–6 say another birth year than the form.
    BirthYearMismatch,
    /// Digit 4 says the other sex than the form.
    SexMismatch,
    /// "No document" for someone old enough to have one.
    DocumentRequired,
}

/// Strips what people type between digits (spaces, dots, dashes) and
/// upper-cases passport letters, so "0790 9200 1234" and "079092001234"
/// are the same number.
pub fn normalize_id(number: &str) -> String {
    number
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Birth year and sex a CCCD number encodes, if it is well formed.
pub fn cccd_birth(number: &str) -> Option<(i32, Sex)> {
    let digits = number.as_bytes();
    if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let century_sex = i32::from(digits[3] - b'0');
    let year_in_century = i32::from(digits[4] - b'0') * 10 + i32::from(digits[5] - b'0');
    let century = 1900 + (century_sex / 2) * 100;
    let sex = if century_sex % 2 == 0 {
        Sex::Male
    } else {
        Sex::Female
    };
    Some((century + year_in_century, sex))
}

/// Checks a normalized number of `kind` against the person's birth year
/// and sex (when known) and age.
pub fn check_id(
    kind: IdKind,
    number: &str,
    birth_year: Option<i32>,
    sex: Option<Sex>,
    current_year: i32,
) -> Result<(), IdProblem> {
    let all_digits = |n: usize| number.len() == n && number.bytes().all(|b| b.is_ascii_digit());
    match kind {
        IdKind::None => {
            let child = birth_year.is_some_and(|y| current_year - y < NO_DOCUMENT_BELOW_AGE);
            if child || birth_year.is_none() {
                Ok(())
            } else {
                Err(IdProblem::DocumentRequired)
            }
        }
        _ if number.is_empty() => Err(IdProblem::Required),
        IdKind::Cmnd if all_digits(9) => Ok(()),
        IdKind::Cmnd => Err(IdProblem::CmndFormat),
        IdKind::Passport => {
            // Vietnamese passports are a letter and 7 digits; foreign ones
            // vary, so only the shape every passport shares is checked.
            let ok = (6..=12).contains(&number.len())
                && number.bytes().all(|b| b.is_ascii_alphanumeric())
                && number.bytes().any(|b| b.is_ascii_digit());
            if ok {
                Ok(())
            } else {
                Err(IdProblem::PassportFormat)
            }
        }
        IdKind::Cccd => {
            let (year, card_sex) = cccd_birth(number).ok_or(IdProblem::CccdFormat)?;
            let place: u16 = number[..3].parse().map_err(|_| IdProblem::CccdFormat)?;
            if !CCCD_PLACE_CODES.contains(&place) {
                return Err(IdProblem::CccdPlace);
            }
            if birth_year.is_some_and(|y| y != year) {
                return Err(IdProblem::BirthYearMismatch);
            }
            if sex.is_some_and(|s| s != Sex::Other && s != card_sex) {
                return Err(IdProblem::SexMismatch);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalized_before_checking() {
        assert_eq!(normalize_id(" 079 092.001-234 "), "079092001234");
        assert_eq!(normalize_id("c1234567"), "C1234567");
    }

    #[test]
    fn a_cccd_number_encodes_birth_year_and_sex() {
        assert_eq!(cccd_birth("079092001234"), Some((1992, Sex::Male)));
        assert_eq!(cccd_birth("001185001234"), Some((1985, Sex::Female)));
        assert_eq!(cccd_birth("001315001234"), Some((2015, Sex::Female)));
        assert_eq!(cccd_birth("001215001234"), Some((2015, Sex::Male)));
        assert_eq!(cccd_birth("00121500123"), None);
    }

    #[test]
    fn cccd_numbers_are_checked_against_the_form() {
        let ok = check_id(
            IdKind::Cccd,
            "079092001234",
            Some(1992),
            Some(Sex::Male),
            2026,
        );
        assert_eq!(ok, Ok(()));
        let year = check_id(IdKind::Cccd, "079092001234", Some(1993), None, 2026);
        assert_eq!(year, Err(IdProblem::BirthYearMismatch));
        let sex = check_id(IdKind::Cccd, "079092001234", None, Some(Sex::Female), 2026);
        assert_eq!(sex, Err(IdProblem::SexMismatch));
        let place = check_id(IdKind::Cccd, "003092001234", None, None, 2026);
        assert_eq!(place, Err(IdProblem::CccdPlace));
        let short = check_id(IdKind::Cccd, "07909200123", None, None, 2026);
        assert_eq!(short, Err(IdProblem::CccdFormat));
        let letters = check_id(IdKind::Cccd, "07909200123A", None, None, 2026);
        assert_eq!(letters, Err(IdProblem::CccdFormat));
    }

    #[test]
    fn other_documents_have_their_own_shapes() {
        assert_eq!(
            check_id(IdKind::Cmnd, "123456789", None, None, 2026),
            Ok(())
        );
        assert_eq!(
            check_id(IdKind::Cmnd, "12345678", None, None, 2026),
            Err(IdProblem::CmndFormat)
        );
        assert_eq!(
            check_id(IdKind::Passport, "C1234567", None, None, 2026),
            Ok(())
        );
        assert_eq!(
            check_id(IdKind::Passport, "ABCDEFG", None, None, 2026),
            Err(IdProblem::PassportFormat)
        );
        assert_eq!(
            check_id(IdKind::Passport, "", None, None, 2026),
            Err(IdProblem::Required)
        );
    }

    #[test]
    fn only_children_may_declare_without_a_document() {
        assert_eq!(check_id(IdKind::None, "", Some(2018), None, 2026), Ok(()));
        assert_eq!(
            check_id(IdKind::None, "", Some(1990), None, 2026),
            Err(IdProblem::DocumentRequired)
        );
    }
}
