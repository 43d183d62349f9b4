//! A journal written by every earlier schema version opens and upgrades
//! with its data intact. Fixtures are real files of each version
//! (`tests/fixtures/journal-vN.db`), copied before opening.

use time::macros::datetime;
use vaora_core::{CheckoutKind, Journal, JournalKey, Language, VisitSource};

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
    assert_eq!(journal.schema_version().unwrap(), 2);
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
