use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::admin_units::AdminUnits;

const TODAY: Date = date!(2026 - 11 - 25);
/// Thành phố Hà Nội and its Phường Đống Đa; Phường Sài Gòn is in Hồ Chí Minh.
const HA_NOI: ProvinceCode = ProvinceCode(1);
const DONG_DA: CommuneCode = CommuneCode(235);
const SAI_GON: CommuneCode = CommuneCode(26_740);

fn units() -> &'static AdminUnits {
    AdminUnits::embedded()
}

fn form() -> DeclarationForm {
    DeclarationForm {
        full_name: "  Nguyễn   Văn An ".into(),
        id_kind: Some(IdKind::Cccd),
        id_number: "001 092 001 234".into(),
        birth_year: "1992".into(),
        sex: Some(Sex::Male),
        nationality: "Việt Nam".into(),
        province: Some(HA_NOI),
        commune: Some(DONG_DA),
        street: "12 ngõ 34 Tôn Đức Thắng".into(),
        phone: "+84 912 345 678".into(),
        symptoms: vec![Symptom::Fever, Symptom::Cough, Symptom::Fever],
        consent: true,
        ..DeclarationForm::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<Field> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_form_gives_a_normalized_declaration() {
    let d = form().validate(TODAY, units()).unwrap();
    assert_eq!(d.full_name, "Nguyễn Văn An");
    assert_eq!(d.id_number, "001092001234");
    assert_eq!(d.phone, "0912345678");
    assert_eq!(d.symptoms, vec![Symptom::Fever, Symptom::Cough]);
    assert_eq!(d.travel_places, None);
    assert_eq!(d.email, None);
    assert_eq!(d.given_name(), "An");
    assert!(d.needs_attention());
    assert_eq!(d.check(Channel::Own, TODAY, units()), Ok(()));
}

#[test]
fn decomposed_diacritics_are_stored_composed() {
    let mut f = form();
    f.full_name = "Nguye\u{302}\u{303}n Va\u{306}n An".into();
    let d = f.validate(TODAY, units()).unwrap();
    assert_eq!(d.full_name, "Nguyễn Văn An");
}

#[test]
fn an_empty_form_lists_every_required_field_at_once() {
    let errors = DeclarationForm::default()
        .validate(TODAY, units())
        .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            Field::FullName,
            Field::BirthYear,
            Field::Sex,
            Field::IdKind,
            Field::Nationality,
            Field::Commune,
            Field::Street,
            Field::Phone,
            Field::Consent,
        ]
    );
    assert!(errors.iter().all(|e| e.key.starts_with("declaration.")));
}

#[test]
fn a_commune_must_be_in_the_chosen_province() {
    let mut f = form();
    f.commune = Some(SAI_GON);
    let errors = f.validate(TODAY, units()).unwrap_err();
    assert_eq!(errors[0].key, "declaration.commune.otherProvince");
    f.commune = Some(CommuneCode(99_999_999));
    let errors = f.validate(TODAY, units()).unwrap_err();
    assert_eq!(errors[0].key, "declaration.commune.unknown");
}

#[test]
fn birth_years_must_be_plausible() {
    for (typed, key) in [
        ("2027", "declaration.birthYear.implausible"),
        ("1890", "declaration.birthYear.implausible"),
        ("19a2", "declaration.birthYear.implausible"),
        (" ", "declaration.birthYear.required"),
    ] {
        let mut f = form();
        f.birth_year = typed.into();
        let errors = f.validate(TODAY, units()).unwrap_err();
        assert!(errors.iter().any(|e| e.key == key), "{typed}: {errors:?}");
    }
}

#[test]
fn the_id_number_must_match_the_person() {
    let mut f = form();
    f.birth_year = "1993".into();
    let errors = f.validate(TODAY, units()).unwrap_err();
    assert_eq!(fields(&errors), vec![Field::IdNumber]);
    assert_eq!(errors[0].key, "declaration.idNumber.birthYearMismatch");
}

#[test]
fn a_child_may_declare_without_a_document_and_an_adult_may_not() {
    let mut f = form();
    f.id_kind = Some(IdKind::None);
    f.id_number = "ignored".into();
    f.birth_year = "2019".into();
    let d = f.validate(TODAY, units()).unwrap();
    assert_eq!(d.id_number, "");
    f.birth_year = "1990".into();
    let errors = f.validate(TODAY, units()).unwrap_err();
    assert_eq!(errors[0].key, "declaration.idKind.documentRequired");
}

#[test]
fn travel_needs_the_places_and_a_dose_date_cannot_be_in_the_future() {
    let mut f = form();
    f.travelled = true;
    f.last_dose_on = "2026-11-26".into();
    f.email = "an@".into();
    let errors = f.validate(TODAY, units()).unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![Field::Email, Field::TravelPlaces, Field::LastDoseOn]
    );
    f.travel_places = "Đà Nẵng".into();
    f.last_dose_on = "2022-03-01".into();
    f.email = "an@example.vn".into();
    f.vaccine_doses = Some(3);
    let d = f.validate(TODAY, units()).unwrap();
    assert_eq!(d.travel_places.as_deref(), Some("Đà Nẵng"));
    assert_eq!(d.last_dose_on, Some(date!(2022 - 03 - 01)));
}

#[test]
fn names_with_digits_or_markup_are_refused() {
    for name in ["An 2", "<b>An</b>", "="] {
        let mut f = form();
        f.full_name = name.into();
        let errors = f.validate(TODAY, units()).unwrap_err();
        assert_eq!(errors[0].key, "declaration.fullName.invalid", "{name}");
    }
}

#[test]
fn a_prefilled_form_asks_for_consent_again() {
    let d = form().validate(TODAY, units()).unwrap();
    let again = DeclarationForm::from_declaration(&d);
    assert!(!again.consent);
    assert_eq!(again.phone, "0912345678");
}

#[test]
fn a_declaration_that_skipped_normalization_fails_the_check() {
    let mut d = form().validate(TODAY, units()).unwrap();
    d.phone = "+84912345678".into();
    assert!(d.check(Channel::Own, TODAY, units()).is_err());
    let mut d = form().validate(TODAY, units()).unwrap();
    d.symptoms = vec![Symptom::Cough, Symptom::Fever];
    assert!(d.check(Channel::Own, TODAY, units()).is_err());
}

fn any_form() -> impl Strategy<Value = DeclarationForm> {
    (
        prop::sample::select(vec!["Nguyễn Văn An", "", "Lê Thị  Hồng", "A1", "Đỗ"]),
        prop::sample::select(vec![
            "001092001234",
            "079195000001",
            "123456789",
            "C1234567",
            "",
        ]),
        prop::sample::select(vec![
            None,
            Some(IdKind::Cccd),
            Some(IdKind::Cmnd),
            Some(IdKind::Passport),
            Some(IdKind::None),
        ]),
        prop::sample::select(vec!["1992", "1995", "2015", "", "3000"]),
        prop::sample::select(vec![
            None,
            Some(Sex::Male),
            Some(Sex::Female),
            Some(Sex::Other),
        ]),
        prop::sample::select(vec![Some(DONG_DA), Some(SAI_GON), None]),
        prop::sample::select(vec!["0912345678", "+84 98 765 4321", "12", ""]),
        any::<bool>(),
        prop::collection::vec(
            prop::sample::select(vec![Symptom::Fever, Symptom::Cough, Symptom::Fatigue]),
            0..4,
        ),
    )
        .prop_map(
            |(name, id, kind, year, sex, commune, phone, consent, symptoms)| DeclarationForm {
                full_name: name.into(),
                id_kind: kind,
                id_number: id.into(),
                birth_year: year.into(),
                sex,
                nationality: "Việt Nam".into(),
                province: commune.and_then(|c| units().commune(c)).map(|c| c.province),
                commune,
                street: "1 Hàng Bài".into(),
                phone: phone.into(),
                symptoms,
                consent,
                ..DeclarationForm::default()
            },
        )
}

proptest! {
    /// Whatever is typed, validation answers (never panics), and what it
    /// accepts passes the server's check and survives a prefill round trip.
    #[test]
    fn validation_is_total_and_stable(f in any_form()) {
        match f.validate(TODAY, units()) {
            Ok(d) => {
                prop_assert_eq!(d.check(Channel::Own, TODAY, units()), Ok(()));
                let mut again = DeclarationForm::from_declaration(&d);
                again.consent = true;
                prop_assert_eq!(again.validate(TODAY, units()), Ok(d));
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }
}

#[test]
fn gate_staff_may_leave_phone_and_street_empty_a_citizen_may_not() {
    let mut f = form();
    f.phone = String::new();
    f.street = String::new();
    assert_eq!(
        fields(&f.validate(TODAY, units()).unwrap_err()),
        vec![Field::Street, Field::Phone]
    );
    let d = f.validate_for(Channel::Gate, TODAY, units()).unwrap();
    assert_eq!(d.phone, "");
    assert_eq!(d.check(Channel::Gate, TODAY, units()), Ok(()));
    assert!(d.check(Channel::Own, TODAY, units()).is_err());
}

#[test]
fn on_the_wire_a_dose_date_is_iso_text_and_bad_text_is_refused_by_the_rules() {
    let mut f = form();
    f.last_dose_on = "2022-03-01".into();
    let d = f.validate(TODAY, units()).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["lastDoseOn"], "2022-03-01");
    let back: Declaration = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, d);
    let mut bad = json;
    bad["lastDoseOn"] = "".into();
    let read: Declaration = serde_json::from_value(bad).unwrap();
    assert!(read.check(Channel::Own, TODAY, units()).is_err());
}
