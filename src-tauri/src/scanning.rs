//! Decoding for the commands: camera streams' state, pictures, and the
//! desktop camera's commands. Every decode runs on the blocking pool.
//!
//! The webview's frames (`scan_frame`, `gate_read_frame`: the path Android
//! and iOS use) go through a long-lived `Scanner` per stream, so the
//! pipeline can reuse the last code's place and spread its expensive steps
//! over successive frames. On
//! desktop the camera can also be read natively through nokhwa: list the
//! cameras, then scan from one for a few seconds.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use tauri::{AppHandle, Manager};
use vaora_scan::{GrayFrame, Payload, Scanner};

use crate::commands::act_on_payloads;
use crate::state::AppState;
use crate::views::{ScanView, UiError};

/// The webview's camera streams: each has its own `Scanner`, since a
/// scanner's memory (where the last code was) belongs to one stream.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    /// The Scan screen: venue posters.
    Visits,
    /// The Gate screen: ID cards and personal passes.
    Gate,
}

/// Managed by Tauri: the webview camera streams' scanners.
#[derive(Default)]
pub struct ScanStreams {
    visits: Arc<Mutex<Scanner>>,
    gate: Arc<Mutex<Scanner>>,
}

impl ScanStreams {
    /// One webview frame through its stream's scanner.
    pub async fn frame(&self, stream: Stream, frame: GrayFrame) -> Result<Vec<Payload>, UiError> {
        let scanner = Arc::clone(match stream {
            Stream::Visits => &self.visits,
            Stream::Gate => &self.gate,
        });
        off_runtime(move || {
            // A poisoned lock only means an earlier frame panicked mid-scan;
            // the scanner's state is caches, safe to keep using.
            let mut scanner = scanner.lock().unwrap_or_else(|e| e.into_inner());
            scanner.scan(&frame)
        })
        .await
    }
}

/// The codes in an encoded picture (a photo, a screenshot), every attempt
/// made on the one frame.
pub async fn decode_picture(bytes: Vec<u8>) -> Result<Vec<Payload>, UiError> {
    let found = off_runtime(move || {
        vaora_scan::frame_from_encoded(&bytes).map(|frame| vaora_scan::decode(&frame))
    });
    Ok(found.await??)
}

/// Decoding takes from milliseconds (a camera frame) to a second (a
/// 12-megapixel photo): it runs on the blocking pool, so the few async
/// workers that carry IPC and sync on a cheap phone never wait behind it.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, UiError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|_| UiError::new("error.unknown"))
}

/// A camera the user can pick, for the UI.
#[derive(Debug, Clone, Serialize)]
pub struct CameraView {
    pub index: u32,
    pub name: String,
}

/// Longest a native camera scan runs before giving the camera back.
#[cfg(desktop)]
const MAX_SECONDS: u32 = 30;

/// The computer's cameras; "no camera" as an error the UI explains. Phones
/// read the webview's camera (`scan_frame`) and have none to list here.
#[tauri::command]
pub async fn desktop_cameras() -> Result<Vec<CameraView>, UiError> {
    #[cfg(desktop)]
    {
        let cameras = off_runtime(vaora_scan::camera::list_cameras)
            .await?
            .map_err(vaora_scan::ScanError::from)?;
        Ok(cameras
            .into_iter()
            .map(|c| CameraView {
                index: c.index,
                name: c.name,
            })
            .collect())
    }
    #[cfg(mobile)]
    Err(UiError::new("camera.problem.unsupported"))
}

/// Reads frames from camera `index` until a code is read or `seconds`
/// pass (at most 30), then acts on it as a scanned picture would
/// (`NoCode` when none was seen). The camera is released on return.
#[tauri::command]
pub async fn scan_desktop_camera(
    app: AppHandle,
    index: u32,
    seconds: u32,
) -> Result<ScanView, UiError> {
    #[cfg(desktop)]
    {
        use std::time::{Duration, Instant};
        use vaora_scan::FrameSource;

        let found = off_runtime(move || -> Result<Vec<Payload>, UiError> {
            let mut camera = vaora_scan::camera::DesktopCamera::open(index)
                .map_err(vaora_scan::ScanError::from)?;
            let deadline =
                Instant::now() + Duration::from_secs(u64::from(seconds.min(MAX_SECONDS)));
            let mut scanner = Scanner::new();
            while Instant::now() < deadline {
                let Some(frame) = camera.next_frame()? else {
                    break;
                };
                let found = scanner.scan(&frame);
                if !found.is_empty() {
                    return Ok(found);
                }
            }
            Ok(Vec::new())
        })
        .await??;
        act_on_payloads(&app.state::<AppState>(), found)
    }
    #[cfg(mobile)]
    {
        let _ = (app, index, seconds);
        Err(UiError::new("camera.problem.unsupported"))
    }
}
