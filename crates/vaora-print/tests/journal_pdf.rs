//! The journal's printouts through a real PDF reader (poppler), as an
//! officer's computer would open them.

use std::process::Command;

use time::macros::{date, datetime, offset};
use vaora_core::person::PersonId;
use vaora_core::venue::{EntranceNo, VenueId};
use vaora_core::visit::{CheckoutKind, Visit, VisitId, VisitSource};
use vaora_print::{Timeline, TimelineEntry, VisitRecord};

fn visit(n: i64, place: &str) -> Visit {
    Visit {
        id: VisitId::new(),
        person: PersonId(1),
        venue: Some(VenueId(40 + n as u64)),
        entrance: EntranceNo(1),
        place_name: place.to_owned(),
        commune: None,
        checked_in_at: datetime!(2026-11-23 1:30 UTC) + time::Duration::hours(7 * n),
        planned_checkout_at: None,
        checked_out_at: Some(datetime!(2026-11-23 2:15 UTC) + time::Duration::hours(7 * n)),
        checkout: Some(CheckoutKind::Manual),
        source: VisitSource::Scan,
        verified: true,
        unverified_reason: None,
        group: None,
    }
}

fn pdf_text(pdf: &[u8]) -> (String, usize) {
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt install poppler-utils)");
    assert!(text.status.success(), "pdftotext refused the file");
    let info = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    (String::from_utf8_lossy(&text.stdout).into_owned(), pages)
}

#[test]
#[ignore = "needs pdftotext (poppler-utils): run by scripts/test"]
fn the_timeline_pdf_opens_in_a_real_reader_with_its_vietnamese_text_intact() {
    let places = [
        "Bệnh viện Chợ Rẫy",
        "Trường THCS Nguyễn Du",
        "=HYPERLINK(\"http://x\")",
    ];
    let visits: Vec<Visit> = (0..60).map(|n| visit(n, places[n as usize % 3])).collect();
    let entries: Vec<TimelineEntry<'_>> = visits
        .iter()
        .map(|visit| TimelineEntry {
            visit,
            person: "Lê Thị Hồng Nhung",
        })
        .collect();
    let pdf = Timeline {
        from: date!(2026 - 11 - 23),
        to: date!(2026 - 12 - 10),
        offset: offset!(+7),
        printed_at: datetime!(2026-12-10 2:00 UTC),
        entries: &entries,
    }
    .render_pdf()
    .unwrap();
    let (text, pages) = pdf_text(&pdf);
    assert!(pages >= 2, "{pages} pages");
    assert!(text.contains("Nhật ký đi lại"), "{text}");
    assert!(text.contains("Bệnh viện Chợ Rẫy"));
    assert!(text.contains("Lê Thị Hồng Nhung"));
    assert!(text.contains("08:30–09:15"));
    assert!(text.contains("Thứ Hai, 23/11/2026"));
    assert!(text.contains(&format!("Trang {pages}/{pages}")));
    // Untrusted text is drawn, never interpreted.
    assert!(text.contains("=HYPERLINK(\"http://x\")"));
}

#[test]
#[ignore = "needs pdftotext (poppler-utils): run by scripts/test"]
fn a_visit_record_pdf_is_one_page_with_that_visit_only() {
    let visits = [visit(0, "Chợ Đông Ba"), visit(1, "Nhà văn hoá xã Hòa Vang")];
    let pdf = VisitRecord {
        entry: TimelineEntry {
            visit: &visits[1],
            person: "Phạm Đức Anh",
        },
        offset: offset!(+7),
        printed_at: datetime!(2026-12-10 2:00 UTC),
    }
    .render_pdf()
    .unwrap();
    let (text, pages) = pdf_text(&pdf);
    assert_eq!(pages, 1);
    assert!(text.contains("Nhà văn hoá xã Hòa Vang"), "{text}");
    assert!(!text.contains("Chợ Đông Ba"));
    assert!(text.contains(&visits[1].id.0.to_string()));
    assert!(text.contains("Venue code signature verified"));
}
