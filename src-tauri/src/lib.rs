//! The app shell: Tauri wiring only.
//!
//! Architecture invariant: this is the only code that knows about Tauri IPC.
//! Every command is a few lines that call `vaora-core`/`vaora-scan` and turn
//! the result into a serialisable view (`views`) or a `UiError`.

mod alerts;
mod commands;
mod declarations;
mod exports;
mod gate;
mod keystore;
mod messages;
mod reminders;
mod scanning;
mod state;
mod sync;
mod views;
#[cfg(target_os = "linux")]
mod webview_camera;

use tauri::Manager;
use tracing_subscriber::EnvFilter;

pub use state::AppState;

/// File name of the journal inside the platform's app-data directory.
pub const JOURNAL_FILE: &str = "journal.db";

/// How often the open app repeats the start-of-day upkeep.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let state = AppState::open(app.path().app_data_dir());
            app.manage(state);
            app.manage(sync::Syncer::default());
            app.manage(scanning::ScanStreams::default());
            #[cfg(target_os = "linux")]
            webview_camera::enable(app);
            reminders::start(app.handle());
            sync::start(app.handle());
            // Parse the place lists now (about 25 ms), not when the first
            // card is scanned at a gate or the first address is searched.
            std::thread::spawn(|| {
                vaora_core::AdminUnits::embedded();
                vaora_core::admin_units::LegacyUnits::embedded();
            });
            // Retention is "daily": a phone may keep the app open for days.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    handle.state::<AppState>().upkeep();
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::home,
            commands::about,
            commands::set_language,
            commands::set_retention_days,
            commands::scan_image,
            commands::scan_frame,
            scanning::desktop_cameras,
            scanning::scan_desktop_camera,
            commands::check_in_unverified,
            commands::journal_page,
            commands::add_manual_visit,
            commands::check_out,
            commands::delete_visit,
            commands::sync_now,
            commands::set_server_url,
            commands::rejected_records,
            exports::export_journal,
            exports::save_visit_record,
            declarations::people,
            declarations::add_dependent,
            declarations::search_places,
            declarations::declaration_draft,
            declarations::submit_declaration,
            declarations::personal_pass,
            gate::gate_view,
            gate::gate_bind,
            gate::gate_read_image,
            gate::gate_read_frame,
            gate::gate_enter_form,
            gate::gate_enter_pass,
            gate::gate_exit,
            gate::gate_check_out,
            gate::gate_void,
            gate::gate_code,
            alerts::alerts,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the app could not start");
        std::process::exit(1);
    }
}
