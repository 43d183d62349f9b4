use std::io::Cursor;
use std::path::PathBuf;

use crate::{GrayFrame, ScanError};

/// Larger images are refused before decoding: a hostile file must not be
/// able to make the app allocate gigabytes.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Decodes an encoded image (PNG, JPEG, a screenshot) from memory: the
/// "scan from gallery" path, and what the webview sends.
pub fn frame_from_encoded(bytes: &[u8]) -> Result<GrayFrame, ScanError> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(image::ImageError::IoError)?;
    let (w, h) = reader.into_dimensions()?;
    if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(ScanError::TooLarge {
            width: w,
            height: h,
        });
    }
    let img = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(image::ImageError::IoError)?
        .decode()?;
    Ok(GrayFrame::from_image(&img.to_luma8()))
}

/// Why a camera gave no frames, in terms the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    #[error("no camera")]
    NoCamera,
    #[error("camera permission refused")]
    PermissionRefused,
    #[error("camera in use by another program")]
    Busy,
    #[error("camera failed: {0}")]
    Failed(String),
}

impl CameraError {
    pub fn message_key(&self) -> &'static str {
        match self {
            // The same messages as the webview camera's problems.
            CameraError::NoCamera => "camera.problem.none",
            CameraError::PermissionRefused => "camera.problem.denied",
            CameraError::Busy => "camera.problem.busy",
            CameraError::Failed(_) => "camera.problem.unsupported",
        }
    }

    /// Sorts a camera library's error text (they carry the OS error as
    /// text): a missing device, refused access, a device in use.
    pub fn from_message(message: &str) -> CameraError {
        let m = message.to_ascii_lowercase();
        if m.contains("permission denied")
            || m.contains("not authorized")
            || m.contains("access is denied")
            || m.contains("os error 13")
        {
            CameraError::PermissionRefused
        } else if m.contains("no such file")
            || m.contains("no such device")
            || m.contains("os error 2")
            || m.contains("os error 19")
            || m.contains("not found")
            || m.contains("no device")
        {
            CameraError::NoCamera
        } else if m.contains("busy") || m.contains("os error 16") {
            CameraError::Busy
        } else {
            CameraError::Failed(message.to_string())
        }
    }
}

/// Where frames come from. The desktop camera (nokhwa), frames the webview
/// posts from `getUserMedia` on mobile, and image files all implement this,
/// so the decoder never knows which one it is reading.
pub trait FrameSource {
    /// The next frame, or `None` when the source has ended.
    fn next_frame(&mut self) -> Result<Option<GrayFrame>, ScanError>;
}

/// A still image ("import a photo of the poster"): yields one frame.
pub struct ImageFileSource {
    path: Option<PathBuf>,
}

impl ImageFileSource {
    pub fn new(path: impl Into<PathBuf>) -> ImageFileSource {
        ImageFileSource {
            path: Some(path.into()),
        }
    }
}

impl FrameSource for ImageFileSource {
    fn next_frame(&mut self) -> Result<Option<GrayFrame>, ScanError> {
        match self.path.take() {
            None => Ok(None),
            Some(path) => {
                let bytes = std::fs::read(path).map_err(image::ImageError::IoError)?;
                frame_from_encoded(&bytes).map(Some)
            }
        }
    }
}
