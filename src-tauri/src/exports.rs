//! Files the user takes away: the journal for a date range (CSV, JSON, or
//! a PDF timeline for a tracing interview) and one visit's record alone.
//! They go to Downloads, or to the app's own `exports/` folder where there
//! is none (mobile sandboxes); the UI shows the path it got.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, State};
use time::{OffsetDateTime, UtcOffset};
use vaora_core::{ExportFormat, Person, Visit, export_visits};
use vaora_print::{Timeline, TimelineEntry, VisitRecord};

use crate::commands::{self, visit_id};
use crate::state::AppState;
use crate::views::UiError;

/// What the journal export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Csv,
    Json,
    Pdf,
}

impl ExportKind {
    fn extension(self) -> &'static str {
        match self {
            ExportKind::Csv => "csv",
            ExportKind::Json => "json",
            ExportKind::Pdf => "pdf",
        }
    }
}

fn offset_from_minutes(minutes: i32) -> Result<UtcOffset, UiError> {
    UtcOffset::from_whole_seconds(minutes.saturating_mul(60))
        .map_err(|_| UiError::new("error.input.time"))
}

fn name_of(people: &[Person], v: &Visit) -> String {
    people
        .iter()
        .find(|p| p.id == v.person)
        .map(|p| p.display_name.clone())
        .unwrap_or_default()
}

/// Writes the journal's visits that started in `[from_ms, to_ms)` and
/// returns the file's path. `offset_minutes` is the device's UTC offset.
#[tauri::command]
pub fn export_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: ExportKind,
    from_ms: i64,
    to_ms: i64,
    offset_minutes: i32,
) -> Result<String, UiError> {
    let offset = offset_from_minutes(offset_minutes)?;
    let (from, to) = (commands::from_ms(from_ms)?, commands::from_ms(to_ms)?);
    if to <= from {
        return Err(UiError::new("error.export.range"));
    }
    let (visits, people) =
        state.with_journal(|j| Ok((j.visits_between(from, to)?, j.people()?)))?;
    let bytes = match kind {
        ExportKind::Csv => export_visits(&visits, &people, offset, ExportFormat::Csv).into_bytes(),
        ExportKind::Json => {
            export_visits(&visits, &people, offset, ExportFormat::Json).into_bytes()
        }
        ExportKind::Pdf => {
            let names: Vec<String> = visits.iter().map(|v| name_of(&people, v)).collect();
            let entries: Vec<TimelineEntry<'_>> = visits
                .iter()
                .zip(&names)
                .map(|(visit, person)| TimelineEntry { visit, person })
                .collect();
            Timeline {
                from: from.to_offset(offset).date(),
                // The range's end is exclusive: its last day is the one before.
                to: (to - time::Duration::milliseconds(1))
                    .to_offset(offset)
                    .date(),
                offset,
                printed_at: OffsetDateTime::now_utc(),
                entries: &entries,
            }
            .render_pdf()
            .map_err(|e| {
                tracing::warn!(error = %e, "timeline not rendered");
                UiError::new("error.export.write")
            })?
        }
    };
    write_export(
        &app,
        &state,
        "vaora-journal",
        kind.extension(),
        offset,
        &bytes,
    )
}

/// Writes one visit alone, as a one-page PDF to share as proof.
#[tauri::command]
pub fn save_visit_record(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    offset_minutes: i32,
) -> Result<String, UiError> {
    let offset = offset_from_minutes(offset_minutes)?;
    let id = visit_id(&id)?;
    let (visit, people) = state.with_journal(|j| Ok((j.visit(id)?, j.people()?)))?;
    let person = name_of(&people, &visit);
    let pdf = VisitRecord {
        entry: TimelineEntry {
            visit: &visit,
            person: &person,
        },
        offset,
        printed_at: OffsetDateTime::now_utc(),
    }
    .render_pdf()
    .map_err(|e| {
        tracing::warn!(error = %e, "visit record not rendered");
        UiError::new("error.export.write")
    })?;
    write_export(&app, &state, "vaora-visit", "pdf", offset, &pdf)
}

fn export_dir(app: &AppHandle, state: &AppState) -> Result<PathBuf, UiError> {
    app.path()
        .download_dir()
        .ok()
        .filter(|d| d.is_dir())
        .or_else(|| state.data_dir.as_ref().map(|d| d.join("exports")))
        .ok_or(UiError::new("error.export.write"))
}

/// `<stem>-YYYYMMDD-HHMMSS.<ext>` in local time; never overwrites a file.
fn write_export(
    app: &AppHandle,
    state: &AppState,
    stem: &str,
    ext: &str,
    offset: UtcOffset,
    bytes: &[u8],
) -> Result<String, UiError> {
    let dir = export_dir(app, state)?;
    let now = OffsetDateTime::now_utc().to_offset(offset);
    let base = format!(
        "{stem}-{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let failed = |e: std::io::Error| {
        tracing::warn!(error = %e, "export not written");
        UiError::new("error.export.write")
    };
    std::fs::create_dir_all(&dir).map_err(failed)?;
    for n in 1..100 {
        let name = if n == 1 {
            format!("{base}.{ext}")
        } else {
            format!("{base}-{n}.{ext}")
        };
        let path = dir.join(name);
        // `create_new`: two exports in one second get two files.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(failed)?;
                return Ok(path.display().to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(e)),
        }
    }
    Err(UiError::new("error.export.write"))
}
