//! A gate's declaration started from a citizen ID card's QR: identity from
//! the card, the printed (pre-2025) address converted to the 2025 province
//! and commune, the rest left for staff to confirm. The card is not proof
//! of anything; staff see the form before it is saved.

use serde::Serialize;
use time::Date;

use super::{DeclarationForm, IdKind};
use crate::admin_units::LegacyUnits;
use crate::cccd::{CccdCard, CccdProblem};
use crate::venue::CommuneCode;

/// The prefilled form, and what the card could not settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardPrefill {
    pub form: DeclarationForm,
    /// Communes the old address may now be in, best first (the form has
    /// the first). More than one when the old ward was split: staff ask.
    pub commune_candidates: Vec<CommuneCode>,
    /// The card's address as printed, when it could not be converted.
    pub unconverted_address: Option<String>,
    /// Card fields that could not be read (message keys).
    pub problems: Vec<&'static str>,
}

impl CardPrefill {
    pub fn from_card(card: &CccdCard, problems: &[CccdProblem], legacy: &LegacyUnits) -> Self {
        let converted = card
            .address
            .as_deref()
            .and_then(|a| legacy.convert_address(a));
        let form = DeclarationForm {
            full_name: card.full_name.clone(),
            id_kind: Some(IdKind::Cccd),
            id_number: card.id_number.clone(),
            birth_year: card
                .date_of_birth
                .map(|d: Date| d.year().to_string())
                .unwrap_or_default(),
            sex: card.sex.map(Into::into),
            nationality: "Việt Nam".to_owned(),
            province: converted.as_ref().map(|c| c.province),
            commune: converted.as_ref().and_then(|c| c.communes.first().copied()),
            street: converted
                .as_ref()
                .map(|c| c.street.clone())
                .unwrap_or_default(),
            ..DeclarationForm::default()
        };
        CardPrefill {
            form,
            commune_candidates: converted
                .as_ref()
                .map(|c| c.communes.clone())
                .unwrap_or_default(),
            unconverted_address: card.address.clone().filter(|_| converted.is_none()),
            problems: problems.iter().map(|p| p.message_key()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin_units::AdminUnits;
    use crate::cccd::parse_cccd;
    use crate::declaration::Channel;
    use time::macros::date;

    #[test]
    fn a_card_prefills_a_form_that_validates_at_the_gate() {
        let parsed = parse_cccd(
            "001092001234|012345678|Nguyễn Văn An|15031992|Nam|Số 12 ngõ 34 Tôn Đức Thắng, Phường Quốc Tử Giám, Quận Đống Đa, Thành phố Hà Nội|20042021",
        )
        .unwrap();
        let prefill =
            CardPrefill::from_card(&parsed.card, &parsed.problems, LegacyUnits::embedded());
        assert_eq!(prefill.form.birth_year, "1992");
        assert_eq!(prefill.form.street, "Số 12 ngõ 34 Tôn Đức Thắng");
        assert_eq!(prefill.form.commune, Some(CommuneCode(226)));
        assert!(
            prefill.commune_candidates.len() >= 2,
            "the old ward was split"
        );
        assert_eq!(prefill.unconverted_address, None);
        let mut form = prefill.form;
        form.consent = true;
        let d = form
            .validate_for(Channel::Gate, date!(2026 - 11 - 25), AdminUnits::embedded())
            .unwrap();
        assert_eq!(d.id_number, "001092001234");
        assert_eq!(d.phone, "");
    }

    #[test]
    fn an_address_that_does_not_convert_is_shown_as_printed() {
        let parsed = parse_cccd(
            "079092001234||Lê Văn Tám|01011992|Nam|Ấp Không Tồn Tại, Nơi Nào Đó|01012021",
        )
        .unwrap();
        let prefill =
            CardPrefill::from_card(&parsed.card, &parsed.problems, LegacyUnits::embedded());
        assert_eq!(prefill.form.commune, None);
        assert_eq!(
            prefill.unconverted_address.as_deref(),
            Some("Ấp Không Tồn Tại, Nơi Nào Đó")
        );
    }
}
