//! A journal written by every earlier schema version opens and upgrades
//! with its data intact. Fixtures are real files of each version
//! (`tests/fixtures/journal-vN.db`), copied before opening.

use time::macros::datetime;
use vaora_core::{CheckoutKind, Journal, JournalKey, Language, VisitSource};

/// The schema version this build writes.
const LATEST: i64 = 6;

fn open_copy(fixture: &str) -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    std::fs::copy(
        format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR")),
        &path,
    )
    .unwrap();
    // Fixtures are plaintext, as v1 journals were: opening encrypts them.
    let key = JournalKey::generate();
    let journal = Journal::open(&path, &key).unwrap();
    let header = std::fs::read(&path).unwrap();
    assert!(
        !header.starts_with(b"SQLite format 3"),
        "upgraded file is encrypted"
    );
    drop(journal);
    let journal = Journal::open(&path, &key).unwrap();
    (dir, journal)
}

#[test]
fn a_v1_journal_upgrades_with_its_visits_and_settings() {
    let (_dir, journal) = open_copy("journal-v1.db");
    assert_eq!(journal.schema_version().unwrap(), LATEST);
    assert_eq!(journal.language().unwrap(), Language::En);
    let visits = journal.visits_page(None, 10).unwrap();
    assert_eq!(visits.len(), 2);
    let open = &visits[0];
    assert_eq!(open.place_name, "Tạp hoá Cô Ba");
    assert_eq!(open.entrance.0, 1);
    assert_eq!(open.checked_in_at, datetime!(2026-11-25 8:00 UTC));
    // The venue's default stay (60 min) becomes the planned check-out.
    assert_eq!(
        open.planned_checkout_at,
        Some(datetime!(2026-11-25 9:00 UTC))
    );
    assert!(open.is_open() && open.verified);
    let closed = &visits[1];
    assert_eq!(closed.checkout, Some(CheckoutKind::Manual));
    assert!(!closed.verified);
    assert_eq!(closed.source, VisitSource::Scan);
}

#[test]
fn a_v2_journal_upgrades_with_its_group_visit_outbox_and_a_reminder_still_due() {
    let (_dir, mut journal) = open_copy("journal-v2.db");
    assert_eq!(journal.schema_version().unwrap(), LATEST);
    assert_eq!(journal.language().unwrap(), Language::Vi);
    let visits = journal.visits_page(None, 10).unwrap();
    assert_eq!(visits.len(), 2);
    assert!(visits.iter().all(|v| v.place_name == "Nhà thuốc Long Châu"));
    assert_eq!(visits[0].group, visits[1].group);
    assert!(visits[0].group.is_some());
    assert_eq!(journal.outbox_pending(10).unwrap().len(), 2);
    // v3 adds reminders: the open visits (30-minute stay from 08:00) are
    // due at 08:20, once.
    let due = journal
        .reminders_due(datetime!(2026-11-25 8:20 UTC))
        .unwrap();
    assert_eq!(due.len(), 2);
    let ids: Vec<_> = due.iter().map(|v| v.id).collect();
    journal.mark_reminded(&ids).unwrap();
    assert!(
        journal
            .reminders_due(datetime!(2026-11-25 8:21 UTC))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_v3_journal_upgrades_with_its_declaration_and_reminder_state() {
    let (_dir, journal) = open_copy("journal-v3.db");
    assert_eq!(journal.schema_version().unwrap(), LATEST);
    let me = journal.me().unwrap().id;
    let last = journal
        .last_declaration(me)
        .unwrap()
        .expect("the v3 declaration");
    assert_eq!(last.declaration.full_name, "Lê Văn Tám");
    assert_eq!(last.declaration.commune.0, 26_740);
    // The reminder raised before the upgrade is not raised again.
    let due = journal
        .reminders_due(datetime!(2026-11-25 8:20 UTC))
        .unwrap();
    assert_eq!(due.len(), 1, "only the visit not reminded yet");
    let kinds: Vec<_> = journal
        .outbox_pending(10)
        .unwrap()
        .into_iter()
        .map(|i| i.kind)
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "declaration").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "visit").count(), 2);
    // A v3 journal is not a gate until bound.
    assert_eq!(journal.gate_binding().unwrap(), None);
}

#[test]
fn a_v4_gate_journal_upgrades_with_its_binding_and_entries() {
    let (_dir, journal) = open_copy("journal-v4.db");
    assert_eq!(journal.schema_version().unwrap(), LATEST);
    let binding = journal.gate_binding().unwrap().expect("the v4 binding");
    assert_eq!(binding.venue_name, "Chợ Bến Thành");
    let entries = journal
        .gate_entries_since(datetime!(2026-11-25 0:00 UTC), 10)
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].given_name, "Tám");
    // v5 starts with no risky entries and no alerts.
    assert_eq!(journal.risky_cursor().unwrap(), 0);
    assert!(journal.alerts(10).unwrap().is_empty());
}

#[test]
fn a_v5_journal_upgrades_with_its_alert_and_asks_for_its_communes_directory() {
    use vaora_core::CommuneCode;
    use vaora_core::venue_directory::DirectoryEntry;

    let (_dir, mut journal) = open_copy("journal-v5.db");
    assert_eq!(journal.schema_version().unwrap(), LATEST);
    assert_eq!(journal.risky_cursor().unwrap(), 7);
    let alerts = journal.alerts(10).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].overlap_minutes, 60);
    // v6 starts with an empty directory for the commune visited.
    assert_eq!(
        journal.directory_communes().unwrap(),
        [(CommuneCode(26734), 0)]
    );
    let venue = vaora_core::VenueId(501);
    assert_eq!(journal.venue_details(venue).unwrap(), None);
    let entry = DirectoryEntry {
        venue,
        name: "Nhà thuốc Long Châu — chi nhánh Bến Thành".into(),
        address: "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh".into(),
        commune: CommuneCode(26734),
        kind: vaora_core::VenueKind::Shop,
        default_stay_minutes: 30,
        entrances: 1,
        registered_on: time::macros::date!(2026 - 11 - 20),
    };
    journal
        .store_directory(CommuneCode(26734), &[entry], Some(501))
        .unwrap();
    assert_eq!(
        journal.directory_communes().unwrap(),
        [(CommuneCode(26734), 501)]
    );
    let details = journal.venue_details(venue).unwrap().expect("stored");
    assert_eq!(details.name, "Nhà thuốc Long Châu — chi nhánh Bến Thành");
    // An older cursor never moves it back.
    journal
        .store_directory(CommuneCode(26734), &[], Some(12))
        .unwrap();
    assert_eq!(journal.directory_communes().unwrap()[0].1, 501);
}
