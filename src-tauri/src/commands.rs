use tauri::State;
use vaora_core::Language;

use crate::state::AppState;
use crate::views::{HomeView, UiError};

/// Home screen data. `day_start_ms` is the start of the user's local day,
/// computed by the UI, which knows the device's time zone.
#[tauri::command]
pub fn home(state: State<'_, AppState>, day_start_ms: i64) -> Result<HomeView, UiError> {
    let since =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(day_start_ms) * 1_000_000)
            .map_err(|_| UiError::new("error.input.time"))?;
    let path = state.journal_path.as_ref().map(|p| p.display().to_string());
    state.with_journal(|j| Ok(HomeView::new(j.language()?, j.summary(since)?, path)))
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, language: String) -> Result<Language, UiError> {
    let language = Language::from_code(&language).ok_or(UiError::new("error.settings.invalid"))?;
    state.with_journal(|j| j.set_language(language))?;
    Ok(language)
}
