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

    /// Converts an RGBA frame (what a webview canvas gives) with integer
    /// BT.601 luma weights.
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<GrayFrame, ScanError> {
        let expected = width.checked_mul(height).and_then(|n| n.checked_mul(4));
        if expected != Some(rgba.len()) {
            return Err(ScanError::FrameSize {
                width,
                height,
                expected: expected.unwrap_or(usize::MAX),
                actual: rgba.len(),
            });
        }
        let pixels = rgba
            .chunks_exact(4)
            .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32) >> 8) as u8)
            .collect();
        GrayFrame::new(width, height, pixels)
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
        assert!(GrayFrame::from_rgba(2, 2, &[0; 15]).is_err());
    }

    #[test]
    fn rgba_white_and_black_map_to_extremes() {
        let f = GrayFrame::from_rgba(2, 1, &[255, 255, 255, 255, 0, 0, 0, 255]).unwrap();
        assert_eq!((f.pixel(0, 0), f.pixel(1, 0)), (255, 0));
    }
}
