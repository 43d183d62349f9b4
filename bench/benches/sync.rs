//! Draining the outbox to the server over plain loopback, the real server
//! code (SQLite) in this process. Target: 10,000 queued records in <= 5 s.
//! Also reports the bytes per record on the wire, and the scan-to-row time
//! (a check-in committed) with and without a sync running beside it.
//!
//! Then a 2G profile: 1,000 records of a realistic journal (places in
//! every province, mostly scanned, some typed) drained through the sync
//! tests' link (noxious: latency and bandwidth each way), whose tap counts
//! every byte both ways. Target: <= 300 bytes a record on the wire.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_core::sync::SyncClient;
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::wire::{ItemPayload, SyncBatch, SyncItem, VisitRecord};
use vaora_core::{AdminUnits, CheckIn, Journal, JournalKey, Place, Verification, VisitSource};
use vaora_server::ServerConfig;

// Only the link's toxics and byte counts are used here.
#[allow(dead_code)]
#[path = "../../crates/vaora-server/tests/support/link.rs"]
mod link;

const RECORDS: usize = 10_000;
const RECORDS_2G: usize = 1_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let server_dir = tempfile::tempdir().expect("temp dir");
    let server = vaora_server::serve::start(&ServerConfig::on_loopback(server_dir.path()))
        .await
        .expect("server");
    let (addr, db) = (server.addr.to_string(), server.db.clone());
    let url = format!("http://{addr}");
    tokio::spawn(server.serve(std::future::pending()));

    let dir = tempfile::tempdir().expect("temp dir");
    let mut journal =
        Journal::open(&dir.path().join("j.db"), &JournalKey::generate()).expect("journal");
    let me = journal.me().expect("owner").id;
    let now = OffsetDateTime::now_utc();
    for n in 0..RECORDS {
        let at = now - time::Duration::minutes(2 * (RECORDS - n) as i64);
        journal
            .add_manual_visit(
                me,
                &format!("Điểm kiểm dịch số {n}"),
                None,
                at,
                Some(at + time::Duration::minutes(1)),
                now,
            )
            .expect("visit");
    }
    let (bytes, gzipped) = batch_bytes(&journal);
    let journal = Arc::new(Mutex::new(journal));
    let client = SyncClient::new(&url).expect("client");
    let started = Instant::now();
    let report = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .expect("drain");
    let elapsed = started.elapsed();
    assert_eq!(report.sent, RECORDS);
    assert_eq!(db.visit_count().await.expect("count"), RECORDS as i64);
    let target = Duration::from_secs(5);
    println!(
        "sync drain: {RECORDS} records over loopback in {:.2} s ({:.0} records/s) ({} target <= {} s)",
        elapsed.as_secs_f64(),
        RECORDS as f64 / elapsed.as_secs_f64(),
        if elapsed <= target { "meets" } else { "MISSES" },
        target.as_secs()
    );
    scan_while_syncing(journal, &client).await;
    println!(
        "sync batch: {gzipped} bytes per record on the wire (gzip; {bytes} as plain JSON), 200-record batch"
    );
    two_g(&addr).await;
}

/// Bytes per record of the first 200 visits as one batch's JSON, plain
/// and gzipped (the request body only).
fn batch_bytes(journal: &Journal) -> (usize, usize) {
    let sample: Vec<VisitRecord> = journal
        .visits_page(None, 200)
        .expect("page")
        .iter()
        .map(VisitRecord::from)
        .collect();
    let n = sample.len().max(1);
    let batch = SyncBatch {
        items: sample
            .into_iter()
            .map(|v| SyncItem {
                id: uuid::Uuid::now_v7(),
                payload: ItemPayload::Visit(v),
            })
            .collect(),
    };
    let bytes = serde_json::to_vec(&batch).expect("json").len();
    let gzipped = vaora_core::sync::gzip_json(&batch).expect("gzip").len();
    (bytes / n, gzipped / n)
}

/// 1,000 records over a 2G link to the server at `addr`: ~30 kbit/s and
/// 300 ms each way. noxious counts bandwidth in whole kilobytes a second,
/// so 4 KB/s: 32 kbit/s. Latency goes before bandwidth (see link.rs).
async fn two_g(addr: &str) {
    use link::{Direction, ToxicKind};
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = realistic_journal(&dir.path().join("j.db"), RECORDS_2G);
    let (json, gzipped) = batch_bytes(&journal);
    let journal = Mutex::new(journal);
    let link = link::Link::start(addr, 1).await;
    for direction in [Direction::Upstream, Direction::Downstream] {
        let latency = ToxicKind::Latency {
            latency: 300,
            jitter: 0,
        };
        link.add(direction, latency);
        link.add(direction, ToxicKind::Bandwidth { rate: 4 });
    }
    let client = SyncClient::new(&link.base).expect("client");
    let started = Instant::now();
    let report = client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .expect("drain over 2G");
    let elapsed = started.elapsed();
    assert_eq!(report.sent, RECORDS_2G);
    let (up, down) = link.bytes();
    let per_record = (up + down) as usize / RECORDS_2G;
    println!(
        "sync over 2G (32 kbit/s, 300 ms each way): {RECORDS_2G} records drained in {:.1} s; \
         {per_record} bytes per record on the wire, both ways ({} up, {} down, registration \
         and HTTP headers included) ({} target <= 300); request body {gzipped} gzipped, \
         {json} as plain JSON",
        elapsed.as_secs_f64(),
        up as usize / RECORDS_2G,
        down as usize / RECORDS_2G,
        if per_record <= 300 { "meets" } else { "MISSES" },
    );
}

/// Kinds of places people check in at, as their names start.
const PLACES: [(&str, VenueKind); 24] = [
    ("Chợ", VenueKind::Market),
    ("Siêu thị Co.opmart", VenueKind::Shop),
    ("Siêu thị WinMart", VenueKind::Shop),
    ("Bách Hóa Xanh", VenueKind::Shop),
    ("Nhà thuốc Long Châu", VenueKind::Shop),
    ("Nhà thuốc An Khang", VenueKind::Shop),
    ("Cửa hàng Thế Giới Di Động", VenueKind::Shop),
    ("Quán cà phê", VenueKind::Other),
    ("Highlands Coffee", VenueKind::Other),
    ("Quán phở", VenueKind::Other),
    ("Nhà hàng", VenueKind::Other),
    ("Trường Tiểu học", VenueKind::School),
    ("Trường THCS", VenueKind::School),
    ("Trường THPT", VenueKind::School),
    ("Trạm Y tế", VenueKind::Hospital),
    ("Bệnh viện Đa khoa", VenueKind::Hospital),
    ("UBND", VenueKind::Office),
    ("Bưu điện", VenueKind::Office),
    ("Ngân hàng Agribank", VenueKind::Office),
    ("Ngân hàng Vietcombank", VenueKind::Office),
    ("Bến xe", VenueKind::Transport),
    ("Ga", VenueKind::Transport),
    ("Khu công nghiệp", VenueKind::Factory),
    ("Nhà văn hóa", VenueKind::Other),
];

/// A journal of `n` visits as people make them: four in five scanned at a
/// venue (one of 200,000, entrance 1 to 3), the rest typed by hand with a
/// check-out, named after one of the 24 kinds of place and one of the
/// 3,321 communes, at irregular times over the past weeks. Conservative for
/// gzip: a real journal goes back to the same few places.
fn realistic_journal(path: &std::path::Path, n: usize) -> Journal {
    let units = AdminUnits::embedded();
    let communes: Vec<_> = units
        .provinces()
        .iter()
        .flat_map(|p| units.communes_of(p.code))
        .collect();
    // splitmix64: a fixed journal, run after run.
    let mut state = 0x2545_F491_u64;
    let mut below = |n: usize| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    };
    let mut journal = Journal::open(path, &JournalKey::generate()).expect("journal");
    let me = journal.me().expect("owner").id;
    let now = OffsetDateTime::now_utc();
    let mut at = now - time::Duration::minutes(40 * n as i64);
    for _ in 0..n {
        at += time::Duration::minutes(15 + below(50) as i64);
        let commune = communes[below(communes.len())];
        let (kind, venue_kind) = PLACES[below(PLACES.len())];
        let name = format!("{kind} {}", commune.short_name);
        if below(5) == 0 {
            let out = at + time::Duration::minutes(5 + below(90) as i64);
            journal
                .add_manual_visit(me, &name, Some(commune.code), at, Some(out), now)
                .expect("typed visit");
            continue;
        }
        let venue = Venue {
            id: VenueId(1 + below(200_000) as u64),
            short_name: name,
            commune: Some(commune.code),
            kind: venue_kind,
            default_stay_minutes: [15, 30, 60, 120][below(4)],
        };
        journal
            .check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue,
                    entrance: EntranceNo(1 + below(3) as u16),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at,
            })
            .expect("scanned visit");
    }
    journal
}

/// p99 of check-ins (lock the journal, commit a visit) while `busy` is
/// true, or for `runs` check-ins.
fn check_in_p99(journal: &Mutex<Journal>, keep_going: impl Fn(usize) -> bool) -> Duration {
    let mut samples = Vec::new();
    let mut n = 0u64;
    while keep_going(samples.len()) {
        n += 1;
        let started = Instant::now();
        {
            let mut j = journal.lock().expect("journal");
            let me = j.me().expect("owner").id;
            j.check_in(CheckIn {
                people: vec![me],
                place: Place::Venue {
                    venue: Venue {
                        id: VenueId(50_000 + n),
                        short_name: "Siêu thị".into(),
                        commune: Some(CommuneCode(26_734)),
                        kind: VenueKind::Shop,
                        default_stay_minutes: 30,
                    },
                    entrance: EntranceNo(1),
                },
                source: VisitSource::Scan,
                verification: Verification::Verified,
                at: OffsetDateTime::now_utc(),
            })
            .expect("check-in");
        }
        samples.push(started.elapsed());
    }
    samples.sort_unstable();
    samples[((samples.len() as f64 - 1.0) * 0.99).round() as usize]
}

/// Scans never wait for a sync: the engine holds the journal only to read a
/// batch and to apply an answer.
async fn scan_while_syncing(journal: Arc<Mutex<Journal>>, client: &SyncClient) {
    let quiet = check_in_p99(&journal, |n| n < 300);
    // Queue work for the sync: 3,000 records.
    {
        let mut j = journal.lock().expect("journal");
        let me = j.me().expect("owner").id;
        let now = OffsetDateTime::now_utc();
        for n in 0..3_000 {
            let at = now - time::Duration::minutes(3_000 - n);
            j.add_manual_visit(me, &format!("Chợ phiên {n}"), None, at, None, now)
                .expect("visit");
        }
    }
    let syncing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let scanner = {
        let (journal, syncing) = (journal.clone(), syncing.clone());
        std::thread::spawn(move || {
            check_in_p99(&journal, |n| {
                // Bounded: the drain also sends what the scans add, and
                // ends once the scans stop feeding it.
                n < 10 || (n < 3_000 && syncing.load(std::sync::atomic::Ordering::Relaxed))
            })
        })
    };
    client
        .drain(&journal, OffsetDateTime::now_utc)
        .await
        .expect("drain");
    syncing.store(false, std::sync::atomic::Ordering::Relaxed);
    let busy = scanner.join().expect("scanner");
    println!("scan-to-row p99: {quiet:?} alone, {busy:?} while a sync runs (target <= 20 ms)");
}
