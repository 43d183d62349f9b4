//! Gate mode against a real journal file: entries, a second scan within
//! minutes, exit, correction, counters, and the outbox carrying each
//! entry's latest state.

use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use vaora_core::declaration::{Declaration, DeclarationForm, IdKind, Sex, Symptom};
use vaora_core::gate::{GateBinding, GateSubject, SubjectKey};
use vaora_core::personal_pass::{AuthoritySecret, PersonalPass};
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId};
use vaora_core::venue_code::KeyId;
use vaora_core::wire::GateEntryRecord;
use vaora_core::{AdminUnits, Error, GateOutcome, Journal, JournalKey, ProvinceCode};

const T0: OffsetDateTime = datetime!(2026-11-25 1:00 UTC);

fn declaration(name: &str, id: &str, year: &str) -> Declaration {
    DeclarationForm {
        full_name: name.into(),
        id_kind: Some(if id.is_empty() {
            IdKind::None
        } else {
            IdKind::Cccd
        }),
        id_number: id.into(),
        birth_year: year.into(),
        sex: Some(Sex::Male),
        nationality: "Việt Nam".into(),
        province: Some(ProvinceCode(1)),
        commune: Some(CommuneCode(235)),
        street: "12 Tôn Đức Thắng".into(),
        phone: "0912345678".into(),
        consent: true,
        ..DeclarationForm::default()
    }
    .validate(date!(2026 - 11 - 25), AdminUnits::embedded())
    .unwrap()
}

fn gate() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("gate.db"), &JournalKey::generate()).unwrap();
    journal
        .bind_gate(&GateBinding {
            venue: VenueId(42),
            entrance: EntranceNo(2),
            venue_name: "Bệnh viện Bạch Mai".into(),
        })
        .unwrap();
    (dir, journal)
}

fn entered(outcome: GateOutcome) -> vaora_core::GateEntry {
    match outcome {
        GateOutcome::Entered(e) => e,
        other => panic!("expected a new entry, got {other:?}"),
    }
}

#[test]
fn an_unbound_device_cannot_record_gate_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).unwrap();
    let subject = GateSubject::Declared(declaration("Nguyễn Văn An", "001092001234", "1992"));
    assert!(matches!(
        journal.gate_enter(&subject, T0),
        Err(Error::NotAGate)
    ));
}

#[test]
fn entries_are_counted_deduplicated_checked_out_and_corrected() {
    let (_dir, mut journal) = gate();
    let an = GateSubject::Declared(declaration("Nguyễn Văn An", "001092001234", "1992"));
    let mut sick = declaration("Lê Thị Bình", "079095000001", "1995");
    sick.symptoms = vec![Symptom::Fever];
    let binh = GateSubject::Declared(sick);
    let child = GateSubject::Declared(declaration("Trần Văn Cu", "", "2019"));

    let first = entered(journal.gate_enter(&an, T0).unwrap());
    assert_eq!(first.given_name, "An");
    assert_eq!((first.venue, first.entrance), (VenueId(42), EntranceNo(2)));
    // Scanned again while the queue moves: the same entry, nothing saved twice.
    match journal.gate_enter(&an, T0 + Duration::minutes(3)).unwrap() {
        GateOutcome::AlreadyEntered(e) => assert_eq!(e.id, first.id),
        other => panic!("expected the earlier entry, got {other:?}"),
    }
    let b = entered(
        journal
            .gate_enter(&binh, T0 + Duration::minutes(1))
            .unwrap(),
    );
    assert!(b.needs_attention);
    let c = entered(
        journal
            .gate_enter(&child, T0 + Duration::minutes(2))
            .unwrap(),
    );
    assert!(!c.needs_attention);

    let today = datetime!(2026-11-24 17:00 UTC); // midnight in Vietnam
    let counters = journal.gate_counters(today).unwrap();
    assert_eq!(
        (counters.entered, counters.left, counters.inside),
        (3, 0, 3)
    );

    // An exit gate scans An's card again.
    let out = journal
        .gate_exit(
            &SubjectKey::of_id_number("001 092 001 234"),
            T0 + Duration::hours(1),
        )
        .unwrap();
    assert_eq!(out.id, first.id);
    assert!(matches!(
        journal.gate_exit(&an.key(), T0 + Duration::hours(2)),
        Err(Error::NotInside)
    ));
    // A mistaken entry is voided, not counted.
    let voided = journal
        .void_gate_entry(c.id, T0 + Duration::minutes(5))
        .unwrap();
    assert!(voided.voided);
    let counters = journal.gate_counters(today).unwrap();
    assert_eq!(
        (counters.entered, counters.left, counters.inside),
        (2, 1, 1)
    );
    let list = journal.gate_entries_since(today, 50).unwrap();
    let names: Vec<_> = list.iter().map(|e| e.given_name.as_str()).collect();
    assert_eq!(
        names,
        ["Cu", "Bình", "An"],
        "newest first, voided ones shown"
    );

    // Later the same day An comes back: a new entry.
    entered(journal.gate_enter(&an, T0 + Duration::hours(3)).unwrap());

    // The outbox has one item per entry, carrying its latest state.
    let pending = journal.outbox_pending(50).unwrap();
    let records: Vec<GateEntryRecord> = pending
        .iter()
        .filter(|i| i.kind == "gate_entry")
        .map(|i| serde_json::from_str(&i.body).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    let a = records.iter().find(|r| r.id == first.id).unwrap();
    assert!(a.checked_out_at.is_some());
    assert_eq!(a.declaration.as_ref().unwrap().id_number, "001092001234");
    assert!(records.iter().find(|r| r.id == c.id).unwrap().voided);
}

#[test]
fn a_personal_pass_enters_sealed_and_an_entry_left_open_closes_on_return() {
    let (_dir, mut journal) = gate();
    let authority = AuthoritySecret::from_bytes(KeyId(1), [9; 32]);
    let pass = PersonalPass::seal(
        "Mai",
        date!(2026 - 11 - 25),
        &authority.public_key(),
        br#"{"fullName":"Mai"}"#,
    )
    .unwrap();
    let text = pass.to_text();
    let subject = GateSubject::Pass {
        pass: PersonalPass::parse(&text).unwrap().unwrap(),
        text: text.clone(),
    };
    let first = entered(journal.gate_enter(&subject, T0).unwrap());
    assert_eq!(first.given_name, "Mai");
    // Back hours later without an exit scan: the old entry is closed.
    entered(
        journal
            .gate_enter(&subject, T0 + Duration::hours(4))
            .unwrap(),
    );
    let list = journal
        .gate_entries_since(datetime!(2026-11-24 17:00 UTC), 10)
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].checked_out_at, Some(T0 + Duration::hours(4)));
    let body = &journal.outbox_pending(10).unwrap()[0].body;
    let record: GateEntryRecord = serde_json::from_str(body).unwrap();
    assert_eq!(record.pass.as_deref(), Some(text.as_str()));
    assert!(record.declaration.is_none());
}
