use std::path::PathBuf;

use crate::{GrayFrame, ScanError};

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
                let img = image::ImageReader::open(path)
                    .map_err(image::ImageError::IoError)?
                    .with_guessed_format()
                    .map_err(image::ImageError::IoError)?
                    .decode()?;
                Ok(Some(GrayFrame::from_image(&img.to_luma8())))
            }
        }
    }
}
