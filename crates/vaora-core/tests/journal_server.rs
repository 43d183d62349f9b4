//! Switching the server a journal syncs with, on a real journal file: what
//! belonged to the old server is forgotten, the user's alerts stay, and a
//! gate refuses to move.

use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use vaora_core::gate::GateBinding;
use vaora_core::risk::RiskyEntry;
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::venue_directory::DirectoryEntry;
use vaora_core::{CheckIn, Error, Journal, JournalKey, Place, Verification, VisitSource};

const T0: OffsetDateTime = datetime!(2026-11-25 1:00 UTC);

fn market(id: u64) -> Venue {
    Venue {
        id: VenueId(id),
        short_name: "Chợ Hôm".into(),
        commune: Some(CommuneCode(70)),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
    }
}

fn case_at(id: u64, venue: u64) -> RiskyEntry {
    RiskyEntry {
        id,
        venue: VenueId(venue),
        entrance: None,
        from: T0,
        to: T0 + Duration::hours(1),
        advice_vi: "Theo dõi sức khỏe 14 ngày.".into(),
        advice_en: "Monitor your health for 14 days.".into(),
    }
}

#[test]
fn another_server_starts_afresh_and_the_users_alerts_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap();
    let me = journal.me().unwrap().id;
    journal
        .check_in(CheckIn {
            people: vec![me],
            place: Place::Venue {
                venue: market(7),
                entrance: EntranceNo(1),
            },
            source: VisitSource::Scan,
            verification: Verification::Verified,
            at: T0 + Duration::minutes(10),
        })
        .unwrap();
    journal.set_device_token("token at the old server").unwrap();
    journal
        .store_risky(&[case_at(1, 7), case_at(2, 8)], Some(2))
        .unwrap();
    assert_eq!(
        journal
            .raise_alerts(T0 + Duration::hours(2), Duration::hours(1))
            .unwrap()
            .len(),
        1
    );
    let listed = DirectoryEntry {
        venue: VenueId(7),
        name: "Chợ Hôm — cổng chính".into(),
        address: "Phố Huế, Phường Hai Bà Trưng".into(),
        commune: CommuneCode(70),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
        entrances: 2,
        registered_on: date!(2026 - 01 - 01),
    };
    journal
        .store_directory(CommuneCode(70), &[listed], Some(7))
        .unwrap();

    assert_eq!(journal.sync_server().unwrap(), None);
    assert!(
        journal
            .switch_sync_server(Some("https://soyte.example.vn"))
            .unwrap()
    );
    assert_eq!(
        journal.sync_server().unwrap().as_deref(),
        Some("https://soyte.example.vn")
    );
    assert_eq!(
        journal.device_token().unwrap(),
        None,
        "registers anew there"
    );
    assert_eq!(journal.risky_cursor().unwrap(), 0);
    assert_eq!(journal.venue_details(VenueId(7)).unwrap(), None);
    assert_eq!(
        journal.directory_communes().unwrap(),
        [(CommuneCode(70), 0)]
    );
    let alerts = journal.alerts(10).unwrap();
    assert_eq!(alerts.len(), 1, "the user's alert stays");
    assert!(alerts[0].advice_vi.contains("14 ngày"));
    assert!(
        !journal
            .switch_sync_server(Some("https://soyte.example.vn"))
            .unwrap(),
        "no change"
    );
    assert!(
        journal.switch_sync_server(None).unwrap(),
        "back to the built-in server"
    );
    assert_eq!(journal.sync_server().unwrap(), None);
}

#[test]
fn a_gate_stays_with_the_server_it_was_bound_at() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("g.db"), &JournalKey::generate()).unwrap();
    journal
        .bind_gate(&GateBinding {
            venue: VenueId(42),
            entrance: EntranceNo(2),
            venue_name: "Bệnh viện Bạch Mai".into(),
        })
        .unwrap();
    journal.set_device_token("gate token").unwrap();
    let refused = journal.switch_sync_server(Some("https://soyte.example.vn"));
    assert!(matches!(refused, Err(Error::GateKeepsItsServer)));
    assert_eq!(journal.sync_server().unwrap(), None);
    assert_eq!(
        journal.device_token().unwrap().as_deref(),
        Some("gate token")
    );
}
