//! The desktop camera source builds, and a machine without a camera gets a
//! clear "no camera" instead of a crash or a vague failure.
#![cfg(all(
    feature = "desktop-camera",
    any(target_os = "linux", target_os = "windows", target_os = "macos")
))]

use vaora_scan::CameraError;
use vaora_scan::camera::{DesktopCamera, list_cameras};

#[cfg(target_os = "linux")]
fn has_video_device() -> bool {
    std::fs::read_dir("/dev")
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("video"))
        })
        .unwrap_or(false)
}

#[cfg(target_os = "linux")]
#[test]
fn a_machine_without_a_camera_says_no_camera() {
    if has_video_device() {
        eprintln!("skipped: this machine has a /dev/video* device");
        return;
    }
    assert_eq!(list_cameras(), Err(CameraError::NoCamera));
    let opened = DesktopCamera::open(0).err();
    assert_eq!(opened, Some(CameraError::NoCamera));
    assert_eq!(CameraError::NoCamera.message_key(), "camera.problem.none");
}

#[test]
fn camera_failures_are_sorted_into_what_the_user_can_do() {
    let cases = [
        (
            "Could not open device /dev/video0: Permission denied (os error 13)",
            CameraError::PermissionRefused,
        ),
        (
            "Could not open device 0: No such file or directory (os error 2)",
            CameraError::NoCamera,
        ),
        (
            "Could not open device stream: Device or resource busy (os error 16)",
            CameraError::Busy,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(CameraError::from_message(text), want, "{text}");
    }
    assert!(matches!(
        CameraError::from_message("Error: odd"),
        CameraError::Failed(_)
    ));
}
