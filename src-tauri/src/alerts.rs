//! Exposure alerts in the app: after each sync round the risky-venue list
//! is brought up to date (every 15 minutes; only the cursor is sent) and
//! matched against the journal on the device; a new match raises one
//! system notification and shows on the Alerts card.

use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_notification::NotificationExt;
use time::OffsetDateTime;
use vaora_core::sync::SyncClient;

use crate::messages::{plain, tr};
use crate::reminders::JOURNAL_CHANGED;
use crate::state::AppState;
use crate::views::UiError;

/// How often the list is downloaded.
pub const PULL_EVERY: Duration = Duration::from_secs(15 * 60);
/// A stay this close to a case's window counts (the authority's default).
const WIDEN: time::Duration = time::Duration::hours(1);

/// Downloads newer entries when `last_pull` is old enough (returns when
/// this succeeded), then matches and notifies. Network failures leave the
/// matching of what is already kept working.
pub async fn refresh(
    app: &AppHandle,
    client: &SyncClient,
    last_pull: Option<Instant>,
) -> Option<Instant> {
    let state = app.state::<AppState>();
    let mut pulled_at = last_pull;
    if last_pull.is_none_or(|at| at.elapsed() >= PULL_EVERY)
        && let Ok(journal) = state.journal()
    {
        let ring = state.key_ring();
        match client.pull_risky(journal, &ring).await {
            Ok(pull) => {
                if pull.refused > 0 {
                    tracing::warn!(refused = pull.refused, "risky entries refused");
                }
                pulled_at = Some(Instant::now());
            }
            Err(e) => tracing::info!(error = %e, "risky venues not fetched"),
        }
    }
    let raised = state
        .with_journal(|j| j.raise_alerts(OffsetDateTime::now_utc(), WIDEN))
        .unwrap_or_default();
    if let Some(first) = raised.first() {
        let language = state.with_journal(|j| j.language()).unwrap_or_default();
        let shown = app
            .notification()
            .builder()
            .title(tr("alert.notification.title", language, &[]))
            .body(tr(
                "alert.notification.body",
                language,
                &[("place", &plain(&first.place_name))],
            ))
            .show();
        if let Err(e) = shown {
            tracing::info!(error = %e, "alert shown in the app only");
        }
        let _ = app.emit(JOURNAL_CHANGED, ());
    }
    pulled_at
}

/// An alert as the Alerts card shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    pub place_name: String,
    pub checked_in_ms: i64,
    pub exposure_from_ms: i64,
    pub exposure_to_ms: i64,
    pub overlap_minutes: i64,
    pub advice_vi: String,
    pub advice_en: String,
}

fn ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

#[tauri::command]
pub fn alerts(state: State<'_, AppState>) -> Result<Vec<AlertView>, UiError> {
    let alerts = state.with_journal(|j| j.alerts(100))?;
    Ok(alerts
        .into_iter()
        .map(|a| AlertView {
            place_name: a.place_name,
            checked_in_ms: ms(a.checked_in_at),
            exposure_from_ms: ms(a.exposure_from),
            exposure_to_ms: ms(a.exposure_to),
            overlap_minutes: a.overlap_minutes,
            advice_vi: a.advice_vi,
            advice_en: a.advice_en,
        })
        .collect())
}
