//! Journey: a commune officer binds a staff phone to a venue entrance
//! (online, once); at the gate, staff let people in from their ID card's
//! QR (counted: actions per person), type a paper form from the keyboard,
//! see a second scan of the same card refused as a duplicate, correct a
//! mistake, and check someone out at the exit. The server is the real
//! `vaora-server` code on a loopback port.

mod support;

use std::time::Instant;

use support::{App, Launch, camera_frame};
use vaora_print::page::{Page, QrPlacement};
use vaora_server::ServerConfig;
use vaora_server::db::NewVenue;

/// A photo of the back of an ID card: its QR, as a gate's camera sees it.
fn card_png(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let page = Page {
        qr: vec![QrPlacement::encode(text, 20.0, 20.0, 60.0).unwrap()],
        ..Page::default()
    };
    let png = vaora_print::render_png(&page, 100).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

/// The server's venue-signing key as devices trust it (what `/v1/keys`
/// publishes), read from its data directory.
fn issuer_key(data_dir: &std::path::Path) -> vaora_core::venue_code::IssuerKey {
    let issuer = vaora_server::issuer::load_or_create(data_dir).unwrap();
    issuer.trusted_key(
        time::macros::date!(2020 - 01 - 01),
        time::macros::date!(2099 - 12 - 31),
    )
}

/// The key ring `/v1/keys` publishes (with the authority key passes are
/// sealed to), made from the server's data directory.
fn published_key_ring(data_dir: &std::path::Path) -> String {
    let issuer = vaora_server::issuer::load_or_create(data_dir).unwrap();
    let authority = vaora_server::issuer::load_or_create_authority(data_dir).unwrap();
    vaora_server::issuer::key_ring(&issuer, &authority).to_json()
}

/// Counts what staff do: each scan, click and typed field is one action.
struct Staff<'a> {
    app: &'a App,
    actions: u32,
}

impl Staff<'_> {
    async fn scan(&mut self, picture: &std::path::Path) {
        self.actions += 1;
        self.app.choose_file("gate-scan-input", picture).await;
    }
    async fn click(&mut self, test_id: &str) {
        self.actions += 1;
        self.app.click(test_id).await;
    }
    async fn type_into(&mut self, test_id: &str, text: &str) {
        self.actions += 1;
        self.app.type_into(test_id, text).await;
    }
}

const AN: &str = "001092001234|012345678|Nguyễn Văn An|15031992|Nam|Số 12 ngõ 34 Tôn Đức Thắng, Phường Quốc Tử Giám, Quận Đống Đa, Thành phố Hà Nội|20042021";
const BINH: &str = "079195000001||Lê Thị Bình|02021995|Nữ|12 Lý Tự Trọng, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|01072021";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn gate_staff_let_people_in_from_cards_and_paper_and_check_out_at_the_exit() {
    let server_dir = tempfile::tempdir().unwrap();
    let config = ServerConfig::on_loopback(server_dir.path());
    let server = vaora_server::serve::start(&config).await.unwrap();
    let (url, db) = (format!("http://{}", server.addr), server.db.clone());
    let token_file = server.first_token_file.clone().expect("first start");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));
    let venue = db
        .create_venue(&NewVenue {
            name: "Chợ Đồng Xuân".into(),
            short_name: "Chợ Đồng Xuân".into(),
            address: "Phường Hoàn Kiếm, Thành phố Hà Nội".into(),
            commune: 70,
            kind: vaora_core::VenueKind::Market,
            default_stay_minutes: 60,
            entrances: 3,
        })
        .await
        .unwrap();
    let officer = std::fs::read_to_string(token_file).unwrap();
    let pictures = tempfile::tempdir().unwrap();
    let an_card = card_png(pictures.path(), "an", AN);
    let binh_card = card_png(pictures.path(), "binh", BINH);

    let driver = Launch::default().server(&url).mock_camera().start();
    let app = driver.launch_app().await;
    // Gate mode is set up from Settings; once bound, the gate is the home.
    app.go("settings").await;
    app.click("gate-open").await;

    // Bound once, online: a wrong officer's code is refused in words.
    app.type_into("gate-bind-venue", &venue.id.to_string())
        .await;
    // The entrance starts at 1; this gate is entrance 2.
    let entrance = app.element("gate-bind-entrance").await;
    entrance.clear().await.unwrap();
    entrance.send_keys("2").await.unwrap();
    app.type_into("gate-bind-token", "not-a-token").await;
    app.click("gate-bind-submit").await;
    app.wait_text(
        "gate-error",
        "Mã cán bộ không đúng hoặc không có quyền gắn cổng.",
    )
    .await;
    let token = app.element("gate-bind-token").await;
    token.clear().await.unwrap();
    token.send_keys(officer.trim()).await.unwrap();
    app.click("gate-bind-submit").await;
    app.wait_text("gate-bound", "Chợ Đồng Xuân — cổng 2").await;
    app.wait_text("gate-in", "0").await;

    // The live camera stays open for the queue (WebKit's mock camera
    // here): its frames go through gate_read_frame while nobody holds a
    // card up, and nothing goes wrong.
    app.click("camera-open").await;
    app.element("camera-preview").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.measures("frame-scan").await.len() < 3 {
        assert!(std::time::Instant::now() < deadline, "no frames scanned");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(app.texts("gate-error").await.is_empty());
    app.click("camera-stop").await;

    // The rotating gate code on screen: read back from a screenshot, it
    // verifies offline against the server's keys as this entrance.
    app.click("gate-code-toggle").await;
    let code = app.element("gate-code").await;
    let arg = serde_json::to_value(&code).unwrap();
    app.client
        .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let shot = app.screenshot("gate-rotating-code-vi").await;
    let frame = vaora_scan::frame_from_encoded(&std::fs::read(shot).unwrap()).unwrap();
    let text = vaora_scan::decode(&frame)
        .into_iter()
        .next()
        .expect("the gate code reads from the screen")
        .text;
    let ring = vaora_core::venue_code::KeyRing {
        keys: vec![issuer_key(server_dir.path())],
        ..Default::default()
    };
    let now = time::OffsetDateTime::now_utc();
    let ctx = vaora_core::ScanContext {
        key_ring: &ring,
        known_hosts: &[],
        today: vaora_core::calendar::vietnam_date(now),
        now,
    };
    match vaora_core::classify(&text, &ctx) {
        vaora_core::Scanned::Venue(v) => {
            assert_eq!(v.content.venue.0, venue.id as u64);
            assert_eq!(v.content.entrance.0, 2);
        }
        other => panic!("expected a verified gate code, got {other:?}"),
    }
    // Two minutes later the same picture no longer checks anyone in.
    let later = vaora_core::ScanContext {
        now: now + time::Duration::minutes(2),
        ..ctx
    };
    assert!(matches!(
        vaora_core::classify(&text, &later),
        vaora_core::Scanned::UnverifiedVenue { .. }
    ));
    app.click("gate-code-toggle").await;

    // A person with an ID card: scan, (the form fills itself, the old
    // address converted), ask the health questions, confirm.
    let mut staff = Staff {
        app: &app,
        actions: 0,
    };
    let started = Instant::now();
    staff.scan(&an_card).await;
    app.wait_text(
        "decl-place-chosen-name",
        "Phường Văn Miếu - Quốc Tử Giám, Hà Nội",
    )
    .await;
    let name = app.element("decl-fullName").await;
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Nguyễn Văn An")
    );
    // His old ward was split in 2025: the usual successor is chosen, the
    // other offered in case he says so.
    assert_eq!(app.texts("gate-candidate").await.len(), 2);
    app.screenshot_of("gate-form", "gate-card-prefilled-vi")
        .await;
    staff.click("gate-confirm").await;
    app.wait_text("gate-status", "Đã cho vào: An").await;
    let card_seconds = started.elapsed().as_secs_f64();
    let card_actions = staff.actions;
    app.wait_text("gate-in", "1").await;
    println!(
        "gate, ID card: {card_actions} actions, {card_seconds:.1} s (including the test driver)"
    );
    assert!(card_actions <= 6, "{card_actions} actions with a card");
    assert!(card_seconds <= 10.0, "{card_seconds:.1} s with a card");

    // The same card again while the queue moves: not recorded twice.
    app.choose_file("gate-scan-input", &an_card).await;
    app.element("gate-form").await;
    app.click("gate-confirm").await;
    let already = app.text("gate-status").await;
    assert!(already.starts_with("An vừa được ghi vào lúc"), "{already}");
    app.wait_text("gate-in", "1").await;

    // Another card (Phường Bến Nghé, Quận 1 is now Phường Sài Gòn); she
    // has a fever, so she is sent to the health desk.
    app.choose_file("gate-scan-input", &binh_card).await;
    app.element("gate-form").await;
    app.wait_text("decl-place-chosen-name", "Phường Sài Gòn, Hồ Chí Minh")
        .await;
    app.click("decl-symptom-fever").await;
    app.click("gate-confirm").await;
    app.wait_text("gate-status", "Đã cho vào: Bình").await;
    assert!(
        app.text("gate-attention")
            .await
            .contains("mời sang bàn y tế")
    );

    // Someone with VaoRa shows their personal pass: staff see only the
    // given name and date; the declaration stays sealed.
    let authority =
        vaora_core::venue_code::KeyRing::from_json(&published_key_ring(server_dir.path())).unwrap();
    let pass = vaora_core::personal_pass::PersonalPass::seal(
        "Mai",
        vaora_core::calendar::vietnam_date(time::OffsetDateTime::now_utc()),
        authority.current_authority_key().unwrap(),
        br#"{"fullName":"Mai"}"#,
    )
    .unwrap();
    let pass_picture = card_png(pictures.path(), "pass", &pass.to_text());
    app.choose_file("gate-scan-input", &pass_picture).await;
    let shown = app.text("gate-pass").await;
    assert!(
        shown.starts_with("Thẻ khai báo của Mai, khai ngày"),
        "{shown}"
    );
    app.click("gate-pass-enter").await;
    app.wait_text("gate-status", "Đã cho vào: Mai").await;

    // A foreign code at the gate (a shop's Wi-Fi QR): said so, nothing saved.
    let foreign = card_png(pictures.path(), "wifi", "WIFI:S:CuaHang;T:WPA;P:12345678;;");
    app.choose_file("gate-scan-input", &foreign).await;
    app.wait_text(
        "gate-error",
        "Đây không phải CCCD hay thẻ khai báo. Hãy quét mặt sau CCCD (mã QR) hoặc mã trên điện thoại của khách.",
    )
    .await;
    app.wait_text("gate-in", "3").await;
    // The live camera's path: a camera frame with Bình's card in it, as
    // the gate's scan loop sends it, read through its own scanner.
    let read = app
        .invoke_raw("gate_read_frame", &camera_frame(&binh_card))
        .await;
    assert_eq!(read["kind"], "card", "{read}");
    assert_eq!(read["prefill"]["form"]["fullName"], "Lê Thị Bình");

    // A paper form, typed from the keyboard in tab order; Enter (WebDriver
    // key U+E007) saves. A
    // missing field is pointed at and nothing typed is lost.
    let mut typist = Staff {
        app: &app,
        actions: 0,
    };
    typist.click("gate-paper").await;
    typist.type_into("decl-fullName", "Phạm Văn Cường").await;
    typist
        .type_into("decl-idNumber", "038090001111\u{E007}")
        .await;
    let errors = app.text("decl-birthYear-error").await;
    assert_eq!(errors, "Hãy nhập năm sinh.");
    assert_eq!(
        app.element("decl-fullName")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Phạm Văn Cường")
    );
    typist.type_into("decl-birthYear", "1990").await;
    typist.click("decl-sex-male").await;
    typist.type_into("decl-place-search", "ham rong").await;
    typist.click("decl-place-option").await;
    typist.type_into("decl-street", "Thôn 3\u{E007}").await;
    app.wait_text("gate-status", "Đã cho vào: Cường").await;
    println!("gate, paper form: {} actions", typist.actions);
    app.wait_text("gate-in", "4").await;
    app.screenshot_of("gate-bound", "gate-counters-vi").await;

    // A mistake corrected: Cường's entry is voided (newest first).
    app.click("gate-entry-void").await;
    app.wait_text("gate-in", "3").await;

    // At the exit: scanning An's card checks him out.
    app.click("gate-mode-exit").await;
    app.choose_file("gate-scan-input", &an_card).await;
    app.wait_text("gate-status", "Đã ghi ra: An").await;
    app.wait_text("gate-out", "1").await;
    app.wait_text("gate-inside", "2").await;
    assert_eq!(
        app.texts("gate-entry-name").await,
        ["Cường", "Mai", "Bình", "An"]
    );
    app.screenshot_of("gate-bound", "gate-today-vi").await;

    // Sync: each entry reaches the server from this gate, voids and exits
    // included.
    app.go("settings").await;
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while db.gate_entry_count().await.unwrap() < 4 && Instant::now() < deadline {
        app.click("sync-now").await;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    assert_eq!(db.gate_entry_count().await.unwrap(), 4);
    app.close().await;
    let _ = stop.send(());
}
