//! Tauri commands: each a few lines that call core or scan and convert the
//! result into a view. No domain rules here.

use tauri::State;
use tauri::ipc::{InvokeBody, Request};
use time::OffsetDateTime;
use uuid::Uuid;
use vaora_core::{
    CheckIn, CheckInOutcome, Language, Scanned, VisitCursor, VisitId, VisitSource, classify,
};

use crate::scanning;
use crate::state::AppState;
use crate::views::{AboutView, HomeView, RejectedView, ScanView, UiError, VisitView};

pub(crate) fn from_ms(ms: i64) -> Result<OffsetDateTime, UiError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|_| UiError::new("error.input.time"))
}

pub(crate) fn visit_id(id: &str) -> Result<VisitId, UiError> {
    Uuid::parse_str(id)
        .map(VisitId)
        .map_err(|_| UiError::new("error.visit.notFound"))
}

/// Home screen data. `day_start_ms` is the start of the user's local day
/// and `offset_minutes` the device's UTC offset, both from the UI, which
/// knows the device's time zone.
#[tauri::command]
pub fn home(
    state: State<'_, AppState>,
    syncer: State<'_, crate::sync::Syncer>,
    day_start_ms: i64,
    offset_minutes: i32,
) -> Result<HomeView, UiError> {
    let since = from_ms(day_start_ms)?;
    state.set_utc_offset_minutes(offset_minutes);
    let now = OffsetDateTime::now_utc();
    let show = |p: &std::path::PathBuf| p.display().to_string();
    let (path, aside) = (
        state.journal_path.as_ref().map(show),
        state.moved_aside.as_ref().map(show),
    );
    let key_home = state.key_home;
    state.with_journal(|j| {
        let mut view = HomeView::new(j.language()?, j.summary(since)?, path, aside, key_home);
        view.retention_days = j.retention_days()?;
        view.sync.status = syncer.status();
        view.check_out_due = j
            .open_visits()?
            .iter()
            .filter(|v| v.reminder_due(now))
            .map(VisitView::from)
            .collect();
        Ok(view)
    })
}

/// The app's version and the server it syncs with (Settings → About).
#[tauri::command]
pub fn about(state: State<'_, AppState>) -> AboutView {
    AboutView {
        version: env!("CARGO_PKG_VERSION"),
        server_url: crate::sync::server_url(&state),
        custom_server: state
            .with_journal(|j| j.sync_server())
            .ok()
            .flatten()
            .is_some(),
    }
}

/// Syncs with another server from now on (Settings), or with the built-in
/// one (`None` or empty). The address must be https (or this machine);
/// what belonged to the old server is forgotten (`Journal::switch_sync_server`).
#[tauri::command]
pub fn set_server_url(
    state: State<'_, AppState>,
    syncer: State<'_, crate::sync::Syncer>,
    url: Option<String>,
) -> Result<AboutView, UiError> {
    let chosen = match url.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            vaora_core::sync::server_address(text).map_err(|e| UiError::new(e.message_key()))?,
        ),
    };
    if state.with_journal(|j| j.switch_sync_server(chosen.as_deref()))? {
        syncer.wake();
    }
    Ok(about(state))
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, language: String) -> Result<Language, UiError> {
    let language = Language::from_code(&language).ok_or(UiError::new("error.settings.invalid"))?;
    state.with_journal(|j| j.set_language(language))?;
    Ok(language)
}

/// How many days visits stay on the device (1 to 365). Purges at once.
#[tauri::command]
pub fn set_retention_days(state: State<'_, AppState>, days: u32) -> Result<u32, UiError> {
    state.with_journal(|j| {
        j.set_retention_days(days)?;
        j.purge_expired(OffsetDateTime::now_utc())?;
        j.retention_days()
    })
}

/// Scans an image (a photo of a poster, a screenshot) sent as raw bytes,
/// not a JSON array, and checks the owner in at a verified venue.
#[tauri::command]
pub async fn scan_image(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<ScanView, UiError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(UiError::new("scan.error.image"));
    };
    let found = scanning::decode_picture(bytes.clone()).await?;
    act_on_payloads(&state, found)
}

/// One camera frame from the webview (`getUserMedia`: the path Android and
/// iOS use too), as a raw body (`GrayFrame::from_body`). A frame
/// without a code is not an error: the camera loop simply sends the next one.
#[tauri::command]
pub async fn scan_frame(
    state: State<'_, AppState>,
    streams: State<'_, scanning::ScanStreams>,
    request: Request<'_>,
) -> Result<ScanView, UiError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(UiError::new("scan.error.frame"));
    };
    let frame = vaora_scan::GrayFrame::from_body(bytes)?;
    // The stream's own scanner: it remembers the last code's place and
    // spreads its slower attempts over successive frames.
    let found = streams.frame(scanning::Stream::Visits, frame).await?;
    act_on_payloads(&state, found)
}

/// Classifies and, for a verified venue, checks the owner in.
/// Several codes in one picture: a verified venue first, then any venue.
pub(crate) fn act_on_payloads(
    state: &AppState,
    payloads: Vec<vaora_scan::Payload>,
) -> Result<ScanView, UiError> {
    let ring = state.key_ring();
    let ctx = state.scan_context(&ring);
    let found: Vec<(String, Scanned)> = payloads
        .into_iter()
        .map(|p| {
            let scanned = classify(&p.text, &ctx);
            (p.text, scanned)
        })
        .collect();
    let best = found
        .iter()
        .find(|(_, s)| matches!(s, Scanned::Venue(_)))
        .or_else(|| found.iter().find(|(_, s)| s.check_in_place().is_some()))
        .or_else(|| found.first());
    let Some((text, scanned)) = best else {
        return Ok(ScanView::NoCode);
    };
    match scanned {
        Scanned::Venue(_) => check_in_owner(state, scanned),
        _ => Ok(ScanView::for_non_venue(scanned, text)),
    }
}

/// Records a visit from a venue code that did not verify, marked as such,
/// after the user chose to. The text is classified again: the UI is not
/// trusted to say what it is.
#[tauri::command]
pub fn check_in_unverified(state: State<'_, AppState>, text: String) -> Result<ScanView, UiError> {
    let ring = state.key_ring();
    let ctx = state.scan_context(&ring);
    check_in_owner(&state, &classify(&text, &ctx))
}

fn check_in_owner(state: &AppState, scanned: &Scanned) -> Result<ScanView, UiError> {
    let (venue, entrance, verification) = scanned
        .check_in_place()
        .ok_or(UiError::new("scan.venue.malformed"))?;
    let outcome = state.with_journal(|j| {
        let me = j.me()?.id;
        j.check_in(CheckIn {
            people: vec![me],
            place: vaora_core::Place::Venue { venue, entrance },
            source: VisitSource::Scan,
            verification,
            at: OffsetDateTime::now_utc(),
        })
    })?;
    Ok(match outcome {
        CheckInOutcome::CheckedIn(v) => ScanView::CheckedIn {
            visits: v.iter().map(VisitView::from).collect(),
        },
        CheckInOutcome::AlreadyCheckedIn(v) => ScanView::AlreadyCheckedIn {
            visits: v.iter().map(VisitView::from).collect(),
        },
    })
}

/// One page of the journal, newest first, after the last visit of the
/// previous page (`None` for the first page).
#[tauri::command]
pub fn journal_page(
    state: State<'_, AppState>,
    after_ms: Option<i64>,
    after_id: Option<String>,
    limit: usize,
) -> Result<Vec<VisitView>, UiError> {
    let cursor = match (after_ms, after_id) {
        (Some(ms), Some(id)) => Some(VisitCursor {
            checked_in_ms: ms,
            id: visit_id(&id)?.0,
        }),
        _ => None,
    };
    let limit = limit.clamp(1, 200);
    state.with_journal(|j| {
        // Opening the journal shows stays that ended by themselves as ended;
        // later pages need not repeat that write.
        if cursor.is_none() {
            j.close_overdue(OffsetDateTime::now_utc())?;
        }
        Ok(j.visits_page(cursor, limit)?
            .iter()
            .map(|v| VisitView::with_directory(v, j))
            .collect())
    })
}

/// Adds a visit to a place without a code, typed by the owner.
#[tauri::command]
pub fn add_manual_visit(
    state: State<'_, AppState>,
    name: String,
    checked_in_ms: i64,
    checked_out_ms: Option<i64>,
) -> Result<VisitView, UiError> {
    let checked_in = from_ms(checked_in_ms)?;
    let checked_out = checked_out_ms.map(from_ms).transpose()?;
    state.with_journal(|j| {
        let me = j.me()?.id;
        let visit = j.add_manual_visit(
            me,
            &name,
            None,
            checked_in,
            checked_out,
            OffsetDateTime::now_utc(),
        )?;
        Ok(VisitView::from(&visit))
    })
}

#[tauri::command]
pub fn check_out(state: State<'_, AppState>, id: String) -> Result<VisitView, UiError> {
    let id = visit_id(&id)?;
    state.with_journal(|j| {
        Ok(VisitView::from(
            &j.check_out(id, OffsetDateTime::now_utc())?,
        ))
    })
}

#[tauri::command]
pub fn delete_visit(state: State<'_, AppState>, id: String) -> Result<(), UiError> {
    let id = visit_id(&id)?;
    state.with_journal(|j| j.delete_visit(id, OffsetDateTime::now_utc()))
}

/// Syncs now (the button; the webview's `online` event). Returns at once:
/// progress arrives with the `journal-changed` event and the home view.
#[tauri::command]
pub fn sync_now(syncer: State<'_, crate::sync::Syncer>) {
    syncer.wake();
}

/// The records the server refused (newest first), with the reason: they
/// stay on the device, and the user should know which and why.
#[tauri::command]
pub fn rejected_records(state: State<'_, AppState>) -> Result<Vec<RejectedView>, UiError> {
    state.with_journal(|j| {
        j.outbox_rejected(100)?
            .into_iter()
            .map(|item| {
                let visit = match j.visit(VisitId(item.subject)) {
                    Ok(v) => Some(v),
                    Err(vaora_core::Error::NoSuchVisit) => None,
                    Err(e) => return Err(e),
                };
                Ok(RejectedView {
                    place_name: visit.as_ref().map(|v| v.place_name.clone()),
                    checked_in_ms: visit.as_ref().map(|v| VisitView::from(v).checked_in_ms),
                    reason_key: item.last_error.unwrap_or_else(|| "sync.rejected".into()),
                })
            })
            .collect()
    })
}
