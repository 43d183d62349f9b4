//! The QR on the back of a citizen ID card (CCCD), used by gate staff to
//! prefill a declaration. Plain `|`-separated UTF-8, not signed: a
//! convenience that staff confirm, never proof of identity.
//!
//! Parsing never fails on a card-shaped text: it returns the best record it
//! can plus a list of problems, so staff fix one field instead of retyping
//! the person. Only a text that is not a card at all is refused.

use serde::Serialize;
use thiserror::Error;
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CccdCard {
    /// 12 digits; the first 3 are a (pre-2025, 63-province) place code.
    pub id_number: String,
    /// The old 9-digit CMND, if the card carries it.
    pub old_id: Option<String>,
    pub full_name: String,
    pub date_of_birth: Option<Date>,
    pub sex: Option<Sex>,
    pub address: Option<String>,
    pub issued_on: Option<Date>,
}

/// A field that could not be read; the rest of the card still is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CccdProblem {
    OldId,
    FullName,
    DateOfBirth,
    Sex,
    Address,
    IssueDate,
}

impl CccdProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            CccdProblem::OldId => "cccd.problem.oldId",
            CccdProblem::FullName => "cccd.problem.fullName",
            CccdProblem::DateOfBirth => "cccd.problem.dateOfBirth",
            CccdProblem::Sex => "cccd.problem.sex",
            CccdProblem::Address => "cccd.problem.address",
            CccdProblem::IssueDate => "cccd.problem.issueDate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CccdError {
    #[error("not a citizen ID card code")]
    NotACard,
    #[error("a card code has 6 or 7 fields, this one has {found}")]
    WrongFieldCount { found: usize },
}

impl CccdError {
    pub fn message_key(&self) -> &'static str {
        match self {
            CccdError::NotACard => "cccd.notACard",
            CccdError::WrongFieldCount { .. } => "cccd.wrongFieldCount",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CccdParse {
    pub card: CccdCard,
    pub problems: Vec<CccdProblem>,
}

/// True when `text` starts like a card code (12 digits then `|`): the
/// classifier then reports card problems instead of "plain text".
pub fn looks_like_cccd(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.split('|').next().is_some_and(is_id_number) && text.contains('|')
}

pub fn parse_cccd(text: &str) -> Result<CccdParse, CccdError> {
    let text = text
        .trim_start_matches('\u{feff}')
        .trim_matches(['\r', '\n', ' ']);
    let fields: Vec<&str> = text.split('|').map(str::trim).collect();
    let id = fields.first().copied().unwrap_or_default();
    if !is_id_number(id) || fields.len() < 2 {
        return Err(CccdError::NotACard);
    }
    if !(6..=7).contains(&fields.len()) {
        return Err(CccdError::WrongFieldCount {
            found: fields.len(),
        });
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or_default();
    let mut problems = Vec::new();
    let mut check = |ok: bool, problem: CccdProblem| {
        if !ok {
            problems.push(problem);
        }
    };

    let old_id = Some(field(1)).filter(|s| !s.is_empty());
    check(
        old_id.is_none_or(|s| s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())),
        CccdProblem::OldId,
    );
    let full_name: String = field(2).nfc().collect();
    check(
        !full_name.is_empty() && !full_name.chars().any(char::is_control),
        CccdProblem::FullName,
    );
    let date_of_birth = parse_card_date(field(3));
    check(date_of_birth.is_some(), CccdProblem::DateOfBirth);
    let sex = parse_sex(field(4));
    check(sex.is_some(), CccdProblem::Sex);
    let address: String = field(5).nfc().collect();
    check(!address.is_empty(), CccdProblem::Address);
    // The issue date is the field cards most often lack; only a present but
    // unreadable one is a problem.
    let issued_on = parse_card_date(field(6));
    check(
        field(6).is_empty() || issued_on.is_some(),
        CccdProblem::IssueDate,
    );

    Ok(CccdParse {
        card: CccdCard {
            id_number: id.to_owned(),
            old_id: old_id.map(str::to_owned),
            full_name,
            date_of_birth,
            sex,
            address: Some(address).filter(|a| !a.is_empty()),
            issued_on,
        },
        problems,
    })
}

fn is_id_number(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `DDMMYYYY` or `DD/MM/YYYY` (one-digit day and month allowed with slashes).
fn parse_card_date(s: &str) -> Option<Date> {
    let (d, m, y): (u8, u8, i32) = if s.contains('/') {
        let mut parts = s.split('/');
        let d = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let y = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        (d, m, y)
    } else {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (
            s[0..2].parse().ok()?,
            s[2..4].parse().ok()?,
            s[4..8].parse().ok()?,
        )
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

fn parse_sex(s: &str) -> Option<Sex> {
    let s: String = s.nfc().collect::<String>().to_lowercase();
    match s.as_str() {
        "nam" | "male" => Some(Sex::Male),
        "nữ" | "nu" | "female" => Some(Sex::Female),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const CARD: &str = "079203001234|025123456|Nguyễn Thị Minh Khai|15081990|Nữ|12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh|01072021";

    #[test]
    fn a_full_card_parses_without_problems() {
        let p = parse_cccd(CARD).unwrap();
        assert_eq!(p.problems, vec![]);
        assert_eq!(p.card.id_number, "079203001234");
        assert_eq!(p.card.old_id.as_deref(), Some("025123456"));
        assert_eq!(p.card.full_name, "Nguyễn Thị Minh Khai");
        assert_eq!(p.card.date_of_birth, Some(date!(1990 - 08 - 15)));
        assert_eq!(p.card.sex, Some(Sex::Female));
        assert_eq!(p.card.issued_on, Some(date!(2021 - 07 - 01)));
    }

    #[test]
    fn bom_crlf_slashed_dates_and_a_missing_issue_date_are_accepted() {
        let text = "\u{feff}001099012345||Trần Văn Nam|5/3/1985|Nam|Xã Đông Anh, Hà Nội\r\n";
        let p = parse_cccd(text).unwrap();
        assert_eq!(p.problems, vec![]);
        assert_eq!(p.card.old_id, None);
        assert_eq!(p.card.date_of_birth, Some(date!(1985 - 03 - 05)));
        assert_eq!(p.card.sex, Some(Sex::Male));
        assert_eq!(p.card.issued_on, None);
    }

    #[test]
    fn a_bad_field_is_reported_and_the_rest_is_kept() {
        let text =
            "079203001234|12|Lê Văn Tám|31021990|X|Phường Bến Thành, TP. Hồ Chí Minh|99999999";
        let p = parse_cccd(text).unwrap();
        assert_eq!(
            p.problems,
            vec![
                CccdProblem::OldId,
                CccdProblem::DateOfBirth,
                CccdProblem::Sex,
                CccdProblem::IssueDate
            ]
        );
        assert_eq!(p.card.full_name, "Lê Văn Tám");
    }

    #[test]
    fn wrong_field_counts_are_refused_with_the_count() {
        assert_eq!(
            parse_cccd("079203001234|025123456|Tên|15081990|Nam"),
            Err(CccdError::WrongFieldCount { found: 5 })
        );
        assert_eq!(
            parse_cccd(&format!("{CARD}|extra")),
            Err(CccdError::WrongFieldCount { found: 8 })
        );
        assert_eq!(parse_cccd("hello|world"), Err(CccdError::NotACard));
        assert_eq!(parse_cccd(""), Err(CccdError::NotACard));
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused_without_panicking(s in "\\PC{0,120}") {
            let _ = parse_cccd(&s);
            let _ = looks_like_cccd(&s);
        }

        #[test]
        fn card_shaped_text_never_panics(fields in proptest::collection::vec("[^|]{0,12}", 0..9)) {
            let _ = parse_cccd(&format!("012345678901|{}", fields.join("|")));
        }
    }
}
