//! Any text through the citizen ID card parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = vaora_core::cccd::looks_like_cccd(&text);
    let _ = vaora_core::cccd::parse_cccd(&text);
});
