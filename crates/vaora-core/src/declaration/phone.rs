//! Vietnamese phone numbers as people write them: "0912 345 678",
//! "+84 912 345 678", "84-912-345-678", "(024) 3825 1234". Stored in the
//! national form (leading 0) so the same number is always the same text.

/// The national form of `input`, or `None` when it is not a Vietnamese
/// mobile (10 digits: 03x, 05x, 07x, 08x, 09x) or landline (11 digits, 02x).
pub fn normalize_phone(input: &str) -> Option<String> {
    let kept: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let digits = if let Some(rest) = kept.strip_prefix("+84") {
        format!("0{rest}")
    } else if let Some(rest) = kept.strip_prefix("84").filter(|r| r.len() >= 9) {
        format!("0{rest}")
    } else {
        kept
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let b = digits.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b[0] == b'0' && b[1] == b'2';
    (mobile || landline).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::normalize_phone;
    use proptest::prelude::*;

    #[test]
    fn written_forms_of_one_number_agree() {
        for written in [
            "0912345678",
            "0912 345 678",
            "+84 912 345 678",
            "84-912-345-678",
            "091.234.5678",
        ] {
            assert_eq!(
                normalize_phone(written).as_deref(),
                Some("0912345678"),
                "{written}"
            );
        }
        assert_eq!(
            normalize_phone("(024) 3825 1234").as_deref(),
            Some("02438251234")
        );
    }

    #[test]
    fn other_numbers_are_refused() {
        for bad in [
            "",
            "091234567",
            "09123456789",
            "0112345678",
            "0612345678",
            "+1 415 555 0100",
            "09l2345678",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_normalized_number_normalizes_to_itself(input in "[0-9 +().-]{0,20}") {
            if let Some(n) = normalize_phone(&input) {
                prop_assert_eq!(normalize_phone(&n), Some(n.clone()));
                prop_assert!(n.starts_with('0'));
            }
        }
    }
}
