//! Exposure alerts end to end: the authority marks a case at a venue on the
//! real server binary; devices download the signed list with the app's sync
//! engine and match it against their own journals. Exactly the devices
//! whose stays overlapped the case's window (widened by an hour) are
//! alerted, once each.

use serde_json::json;
use time::{Duration, OffsetDateTime};
use vaora_core::sync::SyncClient;
use vaora_core::venue::{CommuneCode, Venue, VenueId, VenueKind};
use vaora_core::venue_code::KeyRing;

mod support;

use support::{Server, device};

const WIDEN: Duration = Duration::hours(1);

fn venue(id: i64) -> Venue {
    Venue {
        id: VenueId(id as u64),
        short_name: "Chợ Đồng Xuân".into(),
        commune: Some(CommuneCode(70)),
        kind: VenueKind::Market,
        default_stay_minutes: 30,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_alerts_exactly_the_devices_that_overlapped_once_each() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let token = std::fs::read_to_string(server.data_file("authority-token.txt")).unwrap();
    let token = token.trim();
    let market = server.register_venue(token, "Chợ Đồng Xuân", 70, 1).await;
    let other = server.register_venue(token, "Chợ Hôm", 70, 1).await;

    // The case was at the market for an hour, five hours ago.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let t0 = now - Duration::hours(5);
    let marked = http
        .post(server.url("/v1/risky-venues"))
        .bearer_auth(token)
        .json(&json!({
            "venue": market, "from": t0.unix_timestamp(), "minutes": 60,
            "advice_vi": "Theo dõi sức khoẻ 14 ngày.", "advice_en": "Watch your health for 14 days."
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), reqwest::StatusCode::CREATED);

    let dir = tempfile::tempdir().unwrap();
    let m = venue(market);
    // Inside the window, checked out: 20 minutes together.
    let inside = device(
        &dir,
        "inside",
        m.clone(),
        t0 + Duration::minutes(30),
        Some(t0 + Duration::minutes(50)),
    );
    // Left exactly when the widened window opens: touching is not overlapping.
    let before = device(
        &dir,
        "before",
        m.clone(),
        t0 - Duration::hours(2),
        Some(t0 - WIDEN),
    );
    // Came after the case left, never checked out: the planned check-out
    // (the venue's 30 minutes) ends the stay, inside the widening.
    let after = device(&dir, "after", m.clone(), t0 + Duration::minutes(90), None);
    // Same time, another market.
    let elsewhere = device(
        &dir,
        "elsewhere",
        venue(other),
        t0 + Duration::minutes(30),
        None,
    );

    let ring = KeyRing::from_json(
        &reqwest::get(server.url("/v1/keys"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let client = SyncClient::new(&server.base).unwrap();
    let mut alerted = Vec::new();
    for (name, journal) in [
        ("inside", &inside),
        ("before", &before),
        ("after", &after),
        ("elsewhere", &elsewhere),
    ] {
        let pulled = client.pull_risky(journal, &ring).await.unwrap();
        assert_eq!((pulled.kept, pulled.refused), (1, 0), "{name}");
        let raised = journal.lock().unwrap().raise_alerts(now, WIDEN).unwrap();
        if !raised.is_empty() {
            alerted.push((name, raised));
        }
    }
    let names: Vec<_> = alerted.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["inside", "after"]);
    let inside_alert = &alerted[0].1[0];
    assert_eq!(inside_alert.overlap_minutes, 20);
    assert_eq!(inside_alert.exposure_from, t0);
    assert_eq!(inside_alert.advice_vi, "Theo dõi sức khoẻ 14 ngày.");
    assert_eq!(
        alerted[1].1[0].overlap_minutes, 0,
        "shortly after, not during"
    );

    // Raised once: matching again, or downloading again, raises nothing new.
    for journal in [&inside, &after] {
        let pulled = client.pull_risky(journal, &ring).await.unwrap();
        assert_eq!(pulled.kept, 0, "the cursor asks only for newer entries");
        assert!(
            journal
                .lock()
                .unwrap()
                .raise_alerts(now, WIDEN)
                .unwrap()
                .is_empty()
        );
        assert_eq!(journal.lock().unwrap().alerts(10).unwrap().len(), 1);
    }

    // An entry signed by a key the device does not trust is refused.
    let stranger = KeyRing::default();
    let fresh = device(&dir, "fresh", m, t0, None);
    let pulled = client.pull_risky(&fresh, &stranger).await.unwrap();
    assert_eq!((pulled.kept, pulled.refused), (0, 1));
    assert!(
        fresh
            .lock()
            .unwrap()
            .raise_alerts(now, WIDEN)
            .unwrap()
            .is_empty()
    );
}
