//! Journey: a journal with visits waiting, the app started with a server to
//! talk to; the visits reach the server once each and the home screen says
//! everything is sent. The server is the real `vaora-server` code, run in
//! this test's process on a loopback port.

mod support;

use support::Driver;
use time::OffsetDateTime;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_server::ServerConfig;
use vaora_server::poster::Poster;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn waiting_visits_reach_the_server_once_and_the_app_says_so() {
    let server_dir = tempfile::tempdir().unwrap();
    let config = ServerConfig::on_loopback(server_dir.path());
    let server = vaora_server::serve::start(&config).await.unwrap();
    let (url, db) = (format!("http://{}", server.addr), server.db.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));

    let driver = Driver::with_server(&url);
    let now = OffsetDateTime::now_utc();
    driver.seed_journal(|journal| {
        let me = journal.me().unwrap().id;
        for (n, place) in ["Nhà văn hoá thôn Đông", "Trạm y tế xã", "Chợ phiên"]
            .iter()
            .enumerate()
        {
            let at = now - time::Duration::hours(3 - n as i64);
            journal
                .add_manual_visit(
                    me,
                    place,
                    None,
                    at,
                    Some(at + time::Duration::minutes(30)),
                    now,
                )
                .unwrap();
        }
        // Typed with a wrong year: the server refuses it, the device keeps it.
        let long_ago = now - time::Duration::days(90);
        journal
            .add_manual_visit(me, "Chợ tạm", None, long_ago, None, now)
            .unwrap();
    });
    let app = driver.launch_app().await;
    app.go("journal").await;
    app.wait_text("visits-total", "4").await;
    // The app syncs on start; the home screen follows.
    app.wait_text("sync-state", "Đã gửi hết, không còn gì chờ.")
        .await;
    assert_eq!(db.visit_count().await.unwrap(), 3);
    assert!(app.texts("sync-error").await.is_empty());
    // The refused one is listed with the reason, in plain words.
    app.wait_text(
        "sync-rejected",
        "Máy chủ không nhận 1 bản ghi (vẫn được giữ trên máy).",
    )
    .await;
    app.click("sync-rejected").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let item = loop {
        if let Some(item) = app.texts("rejected-item").await.pop() {
            break item;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "refused record not listed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(item.starts_with("Chợ tạm"), "{item}");
    assert!(
        item.ends_with("thời gian không hợp lý (hãy kiểm tra đồng hồ của máy)."),
        "{item}"
    );
    app.screenshot_of("sync-rejected", "sync-rejected-vi").await;
    assert_eq!(app.texts("sync-last").await.len(), 1);
    app.screenshot_of("sync-state", "sync-sent-vi").await;

    // "Send now" with nothing waiting changes nothing on the server.
    app.click("sync-now").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(db.visit_count().await.unwrap(), 3);

    // The app fetched the server's signing key: a poster this server
    // printed verifies on the device, offline from then on.
    let keys = driver.app_data_dir().join("trusted-keys.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !keys.exists() {
        assert!(std::time::Instant::now() < deadline, "keys not fetched");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let seed = std::fs::read_to_string(server_dir.path().join("issuer.key")).unwrap();
    let seed: [u8; 32] = (0..32)
        .map(|i| u8::from_str_radix(&seed.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let issuer = VenueIssuer::from_seed(KeyId(1), &seed);
    let code = issuer
        .issue(VenueCodeContent {
            key_id: issuer.key_id(),
            venue: VenueId(1),
            entrance: EntranceNo(1),
            short_name: "UBND xã Tân Phú".into(),
            commune: Some(CommuneCode(27_100)),
            kind: VenueKind::Office,
            default_stay_minutes: 30,
            issued_on: OffsetDateTime::now_utc().date(),
        })
        .unwrap();
    let png = Poster {
        code_text: code.to_text(DEFAULT_HOST),
        venue_name: "UBND xã Tân Phú".into(),
        address: String::new(),
        entrance: 1,
    }
    .render_png(100)
    .unwrap();
    let pictures = tempfile::tempdir().unwrap();
    let poster = pictures.path().join("poster.png");
    std::fs::write(&poster, png).unwrap();
    app.go("scan").await;
    app.choose_file("scan-image-input", &poster).await;
    app.wait_text("scan-result-message", "Đã ghi lượt ghé: UBND xã Tân Phú")
        .await;
    app.close().await;
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn without_a_server_visits_stay_queued_and_the_app_says_why() {
    let driver = Driver::start();
    let now = OffsetDateTime::now_utc();
    driver.seed_journal(|journal| {
        let me = journal.me().unwrap().id;
        journal
            .add_manual_visit(
                me,
                "Bến đò Cồn Tiên",
                None,
                now - time::Duration::hours(1),
                None,
                now,
            )
            .unwrap();
    });
    let app = driver.launch_app().await;
    app.go("journal").await;
    app.wait_text(
        "sync-error",
        "Chưa kết nối được máy chủ. Dữ liệu vẫn được giữ trên máy và sẽ gửi khi có mạng.",
    )
    .await;
    assert_eq!(
        app.text("sync-state").await,
        "1 bản ghi đang chờ gửi khi có mạng."
    );
    app.screenshot_of("sync-state", "sync-offline-vi").await;
    app.close().await;
}
