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
