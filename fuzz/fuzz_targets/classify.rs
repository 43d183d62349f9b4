//! Any bytes a camera might hand over, as text, through the classifier.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vaora_core::venue_code::{IssuerKey, KeyId, KeyRing};
use vaora_core::{ScanContext, classify};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ring = KeyRing {
        keys: vec![IssuerKey {
            id: KeyId(1),
            // The test-vector key of docs/venue-code.md.
            public_key: [
                0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd, 0x18, 0xe7, 0x4b,
                0xc0, 0x99, 0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5, 0x0d, 0x5f, 0x1d, 0xdc, 0x86, 0x64,
                0x12, 0x55, 0x31, 0xb8,
            ],
            not_before: time::macros::date!(2026 - 01 - 01),
            not_after: time::macros::date!(2030 - 12 - 31),
            retired_on: None,
        }],
        ..KeyRing::default()
    };
    let ctx = ScanContext {
        key_ring: &ring,
        known_hosts: &["VAORA.VN"],
        today: time::macros::date!(2026 - 11 - 25),
        now: time::OffsetDateTime::now_utc(),
    };
    let _ = classify(&text, &ctx);
});
