//! The signed venue directory end to end: the real server binary publishes
//! each commune's checkpoints, signed; the app's sync engine downloads the
//! communes its journal has visits in, keeps what verifies, and asks only
//! for what is new the next time.

use time::{Duration, OffsetDateTime};
use vaora_core::sync::SyncClient;
use vaora_core::venue::{CommuneCode, Venue, VenueId, VenueKind};
use vaora_core::venue_code::KeyRing;

mod support;

use support::{Server, authority_token, device};

#[tokio::test(flavor = "multi_thread")]
async fn a_device_gets_the_full_names_of_the_communes_it_visited_once() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let token = authority_token(&server);
    // register_venue gives every venue the address "Thành phố Hà Nội".
    let market = server
        .register_venue(
            &token,
            "Chợ Đồng Xuân — cổng chính phía đường Đồng Xuân",
            70,
            2,
        )
        .await;
    let pharmacy = server
        .register_venue(&token, "Nhà thuốc Minh Châu", 70, 1)
        .await;
    let elsewhere = server.register_venue(&token, "Quán phở Thìn", 235, 1).await;

    let dir = tempfile::tempdir().unwrap();
    let visited = Venue {
        id: VenueId(market as u64),
        short_name: "Chợ Đồng Xuân".into(),
        commune: Some(CommuneCode(70)),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
    };
    let at = OffsetDateTime::now_utc() - Duration::hours(1);
    let journal = device(&dir, "phone", visited, at, None);
    let client = SyncClient::new(&server.base).unwrap();
    let ring: KeyRing = client.fetch_key_ring().await.unwrap();

    let first = client.pull_directory(&journal, &ring).await.unwrap();
    assert_eq!((first.kept, first.refused), (2, 0), "commune 70 only");
    {
        let j = journal.lock().unwrap();
        let details = j
            .venue_details(VenueId(market as u64))
            .unwrap()
            .expect("market");
        assert_eq!(
            details.name,
            "Chợ Đồng Xuân — cổng chính phía đường Đồng Xuân"
        );
        assert_eq!(details.address, "Thành phố Hà Nội");
        assert!(j.venue_details(VenueId(pharmacy as u64)).unwrap().is_some());
        assert_eq!(j.venue_details(VenueId(elsewhere as u64)).unwrap(), None);
    }

    // Nothing new: nothing downloaded. A new venue in 70: only it.
    let again = client.pull_directory(&journal, &ring).await.unwrap();
    assert_eq!(again.kept, 0);
    let new = server
        .register_venue(&token, "Trường THCS Nguyễn Du", 70, 1)
        .await;
    let later = client.pull_directory(&journal, &ring).await.unwrap();
    assert_eq!(later.kept, 1);
    assert!(
        journal
            .lock()
            .unwrap()
            .venue_details(VenueId(new as u64))
            .unwrap()
            .is_some()
    );

    // Entries signed by a key the device does not trust are refused.
    let stranger =
        vaora_core::venue_code::VenueIssuer::from_seed(vaora_core::venue_code::KeyId(9), &[3; 32]);
    let strangers_ring = stranger.key_ring(
        time::macros::date!(2020 - 01 - 01),
        time::macros::date!(2099 - 12 - 31),
    );
    let fresh = device(
        &dir,
        "other phone",
        Venue {
            id: VenueId(market as u64),
            short_name: "Chợ Đồng Xuân".into(),
            commune: Some(CommuneCode(70)),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
        },
        at,
        None,
    );
    let refused = client
        .pull_directory(&fresh, &strangers_ring)
        .await
        .unwrap();
    assert_eq!((refused.kept, refused.refused), (0, 3));
    assert_eq!(
        fresh.lock().unwrap().directory_communes().unwrap(),
        [(CommuneCode(70), 0)],
        "refused entries do not move the cursor"
    );
}
