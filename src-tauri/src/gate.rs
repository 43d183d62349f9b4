//! Commands of the Gate screen: binding this device to a venue entrance
//! (online, once), reading a card or pass, recording entries and exits,
//! today's counters and list. Rules live in core (`vaora_core::gate`,
//! `Journal::gate_*`); this file converts.

use serde::Serialize;
use tauri::State;
use tauri::ipc::{InvokeBody, Request};
use time::OffsetDateTime;
use uuid::Uuid;
use vaora_core::admin_units::LegacyUnits;
use vaora_core::calendar::vietnam_date;
use vaora_core::declaration::{CardPrefill, Channel, DeclarationForm, FieldError};
use vaora_core::gate::{GateBinding, GateSubject, SubjectKey};
use vaora_core::sync::SyncClient;
use vaora_core::venue::{EntranceNo, VenueId};
use vaora_core::venue_code::SLOT_SECONDS;
use vaora_core::{AdminUnits, GateCounters, GateEntry, GateOutcome, Scanned, classify};

use crate::commands::from_ms;
use crate::declarations::{PlaceView, place_of};
use crate::scanning::{self, ScanStreams, Stream};
use crate::state::AppState;
use crate::views::UiError;

/// How many of today's entries the list shows.
const TODAY_LIST: usize = 200;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateView {
    pub binding: Option<GateBinding>,
    pub counters: GateCounters,
    pub entries: Vec<GateEntry>,
}

/// The gate's state since `day_start_ms` (the start of the gate's day).
#[tauri::command]
pub fn gate_view(state: State<'_, AppState>, day_start_ms: i64) -> Result<GateView, UiError> {
    let since = from_ms(day_start_ms)?;
    state.with_journal(|j| {
        Ok(GateView {
            binding: j.gate_binding()?,
            counters: j.gate_counters(since)?,
            entries: j.gate_entries_since(since, TODAY_LIST)?,
        })
    })
}

/// Binds this device to a venue entrance with a registrar's token.
#[tauri::command]
pub async fn gate_bind(
    state: State<'_, AppState>,
    venue: u64,
    entrance: u16,
    registrar_token: String,
) -> Result<GateBinding, UiError> {
    if entrance == 0 {
        return Err(UiError::new("gate.bind.entrance"));
    }
    let journal = state.journal()?;
    let client = SyncClient::new(&crate::sync::server_url(&state))
        .map_err(|e| UiError::new(e.message_key()))?;
    client
        .bind_gate(
            journal,
            VenueId(venue),
            EntranceNo(entrance),
            &registrar_token,
        )
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "gate binding failed");
            UiError::new(match e {
                vaora_core::sync::SyncError::Refused(404) => "gate.bind.noSuchVenue",
                vaora_core::sync::SyncError::Refused(401 | 403) => "gate.bind.badToken",
                other => other.message_key(),
            })
        })
}

/// What a scan at the gate found.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum GateReadView {
    /// Nothing readable in the picture.
    NoCode,
    /// A citizen ID card: the form to confirm.
    #[serde(rename_all = "camelCase")]
    Card {
        prefill: Box<CardPrefill>,
        place: Option<PlaceView>,
        candidates: Vec<PlaceView>,
    },
    /// A personal pass: only the given name and date are readable.
    #[serde(rename_all = "camelCase")]
    Pass {
        given_name: String,
        declared_on: String,
        text: String,
    },
    /// Not something a gate takes (a venue code, a link, text); `key`
    /// says what, in the user's language.
    Other { key: &'static str },
}

fn read(text: &str, state: &AppState) -> GateReadView {
    let ring = state.key_ring();
    let ctx = state.scan_context(&ring);
    match classify(text, &ctx) {
        Scanned::Cccd(parsed) => {
            let prefill =
                CardPrefill::from_card(&parsed.card, &parsed.problems, LegacyUnits::embedded());
            let candidates = prefill
                .commune_candidates
                .iter()
                .filter_map(|c| place_of(Some(*c)))
                .collect();
            GateReadView::Card {
                place: place_of(prefill.form.commune),
                prefill: Box::new(prefill),
                candidates,
            }
        }
        Scanned::PersonalPass(pass) => GateReadView::Pass {
            given_name: pass.first_name.clone(),
            declared_on: pass.declared_on.to_string(),
            text: text.trim().to_owned(),
        },
        Scanned::BadCccd(e) => GateReadView::Other {
            key: e.message_key(),
        },
        Scanned::BadPass(e) => GateReadView::Other {
            key: e.message_key(),
        },
        _ => GateReadView::Other {
            key: "gate.read.notACardOrPass",
        },
    }
}

/// Reads a picture (a photo of a card or a pass) at the gate, sent as raw
/// bytes.
#[tauri::command]
pub async fn gate_read_image(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<GateReadView, UiError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(UiError::new("scan.error.image"));
    };
    let payloads = scanning::decode_picture(bytes.clone()).await?;
    Ok(best_read(&payloads, &state))
}

/// One frame of the gate's live camera, as a raw body
/// (`GrayFrame::from_body`), through the gate stream's own scanner.
#[tauri::command]
pub async fn gate_read_frame(
    state: State<'_, AppState>,
    streams: State<'_, ScanStreams>,
    request: Request<'_>,
) -> Result<GateReadView, UiError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(UiError::new("scan.error.frame"));
    };
    let frame = vaora_scan::GrayFrame::from_body(bytes)?;
    let payloads = streams.frame(Stream::Gate, frame).await?;
    Ok(best_read(&payloads, &state))
}

/// A card or pass among several codes wins over anything else.
fn best_read(payloads: &[vaora_scan::Payload], state: &AppState) -> GateReadView {
    payloads
        .iter()
        .map(|p| read(&p.text, state))
        .min_by_key(|r| match r {
            GateReadView::Card { .. } | GateReadView::Pass { .. } => 0,
            _ => 1,
        })
        .unwrap_or(GateReadView::NoCode)
}

/// The result of recording someone at the gate.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum GateSaveView {
    Entered {
        entry: GateEntry,
    },
    /// The same person was recorded moments ago: nothing saved twice.
    AlreadyEntered {
        entry: GateEntry,
    },
    /// The form needs fixing; it stays as typed.
    Invalid {
        errors: Vec<FieldError>,
    },
}

impl From<GateOutcome> for GateSaveView {
    fn from(o: GateOutcome) -> Self {
        match o {
            GateOutcome::Entered(entry) => GateSaveView::Entered { entry },
            GateOutcome::AlreadyEntered(entry) => GateSaveView::AlreadyEntered { entry },
        }
    }
}

/// Records an entry from a confirmed form (a card's prefill or a paper form).
#[tauri::command]
pub fn gate_enter_form(
    state: State<'_, AppState>,
    form: DeclarationForm,
) -> Result<GateSaveView, UiError> {
    let now = OffsetDateTime::now_utc();
    let declaration =
        match form.validate_for(Channel::Gate, vietnam_date(now), AdminUnits::embedded()) {
            Ok(d) => d,
            Err(errors) => return Ok(GateSaveView::Invalid { errors }),
        };
    let subject = GateSubject::Declared(declaration);
    Ok(state.with_journal(|j| j.gate_enter(&subject, now))?.into())
}

/// Records an entry from a scanned personal pass.
#[tauri::command]
pub fn gate_enter_pass(state: State<'_, AppState>, text: String) -> Result<GateSaveView, UiError> {
    let pass = match vaora_core::personal_pass::PersonalPass::parse(&text) {
        Some(Ok(pass)) => pass,
        Some(Err(e)) => return Err(UiError::new(e.message_key())),
        None => return Err(UiError::new("gate.read.notACardOrPass")),
    };
    let subject = GateSubject::Pass { pass, text };
    let now = OffsetDateTime::now_utc();
    Ok(state.with_journal(|j| j.gate_enter(&subject, now))?.into())
}

/// Checks out at an exit gate whoever holds this card or pass.
#[tauri::command]
pub fn gate_exit(
    state: State<'_, AppState>,
    id_number: Option<String>,
    pass: Option<String>,
) -> Result<GateEntry, UiError> {
    let key = match (id_number, pass) {
        (Some(id), _) => SubjectKey::of_id_number(&id),
        (None, Some(text)) => match vaora_core::personal_pass::PersonalPass::parse(&text) {
            Some(Ok(pass)) => GateSubject::Pass { pass, text }.key(),
            _ => return Err(UiError::new("gate.read.notACardOrPass")),
        },
        (None, None) => return Err(UiError::new("gate.read.notACardOrPass")),
    };
    state.with_journal(|j| j.gate_exit(&key, OffsetDateTime::now_utc()))
}

fn entry_id(id: &str) -> Result<Uuid, UiError> {
    Uuid::parse_str(id).map_err(|_| UiError::new("error.gate.noEntry"))
}

#[tauri::command]
pub fn gate_check_out(state: State<'_, AppState>, id: String) -> Result<GateEntry, UiError> {
    let id = entry_id(&id)?;
    state.with_journal(|j| j.gate_check_out(id, OffsetDateTime::now_utc()))
}

#[tauri::command]
pub fn gate_void(state: State<'_, AppState>, id: String) -> Result<GateEntry, UiError> {
    let id = entry_id(&id)?;
    state.with_journal(|j| j.void_gate_entry(id, OffsetDateTime::now_utc()))
}

/// The gate's rotating code now, and how long it stays on screen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateCodeView {
    pub qr: vaora_print::QrPath,
    /// Milliseconds until the next code.
    pub next_in_ms: i64,
}

#[tauri::command]
pub fn gate_code(state: State<'_, AppState>) -> Result<GateCodeView, UiError> {
    let signer = state
        .with_journal(|j| j.gate_signer())?
        .ok_or(UiError::new("gate.code.notCertified"))?;
    let now = OffsetDateTime::now_utc();
    let text = signer.code_at(now);
    let qr = vaora_print::qr_path(&text).map_err(|_| UiError::new("gate.code.notCertified"))?;
    let slot_ms = SLOT_SECONDS * 1000;
    let now_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
    Ok(GateCodeView {
        qr,
        next_in_ms: slot_ms - now_ms.rem_euclid(slot_ms),
    })
}
