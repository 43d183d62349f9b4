//! Journey: the health authority publishes a case at a market; a phone
//! that was there (its journal seeded before start) downloads the signed
//! list when it syncs, matches it on the device and shows the alert with
//! what to do; the same sync brings the venue directory, so the visit shows
//! the venue's full name. The server is the real `vaora-server` code on
//! loopback.

mod support;

use support::Driver;
use time::{Duration, OffsetDateTime};
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{CheckIn, Place, Verification, VisitSource};
use vaora_server::ServerConfig;
use vaora_server::db::{NewRiskyEntry, NewVenue};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn a_phone_that_was_at_a_case_venue_is_alerted_on_the_device() {
    let server_dir = tempfile::tempdir().unwrap();
    let config = ServerConfig::on_loopback(server_dir.path());
    let server = vaora_server::serve::start(&config).await.unwrap();
    let (url, db) = (format!("http://{}", server.addr), server.db.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));
    let market = db
        .create_venue(&NewVenue {
            name: "Chợ Đồng Xuân — cổng chính, đường Đồng Xuân".into(),
            short_name: "Chợ Đồng Xuân".into(),
            address: "Phường Hoàn Kiếm, Thành phố Hà Nội".into(),
            commune: 70,
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            entrances: 1,
        })
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let t0 = now - Duration::hours(4);
    let issuer = vaora_server::issuer::load_or_create(server_dir.path()).unwrap();
    db.publish_risky(
        &issuer,
        &NewRiskyEntry {
            venue: market.id,
            entrance: None,
            from: t0,
            to: t0 + Duration::hours(1),
            advice_vi: "Theo dõi sức khoẻ 14 ngày; gọi 1900 9095 nếu sốt.".into(),
            advice_en: "Watch your health for 14 days; call 1900 9095 if you have a fever.".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();

    let driver = Driver::with_server(&url);
    driver.seed_journal(|journal| {
        let me = journal.me().unwrap().id;
        let outcome = journal
            .check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: Venue {
                        id: VenueId(market.id as u64),
                        short_name: "Chợ Đồng Xuân".into(),
                        commune: Some(CommuneCode(70)),
                        kind: VenueKind::Market,
                        default_stay_minutes: 60,
                    },
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at: t0 + Duration::minutes(15),
            })
            .unwrap();
        if let vaora_core::CheckInOutcome::CheckedIn(visits) = outcome {
            journal
                .check_out(visits[0].id, t0 + Duration::minutes(40))
                .unwrap();
        }
    });
    let app = driver.launch_app().await;
    // The app pulls keys, syncs, downloads the list and matches on start.
    // The Scan screen says there is an alert; the Alerts screen lists it,
    // and its detail says what to do.
    app.element("alerts-banner").await;
    app.click("alerts-banner-open").await;
    app.wait_text("alert-place", "Tại Chợ Đồng Xuân").await;
    assert_eq!(app.text("alert-overlap").await, "Cùng lúc khoảng 25 phút");
    app.screenshot_of("alerts", "alerts-vi").await;
    app.click("alert").await;
    assert!(
        app.text("alert-advice")
            .await
            .contains("gọi 1900 9095 nếu sốt")
    );
    assert_eq!(
        app.text("alert-detail-overlap").await,
        "Cùng lúc khoảng 25 phút"
    );
    app.screenshot("alert-vi").await;

    // The same sync brought the signed venue directory of the commune:
    // the visit's detail shows the full name and address the code has no
    // room for. (Escape closes the alert's sheet.)
    app.type_into("alert-detail", "\u{E00C}").await;
    app.go("journal").await;
    app.click("visit").await;
    app.wait_text("detail-place", "Chợ Đồng Xuân").await;
    app.wait_text(
        "detail-venue",
        "Chợ Đồng Xuân — cổng chính, đường Đồng Xuân",
    )
    .await;
    assert_eq!(
        app.text("detail-address").await,
        "Phường Hoàn Kiếm, Thành phố Hà Nội"
    );
    app.close().await;
    let _ = stop.send(());
}
