//! Pixels in, QR payloads out.
//!
//! Architecture invariant: a pure function from frames to payloads. No
//! storage, no network, no knowledge of what a payload means (that is
//! `vaora-core`'s classifier). Frames come from a [`FrameSource`]: the desktop
//! camera, raw frames posted by the webview (mobile), or an image file.

mod align;
mod binarize;
#[cfg(all(
    feature = "desktop-camera",
    any(target_os = "linux", target_os = "windows", target_os = "macos")
))]
pub mod camera;
mod candidate;
#[cfg(feature = "corpus")]
pub mod corpus;
mod finder;
mod frame;
mod geometry;
mod grid;
mod read;
mod rectify;
mod scanner;
mod source;

pub use frame::GrayFrame;
pub use scanner::Scanner;
pub use source::{CameraError, FrameSource, ImageFileSource, MAX_IMAGE_PIXELS, frame_from_encoded};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ScanError {
    #[error("frame of {width}×{height} needs {expected} bytes, got {actual}")]
    FrameSize {
        width: usize,
        height: usize,
        expected: usize,
        actual: usize,
    },
    #[error("cannot read image: {0}")]
    Image(#[from] image::ImageError),
    #[error("image of {width}×{height} pixels is too large")]
    TooLarge { width: u32, height: u32 },
    #[error(transparent)]
    Camera(#[from] CameraError),
}

impl ScanError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ScanError::FrameSize { .. } => "scan.error.frame",
            ScanError::Image(_) => "scan.error.image",
            ScanError::TooLarge { .. } => "scan.error.tooLarge",
            ScanError::Camera(e) => e.message_key(),
        }
    }
}

/// One decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// The code's text. Codes that are not UTF-8 are decoded lossily: the
    /// classifier then rejects them as "not a checkpoint code".
    pub text: String,
    /// QR version (1–40): the benchmark tracks how size affects reading.
    pub version: usize,
}

/// Decodes every QR code in a still picture (a photo, a screenshot),
/// trying every rung on it. Camera streams use a [`Scanner`] instead.
pub fn decode(frame: &GrayFrame) -> Vec<Payload> {
    Scanner::new().scan_still(frame)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    fn qr_image(text: &str, scale: u32) -> GrayImage {
        qrcode::QrCode::new(text.as_bytes())
            .unwrap()
            .render::<Luma<u8>>()
            .module_dimensions(scale, scale)
            .build()
    }

    #[test]
    fn decodes_a_printed_code() {
        let img = qr_image("HTTPS://VAORA.VN/V/ABC234", 6);
        let frame = GrayFrame::from_image(&img);
        let found = decode(&frame);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "HTTPS://VAORA.VN/V/ABC234");
        assert!(found[0].version >= 1);
    }

    #[test]
    fn decodes_an_inverted_code() {
        let mut img = qr_image("001099012345|Nguyễn Văn A", 5);
        image::imageops::invert(&mut img);
        let found = decode(&GrayFrame::from_image(&img));
        assert_eq!(found.len(), 1, "inverted code not found");
        assert_eq!(found[0].text, "001099012345|Nguyễn Văn A");
    }

    #[test]
    fn encoded_images_decode_and_garbage_is_an_error_not_a_panic() {
        let img = qr_image("HELLO", 4);
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let frame = frame_from_encoded(png.get_ref()).unwrap();
        assert_eq!(decode(&frame)[0].text, "HELLO");
        assert!(frame_from_encoded(b"not an image").is_err());
        assert!(frame_from_encoded(&png.get_ref()[..40]).is_err());
    }

    #[test]
    fn a_blank_frame_yields_nothing() {
        let frame = GrayFrame::new(320, 240, vec![200; 320 * 240]).unwrap();
        assert!(decode(&frame).is_empty());
    }
}
