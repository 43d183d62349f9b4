//! Printed documents. Posters, as the registrar downloads them (target: PDF
//! <= 200 ms); the journal's timeline PDF for a tracing interview, 500
//! visits (three weeks of a busy person; target <= 500 ms on the phone).

use std::time::Duration;

use time::macros::date;
use time::macros::{datetime, offset};
use vaora_bench::{measure, report};
use vaora_core::person::PersonId;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_core::visit::{CheckoutKind, Visit, VisitId, VisitSource};
use vaora_print::{Timeline, TimelineEntry};
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

    timeline();
}

fn timeline() {
    let start = datetime!(2026-11-04 0:30 UTC);
    let visits: Vec<Visit> = (0..500i64)
        .map(|n| Visit {
            id: VisitId::new(),
            person: PersonId(1),
            venue: Some(VenueId(n as u64 % 40)),
            entrance: EntranceNo(1),
            place_name: format!("Cửa hàng tiện lợi số {} đường Nguyễn Trãi", n % 40),
            commune: None,
            checked_in_at: start + time::Duration::minutes(60 * n),
            planned_checkout_at: None,
            checked_out_at: Some(start + time::Duration::minutes(60 * n + 20)),
            checkout: Some(CheckoutKind::Manual),
            source: VisitSource::Scan,
            verified: true,
            unverified_reason: None,
            group: None,
        })
        .collect();
    let entries: Vec<TimelineEntry<'_>> = visits
        .iter()
        .map(|visit| TimelineEntry {
            visit,
            person: "Nguyễn Thị Ánh",
        })
        .collect();
    let doc = Timeline {
        from: date!(2026 - 11 - 04),
        to: date!(2026 - 11 - 25),
        offset: offset!(+7),
        printed_at: datetime!(2026-11-25 3:00 UTC),
        entries: &entries,
    };
    let t = measure(10, || doc.render_pdf().expect("timeline"));
    report(
        "journal timeline PDF, 500 visits",
        &t,
        Duration::from_millis(500),
    );
    let pdf = doc.render_pdf().expect("timeline");
    println!(
        "journal timeline PDF: {} pages, {} KB",
        doc.pages().expect("pages").len(),
        pdf.len() / 1024
    );
}
