use image::GrayImage;

use crate::ScanError;

/// An 8-bit greyscale frame, row-major, no padding.
#[derive(Debug, Clone)]
pub struct GrayFrame {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl GrayFrame {
    /// Checks the buffer length: frames from the webview are untrusted input.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Result<GrayFrame, ScanError> {
        let expected = width.saturating_mul(height);
        if pixels.len() != expected {
            return Err(ScanError::FrameSize {
                width,
                height,
                expected,
                actual: pixels.len(),
            });
        }
        Ok(GrayFrame {
            width,
            height,
            pixels,
        })
    }

    pub fn from_image(img: &GrayImage) -> GrayFrame {
        GrayFrame {
            width: img.width() as usize,
            height: img.height() as usize,
            pixels: img.as_raw().clone(),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The luma bytes, row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    pub fn pixel(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    pub fn inverted(&self) -> GrayFrame {
        GrayFrame {
            width: self.width,
            height: self.height,
            pixels: self.pixels.iter().map(|p| 255 - p).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_buffer_sizes_are_rejected_not_trusted() {
        assert!(GrayFrame::new(10, 10, vec![0; 99]).is_err());
        assert!(GrayFrame::new(usize::MAX, 2, vec![]).is_err());
    }
}
