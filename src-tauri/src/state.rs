use std::path::PathBuf;
use std::sync::Mutex;

use vaora_core::Journal;

use crate::JOURNAL_FILE;
use crate::views::UiError;

/// Everything the commands share. The journal may have failed to open (a
/// foreign file, a newer schema, no disk): the app still starts and the UI
/// shows what happened instead of the app vanishing.
pub struct AppState {
    journal: Result<Mutex<Journal>, UiError>,
    pub journal_path: Option<PathBuf>,
}

impl AppState {
    pub fn open(app_data_dir: tauri::Result<PathBuf>) -> AppState {
        let dir = match app_data_dir {
            Ok(dir) => dir,
            Err(e) => {
                tracing::error!(error = %e, "no app-data directory on this platform");
                return AppState {
                    journal: Err(UiError::new("error.journal.open")),
                    journal_path: None,
                };
            }
        };
        let path = dir.join(JOURNAL_FILE);
        let journal = std::fs::create_dir_all(&dir)
            .map_err(|e| {
                tracing::error!(error = %e, "cannot create the app-data directory");
                UiError::new("error.journal.open")
            })
            .and_then(|()| Journal::open(&path).map_err(UiError::from))
            .map(Mutex::new);
        if let Err(e) = &journal {
            tracing::error!(key = e.key, "journal unavailable");
        }
        AppState {
            journal,
            journal_path: Some(path),
        }
    }

    /// Runs `f` with the journal, or returns why there is none.
    pub fn with_journal<T>(
        &self,
        f: impl FnOnce(&Journal) -> Result<T, vaora_core::Error>,
    ) -> Result<T, UiError> {
        let journal = self.journal.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock would be a bug; the data is in
        // SQLite, so continuing with the inner value is safe.
        let guard = journal.lock().unwrap_or_else(|p| p.into_inner());
        f(&guard).map_err(UiError::from)
    }
}
