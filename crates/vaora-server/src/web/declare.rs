//! The web declaration page: a venue code is a URL
//! (`HTTPS://HOST/V/TOKEN`), so a phone without the app that scans the
//! poster opens this page and can still check in and declare. Plain HTML,
//! no JavaScript: the commune list follows the chosen province after one
//! round trip ("show communes"), starting from the venue's own province.
//!
//! The same rules as the app (`DeclarationForm::validate_for`), the same
//! words (the app's message files) and the same storage path (`Db::ingest`
//! with a visit and a declaration, as a phone's sync would send them).
//! Each form carries a submission id made when it was shown, so sending it
//! twice (a double tap, a reload) records it once.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use vaora_core::admin_units::ProvinceCode;
use vaora_core::calendar::vietnam_date_ms;
use vaora_core::declaration::{
    Channel, Condition, DeclarationForm, Exposure, FieldError, IdKind, Sex, Symptom,
};
use vaora_core::venue::CommuneCode;
use vaora_core::visit::VisitSource;
use vaora_core::wire::{
    DeclarationRecord, ItemPayload, ItemStatus, RejectReason, SyncItem, VisitRecord,
};
use vaora_core::{AdminUnits, ScanContext, Scanned, classify};

use super::messages::text;
use super::page::{Notice, document, notice};
use super::words::Lang;
use crate::app::AppState;
use crate::db::{DeviceKind, StoredVenue, now_ms};
use crate::error::ApiError;

const ID_KINDS: [IdKind; 4] = [IdKind::Cccd, IdKind::Cmnd, IdKind::Passport, IdKind::None];
const SEXES: [Sex; 3] = [Sex::Male, Sex::Female, Sex::Other];
const SYMPTOMS: [Symptom; 6] = [
    Symptom::Fever,
    Symptom::Cough,
    Symptom::ShortnessOfBreath,
    Symptom::Pneumonia,
    Symptom::SoreThroat,
    Symptom::Fatigue,
];
const EXPOSURES: [Exposure; 3] = [
    Exposure::Case,
    Exposure::FromOutbreakCountry,
    Exposure::SymptomaticPerson,
];
const CONDITIONS: [Condition; 11] = [
    Condition::Liver,
    Condition::Blood,
    Condition::Lung,
    Condition::Kidney,
    Condition::Heart,
    Condition::Hypertension,
    Condition::Immunodeficiency,
    Condition::Transplant,
    Condition::Diabetes,
    Condition::Cancer,
    Condition::Pregnancy,
];

/// The checkpoint a code names, verified with this server's own keys.
struct Checkpoint {
    venue: StoredVenue,
    entrance: u16,
}

async fn checkpoint(state: &AppState, token: &str) -> Result<Checkpoint, ApiError> {
    let ring = crate::issuer::key_ring(&state.issuer, &state.authority);
    let now = time::OffsetDateTime::now_utc();
    let host: &str = &state.code_host;
    let ctx = ScanContext {
        key_ring: &ring,
        known_hosts: &[host],
        today: vietnam_date_ms(now_ms()),
        now,
    };
    let Scanned::Venue(verified) = classify(&format!("HTTPS://{host}/V/{token}"), &ctx) else {
        return Err(ApiError::NOT_FOUND);
    };
    let id = i64::try_from(verified.content.venue.0).map_err(|_| ApiError::NOT_FOUND)?;
    let venue = state.db.venue(id).await?.ok_or(ApiError::NOT_FOUND)?;
    Ok(Checkpoint {
        venue,
        entrance: verified.content.entrance.0,
    })
}

/// An enum from its wire name (`"cccd"`, `"sore_throat"`), as the form
/// sends it; anything else is as if nothing was chosen.
fn choice<T: DeserializeOwned>(value: &str) -> Option<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(value)).ok()
}

/// An enum's wire name, for the form's `value`s and message keys.
fn wire_name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The form as posted.
#[derive(Default)]
struct Posted {
    form: DeclarationForm,
    submission: Option<Uuid>,
    /// "Show communes" was pressed: redraw, do not send.
    province_step: bool,
}

fn parse_posted(body: &[u8]) -> Posted {
    let mut p = Posted::default();
    let f = &mut p.form;
    for (key, value) in form_urlencoded::parse(body) {
        let v = value.as_ref();
        match key.as_ref() {
            "fullName" => f.full_name = v.to_owned(),
            "idKind" => f.id_kind = choice(v),
            "idNumber" => f.id_number = v.to_owned(),
            "birthYear" => f.birth_year = v.to_owned(),
            "sex" => f.sex = choice(v),
            "nationality" => f.nationality = v.to_owned(),
            "province" => f.province = v.parse().ok().map(ProvinceCode),
            "commune" => f.commune = v.parse().ok().map(CommuneCode),
            "street" => f.street = v.to_owned(),
            "phone" => f.phone = v.to_owned(),
            "email" => f.email = v.to_owned(),
            "travelled" => f.travelled = true,
            "travelPlaces" => f.travel_places = v.to_owned(),
            "symptoms" => f.symptoms.extend(choice::<Symptom>(v)),
            "exposures" => f.exposures.extend(choice::<Exposure>(v)),
            "conditions" => f.conditions.extend(choice::<Condition>(v)),
            "vaccineDoses" => f.vaccine_doses = v.parse().ok(),
            "lastDoseOn" => f.last_dose_on = v.to_owned(),
            "consent" => f.consent = true,
            "submission" => p.submission = Uuid::parse_str(v).ok(),
            "step" => p.province_step = v == "province",
            _ => {}
        }
    }
    p
}

/// Ids for the visit and declaration items, derived from the form's one
/// submission id: sending the same form again resends the same items.
fn derived_id(submission: Uuid, what: &str) -> Uuid {
    let digest = Sha256::new()
        .chain_update(submission.as_bytes())
        .chain_update(what.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// How long a form may stay open on a phone and still date the visit.
const FORM_OPEN_MS: i64 = 2 * 3600 * 1000;

/// The visit starts when the code was opened: the submission id is a
/// UUIDv7 made then. A form left open longer (or a made-up id) is dated
/// when it is sent.
fn arrival(submission: Uuid, now: i64) -> i64 {
    let shown = submission.get_timestamp().map(|t| {
        let (seconds, nanos) = t.to_unix();
        i64::try_from(seconds).unwrap_or(0) * 1000 + i64::from(nanos / 1_000_000)
    });
    shown
        .filter(|ms| (now - FORM_OPEN_MS..=now).contains(ms))
        .unwrap_or(now)
}

#[derive(Debug, Default, Deserialize)]
pub struct Sent {
    sent: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Query(sent): Query<Sent>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let here = match checkpoint(&state, &token).await {
        Ok(here) => here,
        Err(e) => return not_a_checkpoint(lang, &e),
    };
    let form = DeclarationForm {
        nationality: "Việt Nam".to_owned(),
        province: AdminUnits::embedded()
            .commune(CommuneCode(here.venue.venue.commune))
            .map(|c| c.province),
        ..DeclarationForm::default()
    };
    let done = sent
        .sent
        .is_some()
        .then(|| Notice::Done(text(lang, "web.declare.sent")));
    render(
        lang,
        &token,
        &here,
        &form,
        Uuid::now_v7(),
        &[],
        done,
        StatusCode::OK,
    )
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = Lang::of_request(&headers);
    let here = match checkpoint(&state, &token).await {
        Ok(here) => here,
        Err(e) => return not_a_checkpoint(lang, &e),
    };
    let posted = parse_posted(&body);
    let submission = posted.submission.unwrap_or_else(Uuid::now_v7);
    let redraw = |errors: &[FieldError], problem: Option<&str>, status| {
        render(
            lang,
            &token,
            &here,
            &posted.form,
            submission,
            errors,
            problem.map(Notice::Problem),
            status,
        )
    };
    if posted.province_step {
        return redraw(&[], None, StatusCode::OK);
    }
    let now = now_ms();
    let declaration =
        match posted
            .form
            .validate_for(Channel::Own, vietnam_date_ms(now), AdminUnits::embedded())
        {
            Ok(d) => d,
            Err(errors) => {
                let problem = text(lang, "web.declare.fix");
                return redraw(&errors, Some(problem), StatusCode::UNPROCESSABLE_ENTITY);
            }
        };
    if state.limits.check_address(peer.ip()).is_err() {
        let problem = text(lang, "web.declare.busy");
        return redraw(&[], Some(problem), StatusCode::TOO_MANY_REQUESTS);
    }
    let visit_item = derived_id(submission, "visit item");
    let sent_page = Redirect::to(&format!("/V/{token}?sent=1")).into_response();
    match state.db.item_received(visit_item).await {
        Ok(true) => return sent_page,
        Ok(false) => {}
        Err(e) => {
            let e = ApiError::from(e);
            return redraw(&[], Some(text(lang, "web.declare.busy")), e.status);
        }
    }
    let visit = derived_id(submission, "visit");
    let arrived = arrival(submission, now);
    let items = [
        SyncItem {
            id: visit_item,
            payload: ItemPayload::Visit(VisitRecord {
                id: visit,
                person: 1,
                venue: u64::try_from(here.venue.id).ok(),
                entrance: here.entrance,
                place_name: here.venue.venue.short_name.clone(),
                commune: Some(here.venue.venue.commune),
                checked_in_at: arrived,
                checked_out_at: None,
                source: VisitSource::Scan,
                verified: true,
            }),
        },
        SyncItem {
            id: derived_id(submission, "declaration item"),
            payload: ItemPayload::Declaration(Box::new(DeclarationRecord {
                id: derived_id(submission, "declaration"),
                person: Some(1),
                visit: Some(visit),
                declared_at: now,
                declaration,
            })),
        },
    ];
    // The browser is a device of its own: the tracing query pairs a visit
    // with the declaration of the same device and person.
    let stored = match state.db.register_device(DeviceKind::Citizen, None).await {
        Ok(device) => state.db.ingest(device.id, &items, now).await,
        Err(e) => Err(e),
    };
    match stored {
        // Sent twice at the same moment (a double tap): the second is told
        // the visit is the first one's device's; it is recorded once.
        Ok(results)
            if results.iter().all(|r| {
                r.status != ItemStatus::Rejected || r.reason == Some(RejectReason::NotYours)
            }) =>
        {
            tracing::info!("web declaration recorded");
            sent_page
        }
        Ok(results) => {
            // The form passed the same rules just above; a refusal here is
            // a bug worth seeing in the logs (reasons hold no personal data).
            let reasons: Vec<_> = results.iter().filter_map(|r| r.reason).collect();
            tracing::warn!(?reasons, "web declaration refused at ingest");
            let problem = text(lang, "web.declare.fix");
            redraw(&[], Some(problem), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => {
            let e = ApiError::from(e);
            redraw(&[], Some(text(lang, "web.declare.busy")), e.status)
        }
    }
}

/// The page for a code that opens no form: not ours (404), or the server
/// could not look the venue up just now (storage: try again).
fn not_a_checkpoint(lang: Lang, e: &ApiError) -> Response {
    let (title, body) = if e.status == StatusCode::NOT_FOUND {
        ("web.declare.notFound", "web.declare.notFoundBody")
    } else {
        ("declare.title", "web.declare.busy")
    };
    let page = document(
        lang,
        text(lang, title),
        text(lang, "app.name"),
        html! {},
        html! { p { (text(lang, body)) } },
    );
    (e.status, page).into_response()
}

#[allow(clippy::too_many_arguments)]
fn render(
    lang: Lang,
    token: &str,
    here: &Checkpoint,
    form: &DeclarationForm,
    submission: Uuid,
    errors: &[FieldError],
    shown: Option<Notice<'_>>,
    status: StatusCode,
) -> Response {
    let fields = Fields { lang, errors, form };
    let content = html! {
        p.venue { strong { (here.venue.venue.name) } br; (here.venue.venue.address) }
        @if let Some(n) = &shown { (notice(n)) }
        form method="post" action={ "/V/" (token) } novalidate {
            input type="hidden" name="submission" value=(submission);
            (fields.identity())
            (fields.address())
            (fields.last14())
            (fields.optional())
            (fields.check("consent", "declare.consent", form.consent))
            p { button type="submit" name="step" value="send" { (text(lang, "web.declare.submit")) } }
        }
    };
    let page = document(
        lang,
        text(lang, "declare.title"),
        text(lang, "app.name"),
        html! {},
        content,
    );
    (status, page).into_response()
}

/// Draws the form's fields with their values and messages.
struct Fields<'a> {
    lang: Lang,
    errors: &'a [FieldError],
    form: &'a DeclarationForm,
}

impl Fields<'_> {
    fn t<'k>(&self, key: &'k str) -> &'k str {
        text(self.lang, key)
    }

    /// The message under a field, if it has one (`field` is the wire name).
    fn problem(&self, field: &str) -> Markup {
        let error = self.errors.iter().find(|e| wire_name(e.field) == field);
        html! {
            @if let Some(e) = error {
                span.problem id={ (field) "-problem" } { (self.t(e.key)) }
            }
        }
    }

    fn described(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .any(|e| wire_name(e.field) == field)
            .then(|| format!("{field}-problem"))
    }

    fn input(&self, name: &str, label: &str, kind: &str, value: &str, auto: &str) -> Markup {
        html! {
            label {
                (self.t(label))
                input type=(kind) name=(name) value=(value) autocomplete=(auto)
                    aria-invalid=[self.described(name).map(|_| "true")]
                    aria-describedby=[self.described(name)];
                (self.problem(name))
            }
        }
    }

    fn select<T: Copy + serde::Serialize + PartialEq>(
        &self,
        name: &str,
        label: &str,
        options: &[T],
        chosen: Option<T>,
        prefix: &str,
    ) -> Markup {
        html! {
            label {
                (self.t(label))
                select name=(name) aria-invalid=[self.described(name).map(|_| "true")]
                    aria-describedby=[self.described(name)] {
                    option value="" { (self.t("declare.choose")) }
                    @for option in options {
                        @let code = wire_name(*option);
                        option value=(code) selected[chosen == Some(*option)] {
                            (self.t(&format!("{prefix}.{code}")))
                        }
                    }
                }
                (self.problem(name))
            }
        }
    }

    fn check(&self, name: &str, label: &str, checked: bool) -> Markup {
        html! {
            label.check {
                input type="checkbox" name=(name) value="yes" checked[checked];
                span { (self.t(label)) }
            }
            (self.problem(name))
        }
    }

    fn checks<T: Copy + serde::Serialize + PartialEq>(
        &self,
        name: &str,
        legend: &str,
        options: &[T],
        chosen: &[T],
        prefix: &str,
    ) -> Markup {
        html! {
            fieldset {
                legend { (self.t(legend)) }
                @for option in options {
                    @let code = wire_name(*option);
                    label.check {
                        input type="checkbox" name=(name) value=(code) checked[chosen.contains(option)];
                        span { (self.t(&format!("{prefix}.{code}"))) }
                    }
                }
            }
        }
    }

    fn identity(&self) -> Markup {
        let f = self.form;
        html! {
            fieldset {
                legend { (self.t("declare.identity")) }
                (self.input("fullName", "declare.fullName", "text", &f.full_name, "name"))
                (self.select("idKind", "declare.idKind", &ID_KINDS, f.id_kind, "declare.idKind"))
                (self.input("idNumber", "declare.idNumber", "text", &f.id_number, "off"))
                (self.input("birthYear", "declare.birthYear", "number", &f.birth_year, "bday-year"))
                (self.select("sex", "declare.sex", &SEXES, f.sex, "declare.sex"))
                (self.input("nationality", "declare.nationality", "text", &f.nationality, "country-name"))
                (self.input("phone", "declare.phone", "tel", &f.phone, "tel"))
                (self.input("email", "declare.email", "email", &f.email, "email"))
            }
        }
    }

    fn address(&self) -> Markup {
        let f = self.form;
        let units = AdminUnits::embedded();
        let communes = f.province.map(|p| units.communes_of(p)).unwrap_or_default();
        html! {
            fieldset {
                legend { (self.t("declare.address")) }
                label {
                    (self.t("web.declare.province"))
                    select name="province" {
                        option value="" { (self.t("declare.choose")) }
                        @for p in units.provinces() {
                            option value=(p.code.0) selected[f.province == Some(p.code)] { (p.name) }
                        }
                    }
                    (self.problem("province"))
                }
                p { button.secondary type="submit" name="step" value="province" { (self.t("web.declare.showCommunes")) } }
                label {
                    (self.t("web.declare.commune"))
                    select name="commune" aria-invalid=[self.described("commune").map(|_| "true")]
                        aria-describedby=[self.described("commune")] {
                        option value="" { (self.t("declare.choose")) }
                        @for c in communes {
                            option value=(c.code.0) selected[f.commune == Some(c.code)] { (c.name) }
                        }
                    }
                    (self.problem("commune"))
                }
                (self.input("street", "declare.street", "text", &f.street, "street-address"))
            }
        }
    }

    fn last14(&self) -> Markup {
        let f = self.form;
        html! {
            fieldset {
                legend { (self.t("declare.last14")) }
                (self.check("travelled", "declare.travelled", f.travelled))
                (self.input("travelPlaces", "declare.travelPlaces", "text", &f.travel_places, "off"))
            }
            (self.checks("symptoms", "declare.symptoms", &SYMPTOMS, &f.symptoms, "declare.symptom"))
            (self.checks("exposures", "declare.exposures", &EXPOSURES, &f.exposures, "declare.exposure"))
        }
    }

    fn optional(&self) -> Markup {
        let f = self.form;
        let doses = f.vaccine_doses.map(|d| d.to_string()).unwrap_or_default();
        html! {
            details open[!f.conditions.is_empty() || f.vaccine_doses.is_some()] {
                summary { (self.t("declare.optional")) }
                (self.checks("conditions", "declare.conditions", &CONDITIONS, &f.conditions, "declare.condition"))
                (self.input("vaccineDoses", "declare.vaccineDoses", "number", &doses, "off"))
                (self.input("lastDoseOn", "declare.lastDoseOn", "date", &f.last_dose_on, "off"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_is_read_field_by_field_and_unknown_choices_are_dropped() {
        let body = "fullName=Nguy%E1%BB%85n+V%C4%83n+An&idKind=cccd&sex=robot&province=1&commune=70\
                    &symptoms=cough&symptoms=fever&symptoms=zombie&consent=yes&vaccineDoses=x&step=province";
        let p = parse_posted(body.as_bytes());
        assert_eq!(p.form.full_name, "Nguyễn Văn An");
        assert_eq!(p.form.id_kind, Some(IdKind::Cccd));
        assert_eq!(p.form.sex, None);
        assert_eq!(p.form.province, Some(ProvinceCode(1)));
        assert_eq!(p.form.commune, Some(CommuneCode(70)));
        assert_eq!(p.form.symptoms, [Symptom::Cough, Symptom::Fever]);
        assert!(p.form.consent);
        assert_eq!(p.form.vaccine_doses, None);
        assert!(p.province_step);
        assert_eq!(p.submission, None);
    }

    #[test]
    fn the_visit_is_dated_when_the_form_was_shown_if_that_is_plausible() {
        let shown = Uuid::now_v7();
        let now = crate::db::now_ms();
        let arrived = arrival(shown, now + 60_000);
        assert!((now - 1000..=now).contains(&arrived), "{arrived} vs {now}");
        assert_eq!(
            arrival(shown, now + FORM_OPEN_MS + 60_000),
            now + FORM_OPEN_MS + 60_000
        );
        assert_eq!(arrival(Uuid::nil(), now), now, "no timestamp");
        assert_eq!(
            arrival(shown, now - 60_000),
            now - 60_000,
            "not from the future"
        );
    }

    #[test]
    fn the_same_submission_always_makes_the_same_item_ids() {
        let s = Uuid::now_v7();
        assert_eq!(derived_id(s, "visit"), derived_id(s, "visit"));
        assert_ne!(derived_id(s, "visit"), derived_id(s, "declaration"));
        assert_ne!(derived_id(s, "visit"), derived_id(Uuid::now_v7(), "visit"));
    }

    #[test]
    fn every_key_the_page_uses_exists_in_both_languages() {
        let mut keys: Vec<String> = [
            "app.name",
            "declare.title",
            "declare.choose",
            "declare.identity",
            "declare.address",
            "declare.last14",
            "declare.optional",
            "declare.consent",
            "web.declare.fix",
            "web.declare.busy",
            "web.declare.submit",
            "web.declare.sent",
            "web.declare.notFound",
            "web.declare.notFoundBody",
            "web.declare.province",
            "web.declare.commune",
            "web.declare.showCommunes",
        ]
        .map(str::to_owned)
        .to_vec();
        let options = |prefix: &str, names: Vec<String>| -> Vec<String> {
            names.into_iter().map(|n| format!("{prefix}.{n}")).collect()
        };
        keys.extend(options("declare.idKind", ID_KINDS.map(wire_name).to_vec()));
        keys.extend(options("declare.sex", SEXES.map(wire_name).to_vec()));
        keys.extend(options("declare.symptom", SYMPTOMS.map(wire_name).to_vec()));
        keys.extend(options(
            "declare.exposure",
            EXPOSURES.map(wire_name).to_vec(),
        ));
        keys.extend(options(
            "declare.condition",
            CONDITIONS.map(wire_name).to_vec(),
        ));
        for lang in [Lang::Vi, Lang::En] {
            for key in &keys {
                assert!(super::super::messages::has(lang, key), "{lang:?} {key}");
            }
        }
    }
}
