//! The health declaration (tờ khai y tế): who the person is, where they
//! live (2025 units: province and commune, no district), 14 days of travel,
//! symptoms, exposure, optional underlying conditions and vaccination, and
//! consent. Fields follow the 2021 form (docs/DESIGN §9).
//!
//! The UI holds a [`DeclarationForm`] exactly as typed; [`DeclarationForm::validate`]
//! turns it into a [`Declaration`] or lists every field that needs fixing,
//! so a half-filled form gets all its messages at once and nothing typed is
//! dropped. The server runs the same rules on what it receives
//! ([`Declaration::check`]).

mod card;
mod id_document;
mod phone;

pub use card::CardPrefill;
pub use id_document::{
    IdKind, IdProblem, NO_DOCUMENT_BELOW_AGE, cccd_birth, check_id, normalize_id,
};
pub use phone::normalize_phone;

use serde::{Deserialize, Serialize};
use time::Date;
use unicode_normalization::UnicodeNormalization;

use crate::admin_units::{AdminUnits, ProvinceCode};
use crate::venue::CommuneCode;
use crate::wire::lenient;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 200;
/// Nobody declaring is older than this.
pub const MAX_AGE_YEARS: i32 = 120;
pub const MAX_VACCINE_DOSES: u8 = 6;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    Other,
}

impl From<crate::cccd::Sex> for Sex {
    fn from(s: crate::cccd::Sex) -> Self {
        match s {
            crate::cccd::Sex::Male => Sex::Male,
            crate::cccd::Sex::Female => Sex::Female,
        }
    }
}

/// Triệu chứng: sốt, ho, khó thở, viêm phổi, đau họng, mệt mỏi.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    Fever,
    Cough,
    ShortnessOfBreath,
    Pneumonia,
    SoreThroat,
    Fatigue,
}

/// Contact in the last 14 days.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    /// With a confirmed or suspected case.
    Case,
    /// With someone from a country with an outbreak.
    FromOutbreakCountry,
    /// With someone with symptoms.
    SymptomaticPerson,
}

/// Bệnh nền (optional).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Liver,
    Blood,
    Lung,
    Kidney,
    Heart,
    Hypertension,
    Immunodeficiency,
    Transplant,
    Diabetes,
    Cancer,
    Pregnancy,
}

/// The form as the person typed it. Every field may be empty or wrong;
/// only [`DeclarationForm::validate`] decides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeclarationForm {
    pub full_name: String,
    pub id_kind: Option<IdKind>,
    pub id_number: String,
    pub birth_year: String,
    pub sex: Option<Sex>,
    pub nationality: String,
    pub province: Option<ProvinceCode>,
    pub commune: Option<CommuneCode>,
    pub street: String,
    pub phone: String,
    pub email: String,
    pub travelled: bool,
    pub travel_places: String,
    pub symptoms: Vec<Symptom>,
    pub exposures: Vec<Exposure>,
    pub conditions: Vec<Condition>,
    pub vaccine_doses: Option<u8>,
    /// ISO date, `YYYY-MM-DD` (what `<input type=date>` gives).
    pub last_dose_on: String,
    pub consent: bool,
}

/// A validated declaration: every required field present and well formed,
/// text in NFC, numbers normalized, sets sorted and without repeats.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Declaration {
    pub full_name: String,
    pub id_kind: IdKind,
    /// Empty for [`IdKind::None`].
    pub id_number: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1000, maximum = 9999))]
    #[serde(deserialize_with = "lenient::integer")]
    pub birth_year: i32,
    pub sex: Sex,
    pub nationality: String,
    #[cfg_attr(feature = "openapi", schema(value_type = u16, minimum = 0, maximum = 65535))]
    #[serde(deserialize_with = "province_code")]
    pub province: ProvinceCode,
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 0, maximum = 4294967295_u64))]
    #[serde(deserialize_with = "commune_code")]
    pub commune: CommuneCode,
    pub street: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_places: Option<String>,
    pub symptoms: Vec<Symptom>,
    pub exposures: Vec<Exposure>,
    pub conditions: Vec<Condition>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 255))]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_integer"
    )]
    pub vaccine_doses: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    #[serde(default, skip_serializing_if = "Option::is_none", with = "iso_date")]
    pub last_dose_on: Option<Date>,
}

/// Who fills the form, which decides two rules: a person declaring on
/// their own phone gives a phone number and a street address; gate staff
/// declaring for someone without a smartphone may have neither to give
/// (the ID card carries no phone, and its address may stop at the ward).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Own,
    Gate,
}

/// The form fields a message can point at (the UI focuses the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    FullName,
    IdKind,
    IdNumber,
    BirthYear,
    Sex,
    Nationality,
    Province,
    Commune,
    Street,
    Phone,
    Email,
    TravelPlaces,
    VaccineDoses,
    LastDoseOn,
    Consent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Field,
    /// Stable message key; the UI has the sentence in each language.
    pub key: &'static str,
}

const LAST_DOSE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

// Whole numbers on the wire may be written `79.0` (`wire::lenient`).
fn province_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ProvinceCode, D::Error> {
    lenient::integer(d).map(ProvinceCode)
}

fn commune_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CommuneCode, D::Error> {
    lenient::integer(d).map(CommuneCode)
}

/// A declaration's date on the wire: `"2022-03-01"`, as its schema says.
/// Text that is not such a date reads as a date no rule accepts, so the
/// one item carrying it is refused with a reason, instead of the whole
/// batch failing to parse.
mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    use super::LAST_DOSE_FORMAT;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date.and_then(|d| d.format(LAST_DOSE_FORMAT).ok()) {
            Some(text) => s.serialize_some(&text),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Ok(Option::<String>::deserialize(d)?
            .map(|text| Date::parse(&text, LAST_DOSE_FORMAT).unwrap_or(Date::MIN)))
    }
}

impl DeclarationForm {
    /// A form showing `declaration` again, to prefill the next one.
    pub fn from_declaration(d: &Declaration) -> Self {
        DeclarationForm {
            full_name: d.full_name.clone(),
            id_kind: Some(d.id_kind),
            id_number: d.id_number.clone(),
            birth_year: d.birth_year.to_string(),
            sex: Some(d.sex),
            nationality: d.nationality.clone(),
            province: Some(d.province),
            commune: Some(d.commune),
            street: d.street.clone(),
            phone: d.phone.clone(),
            email: d.email.clone().unwrap_or_default(),
            travelled: d.travel_places.is_some(),
            travel_places: d.travel_places.clone().unwrap_or_default(),
            symptoms: d.symptoms.clone(),
            exposures: d.exposures.clone(),
            conditions: d.conditions.clone(),
            vaccine_doses: d.vaccine_doses,
            last_dose_on: d
                .last_dose_on
                .and_then(|on| on.format(LAST_DOSE_FORMAT).ok())
                .unwrap_or_default(),
            // Consent is given for each declaration, never carried over.
            consent: false,
        }
    }

    /// Checks every field; `today` is the declaring device's date.
    pub fn validate(
        &self,
        today: Date,
        units: &AdminUnits,
    ) -> Result<Declaration, Vec<FieldError>> {
        self.validate_for(Channel::Own, today, units)
    }

    /// Checks every field by the rules of `channel`.
    pub fn validate_for(
        &self,
        channel: Channel,
        today: Date,
        units: &AdminUnits,
    ) -> Result<Declaration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, key| errors.push(FieldError { field, key });

        let full_name = clean_text(&self.full_name);
        if full_name.is_empty() {
            fail(Field::FullName, "declaration.fullName.required");
        } else if full_name.chars().count() > MAX_NAME_CHARS || !is_person_name(&full_name) {
            fail(Field::FullName, "declaration.fullName.invalid");
        }

        let current_year = today.year();
        let birth_year = match self.birth_year.trim().parse::<i32>() {
            _ if self.birth_year.trim().is_empty() => {
                fail(Field::BirthYear, "declaration.birthYear.required");
                None
            }
            Ok(y) if y <= current_year && current_year - y <= MAX_AGE_YEARS => Some(y),
            _ => {
                fail(Field::BirthYear, "declaration.birthYear.implausible");
                None
            }
        };
        if self.sex.is_none() {
            fail(Field::Sex, "declaration.sex.required");
        }

        let id_number = normalize_id(&self.id_number);
        match self.id_kind {
            None => fail(Field::IdKind, "declaration.idKind.required"),
            Some(kind) => {
                if let Err(problem) = check_id(kind, &id_number, birth_year, self.sex, current_year)
                {
                    let field = if problem == IdProblem::DocumentRequired {
                        Field::IdKind
                    } else {
                        Field::IdNumber
                    };
                    fail(field, id_problem_key(problem));
                }
            }
        }

        let nationality = clean_text(&self.nationality);
        if nationality.is_empty() {
            fail(Field::Nationality, "declaration.nationality.required");
        } else if nationality.chars().count() > MAX_TEXT_CHARS {
            fail(Field::Nationality, "declaration.text.tooLong");
        }

        match self.province {
            // One picker sets both: with neither chosen, one message (the
            // commune's) is enough.
            None if self.commune.is_none() => {}
            None => fail(Field::Province, "declaration.province.required"),
            Some(p) if units.province(p).is_none() => {
                fail(Field::Province, "declaration.province.unknown")
            }
            Some(_) => {}
        }
        match (self.commune, self.province) {
            (None, _) => fail(Field::Commune, "declaration.commune.required"),
            (Some(c), p) => match units.commune(c) {
                None => fail(Field::Commune, "declaration.commune.unknown"),
                Some(commune) if p.is_some_and(|p| p != commune.province) => {
                    fail(Field::Commune, "declaration.commune.otherProvince")
                }
                Some(_) => {}
            },
        }
        let street = clean_text(&self.street);
        // A card's address may stop at the ward; at a gate the commune is
        // enough to trace, and the queue should not wait for a house number.
        if street.is_empty() && channel == Channel::Own {
            fail(Field::Street, "declaration.street.required");
        } else if street.chars().count() > MAX_TEXT_CHARS {
            fail(Field::Street, "declaration.text.tooLong");
        }

        let phone = if self.phone.trim().is_empty() {
            if channel == Channel::Own {
                fail(Field::Phone, "declaration.phone.required");
                None
            } else {
                Some(String::new())
            }
        } else {
            let phone = normalize_phone(&self.phone);
            if phone.is_none() {
                fail(Field::Phone, "declaration.phone.invalid");
            }
            phone
        };

        let email = clean_text(&self.email);
        if !email.is_empty() && !is_email(&email) {
            fail(Field::Email, "declaration.email.invalid");
        }

        let travel_places = clean_text(&self.travel_places);
        if self.travelled && travel_places.is_empty() {
            fail(Field::TravelPlaces, "declaration.travelPlaces.required");
        } else if travel_places.chars().count() > MAX_TEXT_CHARS {
            fail(Field::TravelPlaces, "declaration.text.tooLong");
        }

        if self.vaccine_doses.is_some_and(|d| d > MAX_VACCINE_DOSES) {
            fail(Field::VaccineDoses, "declaration.vaccineDoses.invalid");
        }
        let last_dose_on = match self.last_dose_on.trim() {
            "" => None,
            text => match Date::parse(text, LAST_DOSE_FORMAT) {
                Ok(on) if on <= today && on.year() >= 2020 => Some(on),
                _ => {
                    fail(Field::LastDoseOn, "declaration.lastDoseOn.invalid");
                    None
                }
            },
        };

        if !self.consent {
            fail(Field::Consent, "declaration.consent.required");
        }

        match (
            birth_year,
            self.sex,
            self.id_kind,
            self.province,
            self.commune,
            phone,
        ) {
            (
                Some(birth_year),
                Some(sex),
                Some(id_kind),
                Some(province),
                Some(commune),
                Some(phone),
            ) if errors.is_empty() => Ok(Declaration {
                full_name,
                id_kind,
                id_number: if id_kind == IdKind::None {
                    String::new()
                } else {
                    id_number
                },
                birth_year,
                sex,
                nationality,
                province,
                commune,
                street,
                phone,
                email: Some(email).filter(|e| !e.is_empty()),
                travel_places: Some(travel_places).filter(|_| self.travelled),
                symptoms: sorted(&self.symptoms),
                exposures: sorted(&self.exposures),
                conditions: sorted(&self.conditions),
                vaccine_doses: self.vaccine_doses,
                last_dose_on,
            }),
            _ => Err(errors),
        }
    }
}

impl Declaration {
    /// The rules [`DeclarationForm::validate`] applies, for a declaration
    /// that arrives already structured (the server's ingest). A declaration
    /// passes only if validating it again changes nothing.
    pub fn check(
        &self,
        channel: Channel,
        today: Date,
        units: &AdminUnits,
    ) -> Result<(), Vec<FieldError>> {
        let mut form = DeclarationForm::from_declaration(self);
        form.consent = true;
        let again = form.validate_for(channel, today, units)?;
        if &again == self {
            Ok(())
        } else {
            Err(vec![FieldError {
                field: Field::FullName,
                key: "declaration.notNormalized",
            }])
        }
    }

    /// Any symptom or exposure: the gate sends the person to the health
    /// desk instead of letting them in.
    pub fn needs_attention(&self) -> bool {
        !self.symptoms.is_empty() || !self.exposures.is_empty()
    }

    /// The first word people are called by, for the personal pass and the
    /// gate's list (Vietnamese names end with it: "Nguyễn Văn An" → "An").
    pub fn given_name(&self) -> &str {
        crate::personal_pass::given_name(&self.full_name)
    }
}

fn id_problem_key(problem: IdProblem) -> &'static str {
    match problem {
        IdProblem::Required => "declaration.idNumber.required",
        IdProblem::CccdFormat => "declaration.idNumber.cccdFormat",
        IdProblem::CccdPlace => "declaration.idNumber.cccdPlace",
        IdProblem::CmndFormat => "declaration.idNumber.cmndFormat",
        IdProblem::PassportFormat => "declaration.idNumber.passportFormat",
        IdProblem::BirthYearMismatch => "declaration.idNumber.birthYearMismatch",
        IdProblem::SexMismatch => "declaration.idNumber.sexMismatch",
        IdProblem::DocumentRequired => "declaration.idKind.documentRequired",
    }
}

/// NFC, control characters dropped, runs of white space made one space.
fn clean_text(text: &str) -> String {
    let text: String = text.nfc().filter(|c| !c.is_control()).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Letters (any script), combining marks, and the punctuation names use.
fn is_person_name(name: &str) -> bool {
    name.chars().any(char::is_alphabetic)
        && name.chars().all(|c| {
            c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '.' || is_mark(c)
        })
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// Enough to catch a phone number or name typed in the wrong box; the
/// address is never mailed to, so no stricter rule is worth refusing a
/// real one.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(' ')
        && email.len() <= MAX_TEXT_CHARS
}

fn sorted<T: Ord + Copy>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort();
    items.dedup();
    items
}

#[cfg(test)]
mod tests;
