//! Any frame through the scanning pipeline: the first two bytes pick a
//! width (so every shape is reached, 0 and 1 pixel wide included), the
//! rest are the pixels; the camera path (a Scanner over a few frames) and
//! the still-picture path. Odd first bytes also go through the encoded-
//! image path the gallery import uses, and every input is also read as a
//! webview camera frame's IPC body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vaora_scan::{GrayFrame, Scanner, decode, frame_from_encoded};

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = GrayFrame::from_body(data) {
        let _ = decode(&frame);
    }
    let Some((head, pixels)) = data.split_first_chunk::<2>() else {
        return;
    };
    let width = usize::from(u16::from_le_bytes(*head) % 1024);
    let height = if width == 0 { 0 } else { pixels.len() / width };
    if let Ok(frame) = GrayFrame::new(width, height, pixels[..width * height].to_vec()) {
        let mut scanner = Scanner::new();
        for _ in 0..3 {
            let _ = scanner.scan(&frame);
        }
        let _ = decode(&frame);
    }
    if head[0] % 2 == 1
        && let Ok(frame) = frame_from_encoded(pixels)
    {
        let _ = decode(&frame);
    }
});
