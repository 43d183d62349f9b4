//! Declarations in the journal: saved with their outbox item, prefilled
//! from the last one, attached only to the person's own visit, kept
//! through a reopen.

use time::macros::{date, datetime};
use vaora_core::declaration::{DeclarationForm, IdKind, Sex};
use vaora_core::venue::CommuneCode;
use vaora_core::wire::DeclarationRecord;
use vaora_core::{AdminUnits, Error, Journal, JournalKey, ProvinceCode};

fn form(name: &str, birth_year: &str) -> DeclarationForm {
    DeclarationForm {
        full_name: name.into(),
        id_kind: Some(IdKind::None),
        birth_year: birth_year.into(),
        sex: Some(Sex::Female),
        nationality: "Việt Nam".into(),
        province: Some(ProvinceCode(1)),
        commune: Some(CommuneCode(235)),
        street: "12 Tôn Đức Thắng".into(),
        phone: "0912345678".into(),
        consent: true,
        ..DeclarationForm::default()
    }
}

#[test]
fn declarations_are_saved_queued_and_prefill_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let key = JournalKey::generate();
    let mut journal = Journal::open(&path, &key).unwrap();
    let me = journal.me().unwrap().id;
    let child = journal.add_dependent("Bé Na").unwrap().id;
    let units = AdminUnits::embedded();
    let at = datetime!(2026-11-25 8:00 UTC);

    let child_visit = journal
        .add_manual_visit(child, "Trường Tiểu học Kim Đồng", None, at, None, at)
        .unwrap()
        .id;

    let for_child = form("Trần Thị Na", "2019")
        .validate(date!(2026 - 11 - 25), units)
        .unwrap();
    let saved = journal
        .save_declaration(child, Some(child_visit), &for_child, at)
        .unwrap();
    // A declaration cannot be attached to another person's visit.
    let for_me = form("Trần Thị Mai", "1990");
    let mut for_me_filled = for_me.clone();
    for_me_filled.id_kind = Some(IdKind::Cmnd);
    for_me_filled.id_number = "123456789".into();
    let mine = for_me_filled
        .validate(date!(2026 - 11 - 25), units)
        .unwrap();
    assert!(matches!(
        journal.save_declaration(me, Some(child_visit), &mine, at),
        Err(Error::NoSuchVisit)
    ));
    journal.save_declaration(me, None, &mine, at).unwrap();

    // Queued: one outbox item per declaration, its body the wire record.
    let pending = journal.outbox_pending(10).unwrap();
    let declarations: Vec<DeclarationRecord> = pending
        .iter()
        .filter(|i| i.kind == "declaration")
        .map(|i| serde_json::from_str(&i.body).unwrap())
        .collect();
    assert_eq!(declarations.len(), 2);
    assert_eq!(declarations[0].id, saved.id);
    assert_eq!(declarations[0].visit, Some(child_visit.0));
    assert_eq!(declarations[0].declaration, for_child);

    drop(journal);
    let journal = Journal::open(&path, &key).unwrap();
    let last = journal.last_declaration(child).unwrap().unwrap();
    assert_eq!(last.declaration, for_child);
    let prefill = DeclarationForm::from_declaration(&last.declaration);
    assert_eq!(prefill.full_name, "Trần Thị Na");
    assert!(!prefill.consent, "consent is asked again every time");
    assert_eq!(
        journal
            .declaration_for_visit(child_visit)
            .unwrap()
            .map(|d| d.id),
        Some(saved.id)
    );
    assert_eq!(journal.declarations(10).unwrap().len(), 2);
    let grandpa = journal.add_dependent("Ông").unwrap().id;
    assert_eq!(journal.last_declaration(grandpa).unwrap(), None);
    // Someone declaring for the first time starts from the household's
    // address and phone, not from the owner's identity.
    let draft = journal.declaration_draft(grandpa).unwrap();
    assert_eq!(draft.full_name, "");
    assert_eq!(draft.id_kind, None);
    assert_eq!(draft.commune, Some(CommuneCode(235)));
    assert_eq!(draft.phone, "0912345678");
    assert_eq!(
        journal.declaration_draft(child).unwrap().full_name,
        "Trần Thị Na"
    );
}
