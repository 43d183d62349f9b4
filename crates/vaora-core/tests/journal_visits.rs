//! The visit lifecycle against real SQLite files.

use time::macros::datetime;
use time::{Duration, OffsetDateTime, UtcOffset};
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{
    CheckIn, CheckInOutcome, CheckoutKind, Error, ExportFormat, Journal, JournalKey, PersonId,
    Place, Verification, Visit, VisitCursor, VisitId, VisitSource, export_visits,
};

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    key: JournalKey,
    journal: Journal,
}

fn journal() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let key = JournalKey::generate();
    let journal = Journal::open(&path, &key).unwrap();
    Fixture {
        _dir: dir,
        path,
        key,
        journal,
    }
}

fn market(id: u64) -> Venue {
    Venue {
        id: VenueId(id),
        short_name: "Chợ Bến Thành".into(),
        commune: Some(CommuneCode(26_734)),
        kind: VenueKind::Market,
        default_stay_minutes: 60,
    }
}

/// A scan of `venue`'s entrance 1 checking in `people`.
fn scan_of(
    people: Vec<PersonId>,
    venue: Venue,
    verification: Verification,
    at: OffsetDateTime,
) -> CheckIn {
    CheckIn {
        people,
        place: Place::Venue {
            venue,
            entrance: EntranceNo(1),
        },
        source: VisitSource::Scan,
        verification,
        at,
    }
}

fn scan_at(j: &mut Journal, venue: Venue, at: OffsetDateTime) -> CheckInOutcome {
    let me = j.me().unwrap().id;
    j.check_in(scan_of(vec![me], venue, Verification::Verified, at))
        .unwrap()
}

/// The visit a scan of `venue` at `at` creates for the owner.
fn visit_at(j: &mut Journal, venue: Venue, at: OffsetDateTime) -> Visit {
    checked_in(scan_at(j, venue, at)).remove(0)
}

fn checked_in(outcome: CheckInOutcome) -> Vec<Visit> {
    match outcome {
        CheckInOutcome::CheckedIn(v) => v,
        other => panic!("expected new visits, got {other:?}"),
    }
}

#[test]
fn a_check_in_is_durable_and_queued_for_sync() {
    let mut f = journal();
    let visit = visit_at(&mut f.journal, market(1), datetime!(2026-11-25 8:00 UTC));
    assert_eq!(
        visit.planned_checkout_at,
        Some(datetime!(2026-11-25 9:00 UTC))
    );
    drop(f.journal);
    let j = Journal::open(&f.path, &f.key).unwrap();
    assert_eq!(j.visit(visit.id).unwrap(), visit);
    let pending = j.outbox_pending(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].kind, "visit");
    assert_eq!(pending[0].subject, visit.id.0);
    // The record carries no names of people.
    assert!(!pending[0].body.contains("display_name"));
}

#[test]
fn rescanning_same_venue_within_window_keeps_one_visit() {
    let mut f = journal();
    let first = checked_in(scan_at(
        &mut f.journal,
        market(1),
        datetime!(2026-11-25 8:00 UTC),
    ));
    let again = scan_at(&mut f.journal, market(1), datetime!(2026-11-25 8:09 UTC));
    assert_eq!(again, CheckInOutcome::AlreadyCheckedIn(first.clone()));
    // After the window it is a new visit, and the first one is closed.
    let later = checked_in(scan_at(
        &mut f.journal,
        market(1),
        datetime!(2026-11-25 8:20 UTC),
    ));
    assert_ne!(later[0].id, first[0].id);
    let first_now = f.journal.visit(first[0].id).unwrap();
    assert_eq!(
        first_now.checked_out_at,
        Some(datetime!(2026-11-25 8:20 UTC))
    );
    assert_eq!(first_now.checkout, Some(CheckoutKind::NextCheckIn));
}

#[test]
fn checking_in_elsewhere_closes_the_open_visit() {
    let mut f = journal();
    let first = checked_in(scan_at(
        &mut f.journal,
        market(1),
        datetime!(2026-11-25 8:00 UTC),
    ));
    checked_in(scan_at(
        &mut f.journal,
        market(2),
        datetime!(2026-11-25 8:30 UTC),
    ));
    let first = f.journal.visit(first[0].id).unwrap();
    assert_eq!(first.checked_out_at, Some(datetime!(2026-11-25 8:30 UTC)));
    assert_eq!(first.checkout, Some(CheckoutKind::NextCheckIn));
    // One waiting item per visit, whatever happened to it before sync.
    assert_eq!(f.journal.outbox_pending(10).unwrap().len(), 2);
}

#[test]
fn a_visit_nobody_checks_out_closes_at_the_default_stay() {
    let mut f = journal();
    let v = checked_in(scan_at(
        &mut f.journal,
        market(1),
        datetime!(2026-11-25 8:00 UTC),
    ));
    assert_eq!(
        f.journal
            .close_overdue(datetime!(2026-11-25 8:59 UTC))
            .unwrap(),
        0
    );
    assert_eq!(
        f.journal
            .close_overdue(datetime!(2026-11-25 12:00 UTC))
            .unwrap(),
        1
    );
    let v = f.journal.visit(v[0].id).unwrap();
    assert_eq!(v.checked_out_at, Some(datetime!(2026-11-25 9:00 UTC)));
    assert_eq!(v.checkout, Some(CheckoutKind::StayOver));
}

#[test]
fn a_check_out_reminder_comes_once_ten_minutes_before_the_automatic_check_out() {
    let mut f = journal();
    let at = datetime!(2026-11-25 8:00 UTC);
    let v = visit_at(&mut f.journal, market(1), at);
    // The market's default stay is 60 minutes: the reminder is due at 08:50.
    assert_eq!(v.reminder_at(), Some(datetime!(2026-11-25 8:50 UTC)));
    let due = |f: &Fixture, at| -> Vec<VisitId> {
        f.journal
            .reminders_due(at)
            .unwrap()
            .iter()
            .map(|v| v.id)
            .collect()
    };
    assert!(due(&f, datetime!(2026-11-25 8:49 UTC)).is_empty());
    assert_eq!(due(&f, datetime!(2026-11-25 8:50 UTC)), [v.id]);
    f.journal.mark_reminded(&[v.id]).unwrap();
    assert!(
        due(&f, datetime!(2026-11-25 8:55 UTC)).is_empty(),
        "raised once"
    );

    // Remembered across a restart.
    let reopened = Journal::open(&f.path, &f.key).unwrap();
    assert!(
        reopened
            .reminders_due(datetime!(2026-11-25 8:55 UTC))
            .unwrap()
            .is_empty()
    );

    // A visit already checked out, or past its automatic check-out, needs none.
    let w = visit_at(&mut f.journal, market(2), datetime!(2026-11-25 10:00 UTC));
    f.journal
        .check_out(w.id, datetime!(2026-11-25 10:05 UTC))
        .unwrap();
    assert!(due(&f, datetime!(2026-11-25 10:55 UTC)).is_empty());
    let x = visit_at(&mut f.journal, market(3), datetime!(2026-11-25 12:00 UTC));
    assert_eq!(due(&f, datetime!(2026-11-25 12:59 UTC)), [x.id]);
    assert!(due(&f, datetime!(2026-11-25 13:00 UTC)).is_empty());
}

#[test]
fn a_short_stay_is_reminded_half_way() {
    let mut f = journal();
    let quick = Venue {
        default_stay_minutes: 12,
        ..market(9)
    };
    let v = visit_at(&mut f.journal, quick, datetime!(2026-11-25 8:00 UTC));
    assert_eq!(v.reminder_at(), Some(datetime!(2026-11-25 8:06 UTC)));
}

#[test]
fn a_family_checks_in_together_from_one_scan() {
    let mut f = journal();
    let me = f.journal.me().unwrap().id;
    let kid = f.journal.add_dependent("Bé Na").unwrap().id;
    let grandma = f.journal.add_dependent("Bà nội").unwrap().id;
    let visits = checked_in(
        f.journal
            .check_in(scan_of(
                vec![me, kid, grandma],
                market(1),
                Verification::Verified,
                datetime!(2026-11-25 8:00 UTC),
            ))
            .unwrap(),
    );
    assert_eq!(visits.len(), 3);
    assert!(visits[0].group.is_some());
    assert!(visits.iter().all(|v| v.group == visits[0].group));
    assert_eq!(f.journal.people().unwrap().len(), 3);
    assert_eq!(f.journal.outbox_pending(10).unwrap().len(), 3);
    // A person who does not exist is refused, and nothing is written.
    let err = f
        .journal
        .check_in(scan_of(
            vec![me, PersonId(999)],
            market(3),
            Verification::Verified,
            datetime!(2026-11-25 10:00 UTC),
        ))
        .unwrap_err();
    assert!(matches!(err, Error::NoSuchPerson));
    assert_eq!(f.journal.visits_page(None, 10).unwrap().len(), 3);
}

#[test]
fn check_out_is_idempotent_and_refuses_impossible_times() {
    let mut f = journal();
    let v = visit_at(&mut f.journal, market(1), datetime!(2026-11-25 8:00 UTC));
    let err = f
        .journal
        .check_out(v.id, datetime!(2026-11-25 7:00 UTC))
        .unwrap_err();
    assert!(matches!(err, Error::ImpossibleTime));
    let out = f
        .journal
        .check_out(v.id, datetime!(2026-11-25 8:40 UTC))
        .unwrap();
    assert_eq!(out.checkout, Some(CheckoutKind::Manual));
    // The reminder's action firing a second time changes nothing.
    let again = f
        .journal
        .check_out(v.id, datetime!(2026-11-25 8:50 UTC))
        .unwrap();
    assert_eq!(again, out);
    // The check-out rides on the still-unsent check-in item.
    let pending = f.journal.outbox_pending(10).unwrap();
    assert_eq!(pending.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&pending[0].body).unwrap();
    assert_eq!(body["checked_out_at"], 1_795_596_000_000i64);
    // Once sent, a later change is a new item.
    f.journal.mark_sent(&[pending[0].id]).unwrap();
    assert!(f.journal.outbox_pending(10).unwrap().is_empty());
}

#[test]
fn manual_entries_need_a_name_and_a_possible_time() {
    let mut f = journal();
    let me = f.journal.me().unwrap().id;
    let now = datetime!(2026-11-25 12:00 UTC);
    let v = f
        .journal
        .add_manual_visit(
            me,
            "  Nhà văn hoá thôn 3  ",
            Some(CommuneCode(8_833)),
            datetime!(2026-11-25 9:00 UTC),
            Some(datetime!(2026-11-25 10:00 UTC)),
            now,
        )
        .unwrap();
    assert_eq!(v.place_name, "Nhà văn hoá thôn 3");
    assert_eq!((v.venue, v.source), (None, VisitSource::Manual));
    assert_eq!(v.checked_out_at, Some(datetime!(2026-11-25 10:00 UTC)));
    for (name, at) in [("", now), ("Chợ", now + Duration::hours(2))] {
        assert!(
            f.journal
                .add_manual_visit(me, name, None, at, None, now)
                .is_err()
        );
    }
    let long = "x".repeat(201);
    assert!(matches!(
        f.journal.add_manual_visit(me, &long, None, now, None, now),
        Err(Error::PlaceName)
    ));
}

#[test]
fn unverified_visits_are_kept_and_marked() {
    let mut f = journal();
    let me = f.journal.me().unwrap().id;
    let v = checked_in(
        f.journal
            .check_in(scan_of(
                vec![me],
                market(9),
                Verification::Unverified("scan.venue.unknownKey"),
                datetime!(2026-11-25 8:00 UTC),
            ))
            .unwrap(),
    )
    .remove(0);
    let stored = f.journal.visit(v.id).unwrap();
    assert!(!stored.verified);
    assert_eq!(
        stored.unverified_reason.as_deref(),
        Some("scan.venue.unknownKey")
    );
}

#[test]
fn deleting_a_visit_takes_its_unsent_items_with_it() {
    let mut f = journal();
    let v = visit_at(&mut f.journal, market(1), datetime!(2026-11-25 8:00 UTC));
    f.journal
        .delete_visit(v.id, datetime!(2026-11-25 8:05 UTC))
        .unwrap();
    assert!(matches!(f.journal.visit(v.id), Err(Error::NoSuchVisit)));
    assert!(f.journal.outbox_pending(10).unwrap().is_empty());
    assert!(matches!(
        f.journal.delete_visit(v.id, datetime!(2026-11-25 8:06 UTC)),
        Err(Error::NoSuchVisit)
    ));
}

#[test]
fn retention_deletes_old_visits_and_keeps_what_was_never_sent() {
    let mut f = journal();
    let old_sent = visit_at(&mut f.journal, market(1), datetime!(2026-10-01 8:00 UTC));
    // This check-in also closes the first visit (a change to send).
    let old_unsent = visit_at(&mut f.journal, market(2), datetime!(2026-10-01 8:30 UTC));
    let sent: Vec<_> = f
        .journal
        .outbox_pending(10)
        .unwrap()
        .iter()
        .filter(|i| i.subject == old_sent.id.0)
        .map(|i| i.id)
        .collect();
    f.journal.mark_sent(&sent).unwrap();
    let recent = visit_at(&mut f.journal, market(3), datetime!(2026-11-20 8:00 UTC));
    let report = f
        .journal
        .purge_expired(datetime!(2026-11-25 8:00 UTC))
        .unwrap();
    assert_eq!((report.visits_deleted, report.unsent_kept), (1, 1));
    assert!(f.journal.visit(old_sent.id).is_err());
    assert!(f.journal.visit(old_unsent.id).is_ok(), "never sent: kept");
    assert!(f.journal.visit(recent.id).is_ok());
}

#[test]
fn retention_forgets_the_directory_of_a_commune_no_longer_visited() {
    use vaora_core::venue_directory::DirectoryEntry;

    let mut f = journal();
    let elsewhere = Venue {
        commune: Some(CommuneCode(4)),
        ..market(9)
    };
    let old = visit_at(&mut f.journal, elsewhere, datetime!(2026-10-01 8:00 UTC));
    visit_at(&mut f.journal, market(3), datetime!(2026-11-20 8:00 UTC));
    let sent: Vec<_> = f
        .journal
        .outbox_pending(10)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    f.journal.mark_sent(&sent).unwrap();
    for (commune, venue) in [(4, 9), (26_734, 3)] {
        let entry = DirectoryEntry {
            venue: VenueId(venue),
            name: format!("Venue {venue}"),
            address: "Somewhere".into(),
            commune: CommuneCode(commune),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            entrances: 1,
            registered_on: time::macros::date!(2026 - 01 - 01),
        };
        f.journal
            .store_directory(CommuneCode(commune), &[entry], Some(venue))
            .unwrap();
    }
    f.journal
        .purge_expired(datetime!(2026-11-25 8:00 UTC))
        .unwrap();
    assert!(f.journal.visit(old.id).is_err());
    assert_eq!(f.journal.venue_details(VenueId(9)).unwrap(), None);
    assert!(f.journal.venue_details(VenueId(3)).unwrap().is_some());
    assert_eq!(
        f.journal.directory_communes().unwrap(),
        [(CommuneCode(26_734), 3)]
    );
}

#[test]
fn the_journal_pages_newest_first_without_gaps_or_repeats() {
    let mut f = journal();
    let start = datetime!(2026-11-20 0:00 UTC);
    for i in 0..25 {
        scan_at(
            &mut f.journal,
            market(i % 3 + 1),
            start + Duration::minutes(30 * i as i64),
        );
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = f.journal.visits_page(cursor, 10).unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(VisitCursor {
            checked_in_ms: (last.checked_in_at.unix_timestamp_nanos() / 1_000_000) as i64,
            id: last.id.0,
        });
        seen.extend(page);
    }
    assert_eq!(seen.len(), 25);
    assert!(
        seen.windows(2)
            .all(|w| w[0].checked_in_at > w[1].checked_in_at)
    );
}

#[test]
fn csv_export_neutralises_formulas_in_untrusted_names() {
    let mut f = journal();
    let me = f.journal.me().unwrap().id;
    let now = datetime!(2026-11-25 12:00 UTC);
    f.journal
        .add_manual_visit(me, "=HYPERLINK(\"http://evil\")", None, now, None, now)
        .unwrap();
    let visits = f.journal.visits_page(None, 10).unwrap();
    let people = f.journal.people().unwrap();
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap();
    let csv = export_visits(&visits, &people, offset, ExportFormat::Csv);
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("2026-11-25T19:00:00+07:00"), "{csv}");
    let json = export_visits(&visits, &people, offset, ExportFormat::Json);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[0]["place"], "=HYPERLINK(\"http://evil\")");
}

#[test]
fn a_check_out_while_the_visit_is_in_flight_is_sent_after_it() {
    use vaora_core::wire::{ItemResult, ItemStatus, RejectReason};
    let mut f = journal();
    let at = datetime!(2026-11-25 8:00 UTC);
    let v = visit_at(&mut f.journal, market(1), at);
    let w = visit_at(&mut f.journal, market(2), at + Duration::minutes(1));
    let in_flight = f.journal.outbox_pending(10).unwrap();
    assert_eq!(in_flight.len(), 2);
    // While the batch is on the wire, the person checks out of `w`.
    f.journal
        .check_out(w.id, at + Duration::minutes(20))
        .unwrap();
    let results = vec![
        ItemResult {
            id: in_flight[0].id,
            status: ItemStatus::Rejected,
            reason: Some(RejectReason::ImpossibleTime),
        },
        ItemResult {
            id: in_flight[1].id,
            status: ItemStatus::Accepted,
            reason: None,
        },
    ];
    f.journal
        .apply_sync_results(&in_flight, &results, at + Duration::minutes(21))
        .unwrap();
    // `v` was refused: kept, with the reason, not pending.
    let rejected = f.journal.outbox_rejected(10).unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].subject, v.id.0);
    assert_eq!(
        rejected[0].last_error.as_deref(),
        Some("sync.rejected.impossibleTime")
    );
    // `w` was accepted in its old state: its check-out is queued anew.
    let pending = f.journal.outbox_pending(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].subject, w.id.0);
    assert_ne!(pending[0].id, in_flight[1].id, "a new item id");
    assert!(
        pending[0].body.contains("checked_out_at\":17"),
        "{}",
        pending[0].body
    );
}
