//! Journey: check in from a photo of a poster, see the visit in the journal,
//! check out, record an unverified poster on purpose, add a place without a
//! code by hand, export the journal, delete a visit.

mod support;

use time::macros::date;
use vaora_core::venue_code::{KeyId, VenueIssuer};

use support::{Driver, poster_png};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn check_in_from_a_poster_photo_check_out_and_export() {
    let driver = Driver::start();
    let issuer = VenueIssuer::from_seed(KeyId(1), &[21; 32]);
    driver.trust_keys(&issuer.key_ring(date!(2026 - 01 - 01), date!(2099 - 12 - 31)));
    let pictures = tempfile::tempdir().unwrap();
    let trusted = poster_png(pictures.path(), &issuer, 7001, "Chợ Đồng Xuân");
    let stranger = VenueIssuer::from_seed(KeyId(9), &[22; 32]);
    let unknown = poster_png(pictures.path(), &stranger, 7002, "Quán phở 24");

    let app = driver.launch_app().await;
    app.wait_text("empty-title", "Chưa có lượt ghé nào").await;
    app.go("journal").await;
    assert_eq!(
        app.texts("journal-empty").await,
        ["Chưa có lượt ghé nào trong nhật ký."]
    );
    app.go("scan").await;

    // A verified poster: checked in at once, durable before the UI says so.
    // The result sheet names the place, says it is verified, offers to declare.
    app.choose_file("scan-image-input", &trusted).await;
    app.wait_text("scan-result-message", "Đã ghi lượt ghé: Chợ Đồng Xuân")
        .await;
    assert_eq!(app.text("scan-result-place").await, "Chợ Đồng Xuân");
    assert_eq!(app.text("scan-result-badge").await, "Đã xác minh");
    app.element("scan-result-declare").await;
    app.screenshot("scan-checked-in-vi").await;
    // "Declare now" opens the declaration for this visit, its person only.
    app.click("scan-result-declare").await;
    app.wait_text("declare-for-visit", "Tờ khai cho lượt ghé Chợ Đồng Xuân")
        .await;
    app.element("declare-form").await;
    assert_eq!(app.texts("declare-person").await, ["Tôi"]);
    app.go("journal").await;
    app.wait_text("visits-total", "1").await;
    assert_eq!(app.texts("visit-place").await, ["Chợ Đồng Xuân"]);
    assert_eq!(app.texts("visit-badge").await, ["Đã xác minh"]);
    app.screenshot_of("visit", "journal-checked-in-vi").await;

    // A row opens the visit's detail sheet, where check-out is.
    app.click("visit").await;
    app.wait_text("detail-place", "Chợ Đồng Xuân").await;
    app.screenshot_of("visit-detail", "visit-detail-vi").await;
    app.click("check-out").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.texts("visit-out").await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "check-out not shown");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(app.texts("visit-out").await[0].starts_with("Ra "));

    // A poster from an issuer the device does not know: warned, and kept
    // only because the user chose to, marked unverified.
    app.go("scan").await;
    app.choose_file("scan-image-input", &unknown).await;
    app.wait_text(
        "scan-result-message",
        "Chưa xác minh được mã này: máy chưa có khoá của nơi cấp mã. Bạn vẫn có thể ghi lượt ghé, được đánh dấu là chưa xác minh.",
    )
    .await;
    assert_eq!(app.text("scan-result-badge").await, "Chưa xác minh");
    app.screenshot("scan-unverified-vi").await;
    app.click("record-unverified").await;
    app.wait_text("scan-result-message", "Đã ghi lượt ghé: Quán phở 24")
        .await;
    app.click("scan-result-close").await;
    app.go("journal").await;
    app.wait_text("visits-total", "2").await;
    assert_eq!(
        app.texts("visit-place").await,
        ["Quán phở 24", "Chợ Đồng Xuân"]
    );
    assert_eq!(
        app.texts("visit-badge").await,
        ["Chưa xác minh", "Đã xác minh"]
    );

    // A place without a code, typed by hand (time in: now, prefilled).
    app.click("manual-open").await;
    app.type_into("manual-name", "Nhà văn hoá thôn 3").await;
    app.click("manual-save").await;
    app.wait_text("manual-saved", "Đã lưu lượt ghé: Nhà văn hoá thôn 3")
        .await;
    app.wait_text("visits-total", "3").await;
    // The typed time has minute precision, so it may sort either side of
    // the visit made earlier in the same minute.
    let mut places = app.texts("visit-place").await;
    places.sort();
    assert_eq!(
        places,
        ["Chợ Đồng Xuân", "Nhà văn hoá thôn 3", "Quán phở 24"]
    );
    // A typed place has no code to verify, so no verified/unverified badge.
    assert_eq!(app.texts("visit-badge").await.len(), 2);

    // Export: the default range is the retention period, up to today.
    app.click("export-open").await;
    app.click("export-csv").await;
    let path = saved_path(&app, "export-done", "Đã lưu tệp: ").await;
    let csv = std::fs::read_to_string(&path).expect("exported file");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\"Chợ Đồng Xuân\""), "{csv}");
    assert!(csv.contains("\"Quán phở 24\""), "{csv}");
    assert!(csv.contains("\"manual\""), "{csv}");
    assert_eq!(csv.lines().count(), 4, "{csv}");
    app.screenshot_of("export-panel", "journal-exported-vi")
        .await;
    // The PDF timeline for a tracing interview, read by a real PDF reader.
    app.click("export-pdf").await;
    let pdf = loop {
        let path = saved_path(&app, "export-done", "Đã lưu tệp: ").await;
        if path.ends_with(".pdf") {
            break path;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let text = pdf_text(&pdf);
    for place in ["Chợ Đồng Xuân", "Quán phở 24", "Nhà văn hoá thôn 3"] {
        assert!(
            text.contains(place),
            "{place} missing from the timeline: {text}"
        );
    }

    // One visit alone, as proof: the record holds that visit and no other.
    app.click("visit").await;
    let shown = app.texts("detail-place").await.remove(0);
    app.click("save-record").await;
    let record = saved_path(&app, "record-saved", "").await;
    let record = record
        .rsplit(": ")
        .next()
        .expect("path after the colon")
        .to_owned();
    let text = pdf_text(&record);
    assert!(text.contains(&shown), "{text}");
    let others = ["Chợ Đồng Xuân", "Quán phở 24", "Nhà văn hoá thôn 3"]
        .into_iter()
        .filter(|p| *p != shown);
    for other in others {
        assert!(!text.contains(other), "{other} leaked into the record");
    }
    app.click("detail-close").await;

    // Deleting asks first, in the page (no system dialog), then removes
    // exactly that visit.
    let first = app.texts("visit-place").await.remove(0);
    app.click("visit").await;
    app.click("delete").await;
    app.screenshot_of("delete-confirm", "journal-delete-confirm-vi")
        .await;
    app.click("delete-confirm").await;
    app.wait_text("visits-total", "2").await;
    let left = app.texts("visit-place").await;
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&first), "{first} still listed: {left:?}");
    app.close().await;
}

/// A journal of thousands of visits: the page only ever holds the rows on
/// screen, and scrolling loads older pages.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn a_long_journal_keeps_only_the_rows_on_screen_in_the_page() {
    const VISITS: usize = 3_000;
    let driver = Driver::start();
    let now = time::OffsetDateTime::now_utc();
    driver.seed_journal(|journal| {
        let me = journal.me().unwrap().id;
        for n in 0..VISITS {
            // One every 9 minutes, newest an hour ago: inside 21 days' retention.
            let at = now - time::Duration::minutes(60 + 9 * n as i64);
            journal
                .add_manual_visit(
                    me,
                    &format!("Nơi ghé số {n}"),
                    None,
                    at,
                    Some(at + time::Duration::minutes(5)),
                    now,
                )
                .unwrap();
        }
    });
    let app = driver.launch_app().await;
    app.go("journal").await;
    // Counts are grouped the Vietnamese way.
    app.wait_text("visits-total", "3.000").await;
    let rows = app.texts("visit-place").await;
    assert!(
        !rows.is_empty() && rows.len() <= 40,
        "{} rows in the page",
        rows.len()
    );
    assert_eq!(rows[0], "Nơi ghé số 0", "newest first");

    // Scroll to the end a few times: older pages load, the page stays small.
    let mut oldest = 0;
    for _ in 0..4 {
        app.scroll_to_end().await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let rows = app.texts("visit-place").await;
            assert!(rows.len() <= 40, "{} rows in the page", rows.len());
            // Rows just outside the scrolled screen read as empty text:
            // take the oldest visit among those that read.
            let last = rows
                .iter()
                .filter_map(|r| r.strip_prefix("Nơi ghé số "))
                .filter_map(|n| n.parse::<usize>().ok())
                .max()
                .unwrap_or(0);
            if last > oldest {
                oldest = last;
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no older page loaded");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    assert!(oldest >= 100, "only reached visit {oldest}");
    app.screenshot("journal-long-vi").await;
    app.close().await;
}

/// Waits for the status message `testid` and returns the path in it.
async fn saved_path(app: &support::App, testid: &str, prefix: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(text) = app.texts(testid).await.pop() {
            return text.strip_prefix(prefix).expect("saved message").to_owned();
        }
        assert!(std::time::Instant::now() < deadline, "{testid} not shown");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn pdf_text(path: &str) -> String {
    let bytes = std::fs::read(path).expect("saved PDF");
    assert!(bytes.starts_with(b"%PDF-"), "{path} is not a PDF");
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
