use image::GrayImage;

use crate::{MAX_IMAGE_PIXELS, ScanError};

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

    /// A camera frame as the webview sends it over IPC (`grayFrame` in
    /// ui/src/lib/camera.ts): width and height as little-endian u32, then
    /// one luma byte per pixel. Untrusted: the sizes must match the bytes,
    /// and a frame larger than any camera's is refused.
    pub fn from_body(body: &[u8]) -> Result<GrayFrame, ScanError> {
        let Some((header, pixels)) = body.split_first_chunk::<8>() else {
            return Err(ScanError::FrameSize {
                width: 0,
                height: 0,
                expected: 8,
                actual: body.len(),
            });
        };
        let width = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let height = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
            return Err(ScanError::TooLarge { width, height });
        }
        GrayFrame::new(width as usize, height as usize, pixels.to_vec())
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

    fn body(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
        let mut body = width.to_le_bytes().to_vec();
        body.extend_from_slice(&height.to_le_bytes());
        body.extend_from_slice(pixels);
        body
    }

    #[test]
    fn a_webview_body_becomes_a_frame() {
        let frame = GrayFrame::from_body(&body(3, 2, &[1, 2, 3, 4, 5, 6])).unwrap();
        assert_eq!((frame.width(), frame.height()), (3, 2));
        assert_eq!(frame.pixel(2, 1), 6);
    }

    #[test]
    fn a_webview_body_that_lies_is_refused() {
        // Too short for its header, sizes that do not match the bytes, and
        // sizes no camera has (which would otherwise pass with a huge body).
        assert!(matches!(
            GrayFrame::from_body(&[1, 0, 0]),
            Err(ScanError::FrameSize { .. })
        ));
        assert!(matches!(
            GrayFrame::from_body(&body(3, 2, &[0; 5])),
            Err(ScanError::FrameSize { .. })
        ));
        assert!(matches!(
            GrayFrame::from_body(&body(u32::MAX, u32::MAX, &[])),
            Err(ScanError::TooLarge { .. })
        ));
    }

    #[test]
    fn wrong_buffer_sizes_are_rejected_not_trusted() {
        assert!(GrayFrame::new(10, 10, vec![0; 99]).is_err());
        assert!(GrayFrame::new(usize::MAX, 2, vec![]).is_err());
    }
}
