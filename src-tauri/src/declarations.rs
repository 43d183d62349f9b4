//! Commands of the Declare screen: the family, the address picker, the
//! form (prefilled, validated in core), and the personal pass.

use serde::Serialize;
use tauri::State;
use time::OffsetDateTime;
use vaora_core::calendar::vietnam_date;
use vaora_core::declaration::{DeclarationForm, FieldError};
use vaora_core::personal_pass::PersonalPass;
use vaora_core::venue::CommuneCode;
use vaora_core::{AdminUnits, Person, PersonId, ProvinceCode};

use crate::commands::visit_id;
use crate::state::AppState;
use crate::views::UiError;

/// Most results a picker shows at once.
const PLACE_RESULTS: usize = 20;

#[tauri::command]
pub fn people(state: State<'_, AppState>) -> Result<Vec<Person>, UiError> {
    state.with_journal(|j| j.people())
}

#[tauri::command]
pub fn add_dependent(state: State<'_, AppState>, name: String) -> Result<Person, UiError> {
    state.with_journal(|j| j.add_dependent(&name))
}

/// A place a picker row shows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceView {
    pub province: ProvinceCode,
    /// Set for a commune, absent for a province.
    pub commune: Option<CommuneCode>,
    pub name: String,
    pub province_name: String,
}

/// Provinces and communes matching `query`, diacritics optional.
#[tauri::command]
pub fn search_places(query: String, province: Option<ProvinceCode>) -> Vec<PlaceView> {
    AdminUnits::embedded()
        .search(&query, province, PLACE_RESULTS)
        .into_iter()
        .map(|m| PlaceView {
            province: m.province,
            commune: m.commune(),
            name: m.name.to_owned(),
            province_name: m.province_name.to_owned(),
        })
        .collect()
}

/// The form to start from, with the names of its chosen place.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub form: DeclarationForm,
    pub place: Option<PlaceView>,
}

pub(crate) fn place_of(commune: Option<CommuneCode>) -> Option<PlaceView> {
    let units = AdminUnits::embedded();
    let commune = units.commune(commune?)?;
    let province = units.province(commune.province)?;
    Some(PlaceView {
        province: province.code,
        commune: Some(commune.code),
        name: commune.name.clone(),
        // The short name, as the picker's rows show it.
        province_name: province.short_name.clone(),
    })
}

#[tauri::command]
pub fn declaration_draft(state: State<'_, AppState>, person: i64) -> Result<DraftView, UiError> {
    let form = state.with_journal(|j| j.declaration_draft(PersonId(person)))?;
    let place = place_of(form.commune);
    Ok(DraftView { form, place })
}

/// A submitted form: saved, or the fields to fix (the form stays as typed).
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SubmitView {
    #[serde(rename_all = "camelCase")]
    Saved {
        id: String,
        given_name: String,
        needs_attention: bool,
    },
    Invalid {
        errors: Vec<FieldError>,
    },
}

#[tauri::command]
pub fn submit_declaration(
    state: State<'_, AppState>,
    person: i64,
    visit: Option<String>,
    form: DeclarationForm,
) -> Result<SubmitView, UiError> {
    let visit = visit.as_deref().map(visit_id).transpose()?;
    let now = OffsetDateTime::now_utc();
    let declaration = match form.validate(vietnam_date(now), AdminUnits::embedded()) {
        Ok(d) => d,
        Err(errors) => return Ok(SubmitView::Invalid { errors }),
    };
    let saved =
        state.with_journal(|j| j.save_declaration(PersonId(person), visit, &declaration, now))?;
    Ok(SubmitView::Saved {
        id: saved.id.to_string(),
        given_name: declaration.given_name().to_owned(),
        needs_attention: declaration.needs_attention(),
    })
}

/// The personal pass of `person`'s last declaration: a QR a gate scans.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassView {
    pub given_name: String,
    /// ISO date of the declaration.
    pub declared_on: String,
    pub qr: vaora_print::QrPath,
    /// The pass's text, for a screen reader or to copy.
    pub text: String,
}

#[tauri::command]
pub fn personal_pass(state: State<'_, AppState>, person: i64) -> Result<PassView, UiError> {
    let last = state
        .with_journal(|j| j.last_declaration(PersonId(person)))?
        .ok_or(UiError::new("pass.noDeclaration"))?;
    let ring = state.key_ring();
    let authority = ring
        .current_authority_key()
        .ok_or(UiError::new("pass.noAuthorityKey"))?;
    let declared_on = vietnam_date(last.declared_at);
    // Serialising our own type cannot fail.
    let sealed_body = serde_json::to_vec(&last.declaration).unwrap_or_default();
    let given_name = last.declaration.given_name();
    let pass = PersonalPass::seal(given_name, declared_on, authority, &sealed_body)
        .map_err(|e| UiError::new(e.message_key()))?;
    let text = pass.to_text();
    let qr = vaora_print::qr_path(&text).map_err(|_| UiError::new("pass.tooLarge"))?;
    Ok(PassView {
        given_name: pass.first_name.clone(),
        declared_on: declared_on.to_string(),
        qr,
        text,
    })
}
