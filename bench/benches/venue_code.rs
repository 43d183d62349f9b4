//! Parse + verify of one scanned venue code, as the app does on every scan.
//! Target: median <= 100 µs on the project machine.

use std::time::Duration;

use time::macros::date;
use vaora_bench::{measure, report};
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_core::{ScanContext, Scanned, classify};

fn main() {
    let issuer = VenueIssuer::from_seed(KeyId(1), &[5; 32]);
    let text = issuer
        .issue(VenueCodeContent {
            key_id: KeyId(1),
            venue: VenueId(123_456),
            entrance: EntranceNo(1),
            short_name: "Chợ Bến Thành".into(),
            commune: Some(CommuneCode(26_734)),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            issued_on: date!(2026 - 11 - 20),
        })
        .expect("issue")
        .to_text(DEFAULT_HOST);
    let ring = issuer.key_ring(date!(2026 - 01 - 01), date!(2030 - 12 - 31));
    let ctx = ScanContext {
        key_ring: &ring,
        known_hosts: &[DEFAULT_HOST],
        today: date!(2026 - 11 - 25),
        now: time::OffsetDateTime::now_utc(),
    };
    assert!(matches!(classify(&text, &ctx), Scanned::Venue(_)));
    let t = measure(20_000, || classify(&text, &ctx));
    report(
        "classify + verify one venue code",
        &t,
        Duration::from_micros(100),
    );
    let cccd = "079203001234|025123456|Nguyễn Thị Minh Khai|15081990|Nữ|12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh|01072021";
    let t = measure(20_000, || classify(cccd, &ctx));
    report("classify one CCCD card", &t, Duration::from_micros(100));
}
