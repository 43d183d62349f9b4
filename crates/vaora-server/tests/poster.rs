//! Posters carry a code that a camera reads back to the same verified venue.

use std::process::Command;

use time::macros::date;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, KeyRing, VenueCodeContent, VenueIssuer};
use vaora_core::{ScanContext, Scanned, classify};
use vaora_scan::{FrameSource, ImageFileSource};
use vaora_server::poster::Poster;

fn issued() -> (String, KeyRing, VenueCodeContent) {
    let issuer = VenueIssuer::from_seed(KeyId(1), &[11; 32]);
    let content = VenueCodeContent {
        key_id: KeyId(1),
        venue: VenueId(90_210),
        entrance: EntranceNo(2),
        short_name: "Chợ Đồng Xuân".into(),
        commune: Some(CommuneCode(70)),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
        issued_on: date!(2026 - 11 - 25),
    };
    let text = issuer.issue(content.clone()).unwrap().to_text(DEFAULT_HOST);
    let ring = issuer.key_ring(date!(2026 - 01 - 01), date!(2030 - 12 - 31));
    (text, ring, content)
}

fn poster(code_text: String) -> Poster {
    Poster {
        code_text,
        venue_name: "Chợ Đồng Xuân — Ban quản lý chợ, cổng chính phía phố Hàng Chiếu".into(),
        address: "Phố Đồng Xuân, Phường Hoàn Kiếm, Thành phố Hà Nội".into(),
        entrance: 2,
    }
}

/// Decodes the image at `path` and classifies what it finds.
fn scan_file(path: &std::path::Path, ring: &KeyRing) -> Vec<Scanned> {
    let frame = ImageFileSource::new(path).next_frame().unwrap().unwrap();
    vaora_scan::decode(&frame)
        .into_iter()
        .map(|p| {
            classify(
                &p.text,
                &ScanContext {
                    key_ring: ring,
                    known_hosts: &[DEFAULT_HOST],
                    today: date!(2026 - 11 - 25),
                    now: time::OffsetDateTime::now_utc(),
                },
            )
        })
        .collect()
}

#[test]
fn a_poster_png_scans_back_to_the_same_verified_venue() {
    let (text, ring, content) = issued();
    let png = poster(text).render_png(100).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("poster.png");
    std::fs::write(&path, png).unwrap();
    match scan_file(&path, &ring).as_slice() {
        [Scanned::Venue(v)] => assert_eq!(v.content, content),
        other => panic!("expected one verified venue, got {other:?}"),
    }
}

#[test]
#[ignore = "needs pdftoppm (poppler-utils): run by scripts/test"]
fn a_poster_pdf_renders_and_scans_back_to_the_same_verified_venue() {
    let (text, ring, content) = issued();
    let pdf = poster(text).render_pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("poster.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    // A real PDF renderer, as a print shop would use.
    let status = Command::new("pdftoppm")
        .args(["-r", "100", "-gray", "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (apt install poppler-utils)");
    assert!(status.success());
    match scan_file(&dir.path().join("page.png"), &ring).as_slice() {
        [Scanned::Venue(v)] => assert_eq!(v.content, content),
        other => panic!("expected one verified venue, got {other:?}"),
    }
    // The text is real text: the Vietnamese venue name can be extracted.
    let out = Command::new("pdftotext")
        .arg(&pdf_path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let extracted = String::from_utf8_lossy(&out.stdout);
    assert!(extracted.contains("ĐIỂM KIỂM DỊCH"), "{extracted}");
    assert!(extracted.contains("Phường Hoàn Kiếm"), "{extracted}");
}
