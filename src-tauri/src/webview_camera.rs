//! The camera inside the Linux desktop webview.
//!
//! The Scan screen reads the camera the same way on every platform:
//! `getUserMedia` in the webview, frames to Rust as raw IPC bodies
//! (`scan_frame`). Android, iOS, WebView2 and WKWebView offer
//! `getUserMedia` as they are; WebKitGTK ships it switched off and denies
//! every capture request nobody answers. This turns it on and answers:
//! video yes (the page is our own bundled UI, and it asks only after the
//! user tapped "open camera" or had already allowed it), microphone and
//! screen no.
//!
//! `VAORA_MOCK_CAMERA=1` swaps the real cameras for WebKit's built-in mock
//! camera (a moving test picture). The end-to-end tests use it to open the
//! camera in the real window under Xvfb, where there is no camera; nothing
//! else should set it.

use tauri::{Manager, Runtime};
use webkit2gtk::glib::Cast;
use webkit2gtk::{
    PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, UserMediaPermissionRequestExt,
    WebViewExt,
};

/// Set to `1` to use WebKit's mock camera instead of the machine's.
pub const MOCK_CAMERA_ENV: &str = "VAORA_MOCK_CAMERA";

/// Enables `getUserMedia` for video in every window's webview.
pub fn enable<R: Runtime>(app: &tauri::App<R>) {
    let mock = std::env::var(MOCK_CAMERA_ENV).is_ok_and(|v| v == "1");
    for (label, window) in app.webview_windows() {
        let outcome = window.with_webview(move |platform| {
            let webview = platform.inner();
            if let Some(settings) = WebViewExt::settings(&webview) {
                settings.set_enable_media_stream(true);
                settings.set_enable_mock_capture_devices(mock);
            }
            webview.connect_permission_request(|_, request| {
                let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() else {
                    // Not ours to decide (geolocation, notifications...):
                    // WebKit's default answer stands.
                    return false;
                };
                if media.is_for_video_device() && !media.is_for_audio_device() {
                    request.allow();
                } else {
                    request.deny();
                }
                true
            });
        });
        if let Err(e) = outcome {
            // The app still works without the live camera: pictures can be
            // scanned from files, and the Scan screen explains the camera.
            tracing::warn!(window = %label, error = %e, "the webview camera could not be enabled");
        }
    }
}
