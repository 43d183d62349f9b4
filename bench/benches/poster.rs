//! Poster generation, as the registrar downloads it. Target: PDF <= 200 ms.

use std::time::Duration;

use time::macros::date;
use vaora_bench::{measure, report};
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_server::poster::Poster;

fn main() {
    let code = VenueIssuer::from_seed(KeyId(1), &[2; 32])
        .issue(VenueCodeContent {
            key_id: KeyId(1),
            venue: VenueId(1001),
            entrance: EntranceNo(1),
            short_name: "BV Bạch Mai".into(),
            commune: Some(CommuneCode(172)),
            kind: VenueKind::Hospital,
            default_stay_minutes: 180,
            issued_on: date!(2026 - 11 - 25),
        })
        .expect("issue");
    let poster = Poster {
        code_text: code.to_text(DEFAULT_HOST),
        venue_name: "Bệnh viện Bạch Mai".into(),
        address: "78 Giải Phóng, Phường Kim Liên, Thành phố Hà Nội".into(),
        entrance: 1,
    };
    let t = measure(50, || poster.render_pdf().expect("pdf"));
    report(
        "poster PDF (A4, vector QR, 2 embedded fonts)",
        &t,
        Duration::from_millis(200),
    );
    let size = poster.render_pdf().expect("pdf").len();
    println!("poster PDF size: {} KB", size / 1024);
    let t = measure(10, || poster.render_png(150).expect("png"));
    report("poster PNG at 150 dpi", &t, Duration::from_millis(1000));
}
