//! The desktop camera through nokhwa (feature `desktop-camera`; Linux V4L2,
//! Windows Media Foundation, macOS AVFoundation). Android and iOS use the
//! webview's camera instead (`getUserMedia`, frames posted to Rust), so
//! this module does not exist there.
//!
//! Frames are asked for uncompressed near 1280×720; a camera that only
//! gives MJPEG is decoded with the `image` crate already in the tree
//! rather than nokhwa's mozjpeg (a C build).

use nokhwa::Camera;
use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
};

use crate::{CameraError, FrameSource, GrayFrame, ScanError, frame_from_encoded};

/// A camera the user can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    pub index: u32,
    pub name: String,
}

/// The cameras this computer has; [`CameraError::NoCamera`] when none.
pub fn list_cameras() -> Result<Vec<CameraInfo>, CameraError> {
    let found = nokhwa::query(ApiBackend::Auto).map_err(classify)?;
    let cameras: Vec<CameraInfo> = found
        .iter()
        .enumerate()
        .map(|(i, c)| CameraInfo {
            index: match c.index() {
                CameraIndex::Index(n) => *n,
                CameraIndex::String(_) => i as u32,
            },
            name: c.human_name(),
        })
        .collect();
    if cameras.is_empty() {
        return Err(CameraError::NoCamera);
    }
    Ok(cameras)
}

/// An open desktop camera, streaming.
pub struct DesktopCamera {
    camera: Camera,
}

impl DesktopCamera {
    /// Opens camera `index` (from [`list_cameras`]) and starts its stream.
    pub fn open(index: u32) -> Result<DesktopCamera, CameraError> {
        let wanted = CameraFormat::new_from(1280, 720, FrameFormat::YUYV, 30);
        let format = RequestedFormat::new::<LumaFormat>(RequestedFormatType::Closest(wanted));
        let mut camera = Camera::new(CameraIndex::Index(index), format).map_err(classify)?;
        camera.open_stream().map_err(classify)?;
        Ok(DesktopCamera { camera })
    }
}

impl FrameSource for DesktopCamera {
    fn next_frame(&mut self) -> Result<Option<GrayFrame>, ScanError> {
        let buffer = self.camera.frame().map_err(classify)?;
        if buffer.source_frame_format() == FrameFormat::MJPEG {
            return frame_from_encoded(buffer.buffer()).map(Some);
        }
        let image = buffer.decode_image::<LumaFormat>().map_err(classify)?;
        let (w, h) = (image.width() as usize, image.height() as usize);
        GrayFrame::new(w, h, image.into_raw()).map(Some)
    }
}

impl Drop for DesktopCamera {
    fn drop(&mut self) {
        // Turns the camera's light off now rather than when the process ends.
        let _ = self.camera.stop_stream();
    }
}

/// nokhwa reports failures as text; what the user can act on is whether
/// there is a camera at all and whether the system let us use it.
fn classify(e: nokhwa::NokhwaError) -> CameraError {
    CameraError::from_message(&e.to_string())
}
