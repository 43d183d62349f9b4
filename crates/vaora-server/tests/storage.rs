//! One storage suite, run against both back ends: an SQLite file, and a
//! real PostgreSQL server (`scripts/postgres` starts one for the test run
//! and sets `VAORA_TEST_POSTGRES_URL`; each run gets a fresh database).

use sqlx::AnyPool;
use uuid::Uuid;
use vaora_core::declaration::Declaration;
use vaora_core::venue::VenueKind;
use vaora_core::visit::VisitSource;
use vaora_core::wire::{
    GateEntryRecord, ItemPayload, ItemStatus, RejectReason, SyncItem, VisitRecord,
};
use vaora_server::db::{Backend, Db, DeviceKind, NewVenue, Role, now_ms, vietnam_day};

const DAY_MS: i64 = 24 * 3600 * 1000;

fn visit(id: Uuid, checked_in_at: i64) -> VisitRecord {
    VisitRecord {
        id,
        person: 1,
        venue: Some(1),
        entrance: 1,
        place_name: "Chợ Đông Ba".into(),
        commune: Some(19_753),
        checked_in_at,
        checked_out_at: None,
        source: VisitSource::Scan,
        verified: true,
    }
}

fn item(v: VisitRecord) -> SyncItem {
    SyncItem {
        id: Uuid::now_v7(),
        payload: ItemPayload::Visit(v),
    }
}

fn statuses(results: &[vaora_core::wire::ItemResult]) -> Vec<ItemStatus> {
    results.iter().map(|r| r.status).collect()
}

async fn suite(db: Db) {
    let now = now_ms();

    // Tokens: only the holder of the text is recognised.
    let authority = db.issue_token(Role::Authority, None).await.unwrap();
    assert!(db.has_authority().await.unwrap());
    let owner = db.token_owner(&authority).await.unwrap().unwrap();
    assert_eq!(owner.role, Role::Authority);
    assert!(db.token_owner("not-a-token").await.unwrap().is_none());

    // Devices and venues.
    let phone = db.register_device(DeviceKind::Citizen, None).await.unwrap();
    let other = db.register_device(DeviceKind::Citizen, None).await.unwrap();
    assert_ne!(phone.id, other.id);
    let venue = db
        .create_venue(&NewVenue {
            name: "Chợ Đông Ba — khu B".into(),
            short_name: "Chợ Đông Ba".into(),
            address: "Phường Phú Xuân, Thành phố Huế".into(),
            commune: 19_753,
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            entrances: 3,
        })
        .await
        .unwrap();
    let stored = db.venue(venue.id).await.unwrap().unwrap();
    assert_eq!(stored, venue);
    assert_eq!(stored.venue.kind, VenueKind::Market);
    assert!(db.venue(venue.id + 1000).await.unwrap().is_none());
    // The venue directory: a commune's venues after a cursor, in order.
    assert_eq!(
        db.venues_in_commune(19_753, 0, 10).await.unwrap(),
        std::slice::from_ref(&venue)
    );
    assert!(
        db.venues_in_commune(19_753, venue.id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.venues_in_commune(70, 0, 10).await.unwrap().is_empty());
    let gate = db
        .register_device(DeviceKind::Gate, Some((venue.id, 2)))
        .await
        .unwrap();
    assert_eq!((gate.venue_id, gate.entrance), (Some(venue.id), Some(2)));

    // A batch: accepted, then a resend is all duplicates, nothing doubled.
    let visit_id = Uuid::now_v7();
    let checked_in = now - 3_600_000;
    let batch = vec![
        item(visit(visit_id, checked_in)),
        item(visit(Uuid::now_v7(), now - 2 * DAY_MS)),
    ];
    let first = db.ingest(phone.id, &batch, now).await.unwrap();
    assert_eq!(statuses(&first), [ItemStatus::Accepted; 2]);
    assert_eq!(
        first.iter().map(|r| r.id).collect::<Vec<_>>(),
        batch.iter().map(|i| i.id).collect::<Vec<_>>()
    );
    let again = db.ingest(phone.id, &batch, now).await.unwrap();
    assert_eq!(statuses(&again), [ItemStatus::Duplicate; 2]);
    assert_eq!(db.visit_count().await.unwrap(), 2);

    // The same visit checked out later: a new item, the row updated.
    let mut out = visit(visit_id, checked_in);
    out.checked_out_at = Some(checked_in + 1_800_000);
    let later = db.ingest(phone.id, &[item(out)], now).await.unwrap();
    assert_eq!(statuses(&later), [ItemStatus::Accepted]);
    assert_eq!(db.visit_count().await.unwrap(), 2);

    // The same item twice in one batch: stored once.
    let twice = item(visit(Uuid::now_v7(), now - 60_000));
    let both = db
        .ingest(phone.id, &[twice.clone(), twice], now)
        .await
        .unwrap();
    assert_eq!(
        statuses(&both),
        [ItemStatus::Accepted, ItemStatus::Duplicate]
    );
    assert_eq!(db.visit_count().await.unwrap(), 3);

    // Rejections carry a reason and change nothing.
    let mut bad_name = visit(Uuid::now_v7(), now);
    bad_name.place_name = " ".into();
    let mut bad_time = visit(Uuid::now_v7(), now);
    bad_time.checked_out_at = Some(now - 1);
    let stolen = visit(visit_id, checked_in);
    let rejected = db
        .ingest(phone.id, &[item(bad_name), item(bad_time)], now)
        .await
        .unwrap();
    let reasons: Vec<_> = rejected.iter().map(|r| r.reason).collect();
    assert_eq!(
        reasons,
        [
            Some(RejectReason::PlaceName),
            Some(RejectReason::ImpossibleTime)
        ]
    );
    let theft = db.ingest(other.id, &[item(stolen)], now).await.unwrap();
    assert_eq!(theft[0].reason, Some(RejectReason::NotYours));
    assert_eq!(db.visit_count().await.unwrap(), 3);

    // Tracing: the stays overlapping the last two hours (an open stay lasts
    // the venue's default hour), not the one from two days ago.
    let contacts = db
        .contacts_at(venue.id, now - 2 * 3_600_000, now)
        .await
        .unwrap();
    let starts: Vec<_> = contacts.iter().map(|c| c.checked_in_at).collect();
    assert_eq!(starts, [checked_in, now - 60_000]);
    assert!(
        contacts
            .iter()
            .all(|c| c.source == "visit" && c.declaration.is_none())
    );

    // Activity: scans per venue and day add up to the stored visits.
    let per_day = db
        .scans_per_venue_day(now - 3 * DAY_MS, now + DAY_MS)
        .await
        .unwrap();
    assert_eq!(per_day.iter().map(|d| d.scans).sum::<i64>(), 3);
    assert!(per_day.iter().all(|d| d.venue == venue.id));
    assert_eq!(db.venue_summaries().await.unwrap().len(), 1);

    // Gate entries count as scans while not voided: one kept, one voided
    // when first sent, one voided later. Resending, voiding twice and an
    // older state arriving late change no count.
    let entry = |id: Uuid, checked_in_at: i64, voided: bool| SyncItem {
        id: Uuid::now_v7(),
        payload: ItemPayload::GateEntry(Box::new(GateEntryRecord {
            id,
            venue: venue.id as u64,
            entrance: 2,
            checked_in_at,
            checked_out_at: None,
            voided,
            declaration: Some(declaration()),
            pass: None,
        })),
    };
    let (kept, voided_later) = (Uuid::now_v7(), Uuid::now_v7());
    let entries = [
        entry(kept, now - 600_000, false),
        entry(Uuid::now_v7(), now - 500_000, true),
        entry(voided_later, now - 400_000, false),
    ];
    let entered = db.ingest(gate.id, &entries, now).await.unwrap();
    assert_eq!(statuses(&entered), [ItemStatus::Accepted; 3]);
    let resent = db.ingest(gate.id, &entries, now).await.unwrap();
    assert_eq!(statuses(&resent), [ItemStatus::Duplicate; 3]);
    assert_eq!(scans_in_week(&db, now).await, 3 + 2);
    for late in [true, true, false] {
        let corrected = db
            .ingest(gate.id, &[entry(voided_later, now - 400_000, late)], now)
            .await
            .unwrap();
        assert_eq!(statuses(&corrected), [ItemStatus::Accepted]);
    }
    assert_eq!(scans_in_week(&db, now).await, 3 + 1);
    assert_eq!(db.gate_entry_count().await.unwrap(), 3);

    // Retention: the visit from 30 days ago goes, the others stay.
    let old = db
        .ingest(
            phone.id,
            &[item(visit(Uuid::now_v7(), now - 30 * DAY_MS))],
            now,
        )
        .await
        .unwrap();
    assert_eq!(statuses(&old), [ItemStatus::Accepted]);
    assert_eq!(db.visit_count().await.unwrap(), 4);
    let removed = db.purge_before(now - 21 * DAY_MS).await.unwrap();
    assert_eq!(removed, 1);
    assert_eq!(db.visit_count().await.unwrap(), 3);
    // After a purge, that day can be written again (its partition is made anew).
    let back = db
        .ingest(
            phone.id,
            &[item(visit(Uuid::now_v7(), now - 30 * DAY_MS))],
            now,
        )
        .await
        .unwrap();
    assert_eq!(statuses(&back), [ItemStatus::Accepted]);
    // After all of it, the kept counts equal a recount, day by day.
    assert_eq!(scans_in_week(&db, now - 30 * DAY_MS).await, 1);
    let (from, to) = whole_days(now - 31 * DAY_MS, now);
    assert_eq!(
        db.scans_per_venue_day(from, to).await.unwrap(),
        db.recount_scans_per_venue_day(from, to).await.unwrap()
    );
    // Rebuilt from the records (after a bulk import), they are the same.
    let kept = db.scans_per_venue_day(from, to).await.unwrap();
    db.rebuild_scan_counts().await.unwrap();
    assert_eq!(db.scans_per_venue_day(from, to).await.unwrap(), kept);
}

/// Unix milliseconds of the start of the Vietnamese day of `from_ms` and
/// of the end of the day of `to_ms`.
fn whole_days(from_ms: i64, to_ms: i64) -> (i64, i64) {
    let start = |day: i64| day * DAY_MS - 7 * 3_600_000;
    (start(vietnam_day(from_ms)), start(vietnam_day(to_ms) + 1))
}

/// Scans kept for the week up to the day of `at_ms`, after checking they
/// equal a recount from the stored records, day by day.
async fn scans_in_week(db: &Db, at_ms: i64) -> i64 {
    let (from, to) = whole_days(at_ms - 6 * DAY_MS, at_ms);
    let kept = db.scans_per_venue_day(from, to).await.unwrap();
    assert_eq!(
        kept,
        db.recount_scans_per_venue_day(from, to).await.unwrap()
    );
    kept.iter().map(|d| d.scans).sum()
}

/// A declaration staff confirmed at a gate.
fn declaration() -> Declaration {
    serde_json::from_value(serde_json::json!({
        "fullName": "Nguyễn Văn An", "idKind": "cccd", "idNumber": "001092001234",
        "birthYear": 1992, "sex": "male", "nationality": "Việt Nam",
        "province": 1, "commune": 235, "street": "12 Tôn Đức Thắng",
        "phone": "0912345678", "symptoms": [], "exposures": [], "conditions": []
    }))
    .unwrap()
}

#[tokio::test]
async fn sqlite_storage() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.backend, Backend::Sqlite);
    suite(db).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test starts one and sets VAORA_TEST_POSTGRES_URL"]
async fn postgres_storage() {
    let admin_url = std::env::var("VAORA_TEST_POSTGRES_URL")
        .expect("VAORA_TEST_POSTGRES_URL (eval \"$(bash scripts/postgres start)\")");
    sqlx::any::install_default_drivers();
    let admin = AnyPool::connect(&admin_url).await.unwrap();
    let name = format!("vaora_test_{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("database URL without a database name"),
    };
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.backend, Backend::Postgres);
    suite(db).await;
}
