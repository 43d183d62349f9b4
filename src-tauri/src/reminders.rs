//! Check-out reminders: shortly before a visit would close by itself, a
//! system notification asks "still at …?" with a "check out" action that
//! works without opening the app. The home screen shows the same question
//! (pulled with the home view, so none is lost while the window loads).
//!
//! A reminder is raised once per visit (the journal remembers), for a
//! family that checked in together once per group.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::{Action, ActionPerformed, ActionType, NotificationExt};
use time::OffsetDateTime;
use uuid::Uuid;
use vaora_core::{Visit, VisitId};

use crate::messages::{plain, tr};
use crate::state::AppState;

const ACTION_TYPE: &str = "visit-reminder";
const CHECK_OUT: &str = "check-out";
/// How often due reminders are looked for while the app runs.
const EVERY: Duration = Duration::from_secs(30);
/// The UI reloads its views on this event.
pub const JOURNAL_CHANGED: &str = "journal-changed";

/// Registers the notification action and starts looking for due reminders.
pub fn start(app: &AppHandle) {
    let language = app
        .state::<AppState>()
        .with_journal(|j| j.language())
        .unwrap_or_default();
    let notifications = app.notification();
    // Android 13+ and iOS ask the user once; desktop needs no permission.
    #[cfg(mobile)]
    if matches!(
        notifications.permission_state(),
        Ok(tauri::plugin::PermissionState::Prompt
            | tauri::plugin::PermissionState::PromptWithRationale)
    ) {
        let _ = notifications.request_permission();
    }
    let action = Action::builder(CHECK_OUT, tr("reminder.checkOut", language, &[])).build();
    let registered = notifications
        .register_action_types(vec![
            ActionType::builder(ACTION_TYPE)
                .actions(vec![action])
                .build(),
        ])
        .and_then(|()| {
            let handle = app.clone();
            notifications.on_action(move |performed| on_action(&handle, performed))
        });
    if let Err(e) = registered {
        tracing::warn!(error = %e, "notification actions unavailable");
    }
    let handle = app.clone();
    std::thread::spawn(move || {
        loop {
            raise_due(&handle);
            std::thread::sleep(EVERY);
        }
    });
}

/// Raises every reminder due now, one notification per group.
fn raise_due(app: &AppHandle) {
    let state = app.state::<AppState>();
    let now = OffsetDateTime::now_utc();
    let Ok((due, language)) = state.with_journal(|j| Ok((j.reminders_due(now)?, j.language()?)))
    else {
        return;
    };
    if due.is_empty() {
        return;
    }
    let mut groups: BTreeMap<Uuid, Vec<Visit>> = BTreeMap::new();
    for visit in due {
        groups
            .entry(visit.group.unwrap_or(visit.id.0))
            .or_default()
            .push(visit);
    }
    let offset = state.utc_offset();
    for (group, visits) in groups {
        let first = &visits[0];
        let until = first.planned_checkout_at.unwrap_or(now).to_offset(offset);
        let time = format!("{:02}:{:02}", until.hour(), until.minute());
        let ids: Vec<String> = visits.iter().map(|v| v.id.0.to_string()).collect();
        let shown = app
            .notification()
            .builder()
            .id(notification_id(group))
            .title(tr(
                "reminder.title",
                language,
                &[("place", &plain(&first.place_name))],
            ))
            .body(tr("reminder.body", language, &[("time", &time)]))
            .action_type_id(ACTION_TYPE)
            .extra("visits", &ids)
            .show();
        if let Err(e) = shown {
            // No notification server (a bare desktop session): the home
            // screen still asks.
            tracing::info!(error = %e, "reminder shown in the app only");
        }
        let ids: Vec<VisitId> = visits.iter().map(|v| v.id).collect();
        if let Err(e) = state.with_journal(|j| j.mark_reminded(&ids)) {
            tracing::warn!(key = e.key, "reminder not recorded");
        }
    }
    let _ = app.emit(JOURNAL_CHANGED, ());
}

/// The same group always gets the same notification id, so a repeat
/// replaces rather than stacks.
fn notification_id(group: Uuid) -> i32 {
    let b = group.as_bytes();
    (u32::from_be_bytes([b[12], b[13], b[14], b[15]]) & 0x7fff_ffff) as i32
}

fn on_action(app: &AppHandle, performed: &ActionPerformed) {
    match performed.action_id() {
        CHECK_OUT => {
            let ids = performed
                .notification()
                .and_then(|n| n.extra().get("visits"))
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|id| Uuid::parse_str(id).ok())
                        .map(VisitId)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let now = OffsetDateTime::now_utc();
            let state = app.state::<AppState>();
            for id in ids {
                if let Err(e) = state.with_journal(|j| j.check_out(id, now)) {
                    tracing::warn!(key = e.key, "check-out from a notification failed");
                }
            }
            let _ = app.emit(JOURNAL_CHANGED, ());
        }
        // A tap on the notification brings the app forward.
        _ => {
            if let Some(window) = app.webview_windows().values().next() {
                let _ = window.show();
                let _ = window.set_focus();
            }
        }
    }
}
