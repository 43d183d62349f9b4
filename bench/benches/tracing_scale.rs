//! The health authority's queries at national scale (issues #8 and #11):
//! the tracing query (`GET /v1/tracing`) and checkpoint activity over 30
//! days (`GET /v1/activity`) against 10 million synthetic visits on
//! Postgres. Targets: tracing ≤ 100 ms, activity ≤ 1 s (medians), and the
//! server's peak memory (VmHWM) reported.
//!
//! Needs `VAORA_TEST_POSTGRES_URL` (e.g. `eval "$(bash scripts/postgres
//! start)"`); skips with a message without it. The load goes into a fresh
//! database on that cluster:
//! - 20,000 venues registered through the server's own `Db::create_venue`,
//!   spread over the 2025 communes (two in five in Hà Nội and Hồ Chí Minh
//!   City); three in ten never scan (the dormant checkpoints the activity
//!   view exists for); which venue is how busy follows from its name, so
//!   every run traces the same venues;
//! - 400,000 phones, and gate devices at 400 busy venues through
//!   `Db::register_device`;
//! - 30 Vietnamese days of visits, ending yesterday: the day partitions
//!   made by the server's own ingest (one real sync batch per day), the
//!   rest with `INSERT … SELECT generate_series` into the same partitioned
//!   table: busy venues far busier than quiet ones (a power law), a
//!   morning, lunch and evening peak, 60% checked out by hand, 2% manual
//!   entries without a venue, families (persons 2 and 3);
//! - one declaration for every ten visits, and gate entries (1.5% of the
//!   scans, 2% of them voided), each with a full declaration as JSON;
//! - the scan counts per venue and day counted once over it all
//!   (`Db::rebuild_scan_counts`: the rows went around ingest, which keeps
//!   them otherwise), then `VACUUM ANALYZE`, what autovacuum would do
//!   after such a load.
//!
//! Then the server runs in a second process (this bench re-runs itself)
//! and every query goes over HTTP on loopback, as the authority's console
//! would send it. `VAORA_BENCH_VISITS` loads fewer visits for a quick try
//! (declarations and gate entries scale with it). `VAORA_BENCH_REUSE=<url>`
//! skips the load and measures a database an earlier run loaded (it prints
//! its URL), so a server change can be measured without reloading; the
//! numbers in bench/README.md come from fresh loads unless it says so.

use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use uuid::Uuid;
use vaora_bench::server::{ServerProcess, fresh_postgres, runtime_unless_serving};
use vaora_bench::{measure, report};
use vaora_core::AdminUnits;
use vaora_core::admin_units::ProvinceCode;
use vaora_core::venue::VenueKind;
use vaora_core::visit::VisitSource;
use vaora_core::wire::{ItemPayload, SyncItem, VisitRecord};
use vaora_server::db::{Db, DeviceKind, NewVenue, Role, now_ms, vietnam_day};

const VENUES: usize = 20_000;
const PHONES: i64 = 400_000;
const GATES: usize = 400;
const DAYS: i64 = 30;
const VISITS: i64 = 10_000_000;
const DAY_MS: i64 = 24 * 3600 * 1000;
const VIETNAM_MS: i64 = 7 * 3600 * 1000;
/// Visits are kept for the whole period (the default 21 days would purge
/// a third of it when the server starts).
const RETENTION_DAYS: u32 = 35;
const TRACING_TARGET: Duration = Duration::from_millis(100);
const ACTIVITY_TARGET: Duration = Duration::from_secs(1);
const RUNS: usize = 30;

/// Hours of the day (Vietnam) a check-in falls in, each as often as it
/// appears: quiet at night, peaks at 7–8, 11–12 and 17–19.
const HOURS: [u8; 100] = [
    5, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 11, 11,
    11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15, 16,
    16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17, 18, 18, 18, 18, 18, 18, 18, 18, 19, 19, 19, 19, 19,
    19, 19, 20, 20, 20, 20, 20, 21, 21, 21, 21, 22, 22, 22, 23, 0, 1, 4, 5, 6, 17, 18, 12,
];

fn main() {
    let Some(runtime) = runtime_unless_serving() else {
        return;
    };
    let Ok(admin_url) = std::env::var("VAORA_TEST_POSTGRES_URL") else {
        println!(
            "tracing_scale: skipped, no Postgres (eval \"$(bash scripts/postgres start)\" sets VAORA_TEST_POSTGRES_URL)"
        );
        return;
    };
    let visits = std::env::var("VAORA_BENCH_VISITS")
        .ok()
        .map_or(VISITS, |v| v.parse().expect("VAORA_BENCH_VISITS"));
    let today = vietnam_day(now_ms());
    let first_day = today - DAYS;
    let database = match std::env::var("VAORA_BENCH_REUSE") {
        Ok(url) => {
            println!("tracing_scale: reusing the database loaded earlier at {url}");
            url
        }
        Err(_) => runtime.block_on(load(&admin_url, first_day, visits)),
    };

    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let server = ServerProcess::spawn(dir.path(), Some(&database), RETENTION_DAYS);
    println!(
        "server start (connect, migrations, first purge): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // An authority token of our own: a reused database already has one.
    let token = runtime.block_on(async {
        let db = Db::connect(&database).await.expect("database");
        db.issue_token(Role::Authority, None).await.expect("token")
    });
    let traced = runtime.block_on(venues_to_trace(&database));
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .expect("http");
    // The answer's bytes: what the server did, not this process parsing it.
    let get = |path: String| -> Vec<u8> {
        runtime.block_on(async {
            let response = http
                .get(server.url(&path))
                .bearer_auth(token.trim())
                .send()
                .await
                .expect("request");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.bytes().await.expect("answer").to_vec()
        })
    };
    let json =
        |bytes: Vec<u8>| -> serde_json::Value { serde_json::from_slice(&bytes).expect("JSON") };

    // A case's hour at 17:30 on each day of the period in turn, widened by
    // the default hour either side: a different window every run.
    let tracing = |venue: i64, run: usize| {
        let day = first_day + (run as i64 % DAYS);
        let from = (day * DAY_MS - VIETNAM_MS + (17 * 60 + 30) * 60_000) / 1000;
        get(format!("/v1/tracing?venue={venue}&from={from}&minutes=60"))
    };
    for (name, venue, about) in traced {
        let sample = json(tracing(venue, 0));
        let contacts = sample["contacts"].as_array().map_or(0, Vec::len);
        let named = sample["contacts"].as_array().map_or(0, |c| {
            c.iter().filter(|c| c["full_name"].is_string()).count()
        });
        println!(
            "tracing, {name} venue {venue} ({about}): {contacts} contacts in the first window, {named} with a declared name"
        );
        let mut run = 0;
        let timing = guarded(TRACING_TARGET, || {
            run += 1;
            tracing(venue, run)
        });
        if let Some(timing) = timing {
            report(
                &format!("tracing query, {name} venue"),
                &timing,
                TRACING_TARGET,
            );
        }
    }

    let from = (first_day * DAY_MS - VIETNAM_MS) / 1000;
    let activity_path = format!("/v1/activity?from={from}&days={DAYS}");
    let sample = json(get(activity_path.clone()));
    let scans: i64 = sample["days"]
        .as_array()
        .map_or(0, |d| d.iter().filter_map(|d| d["scans"].as_i64()).sum());
    println!(
        "activity over {DAYS} days: {scans} scans, {} communes, {} dormant checkpoints",
        sample["communes"].as_array().map_or(0, Vec::len),
        sample["dormant_total"]
    );
    if let Some(timing) = guarded(ACTIVITY_TARGET, || get(activity_path.clone())) {
        report(
            &format!("activity stats, {DAYS} days"),
            &timing,
            ACTIVITY_TARGET,
        );
    }
    println!("server peak memory (VmHWM): {}", server.peak_memory());
    println!("tracing_scale: the loaded database stays on the cluster: {database}");
}

/// Times `query` RUNS times, unless one call alone takes more than ten
/// times the target: then says so and stops, rather than spending hours
/// proving a miss.
fn guarded<T>(target: Duration, mut query: impl FnMut() -> T) -> Option<vaora_bench::Timing> {
    let probe = Instant::now();
    std::hint::black_box(query());
    let once = probe.elapsed();
    if once > target * 10 {
        println!("  MISSES: one query took {once:?} (target median <= {target:?}); not repeated");
        return None;
    }
    Some(measure(RUNS, query))
}

/// Loads the synthetic country into a fresh database; returns its URL.
async fn load(admin_url: &str, first_day: i64, visits: i64) -> String {
    let database = fresh_postgres(admin_url).await;
    println!("tracing_scale: loading into {database}");
    let db = Db::connect(&database).await.expect("database");
    let mut conn = PgConnection::connect(&database).await.expect("postgres");
    // Same synthetic data on every run (UUIDs aside).
    exec(&mut conn, "SELECT setseed(0.2021)".into()).await;
    let started = Instant::now();
    let step = |name: &str, at: &mut Instant| {
        println!("  load: {name} in {:.1} s", at.elapsed().as_secs_f64());
        *at = Instant::now();
    };
    let mut at = Instant::now();

    register_venues(&db, &mut conn, first_day).await;
    step("20,000 venues (Db::create_venue)", &mut at);

    // What Db::register_device writes for a phone; 400,000 round trips
    // would only measure the loop.
    exec(
        &mut conn,
        format!(
            "INSERT INTO device (kind, venue_id, entrance, created_at)
             SELECT 'citizen', NULL, NULL, {} FROM generate_series(1, {PHONES})",
            first_day * DAY_MS - 90 * DAY_MS
        ),
    )
    .await;
    step("400,000 phones", &mut at);

    // Venues ranked by how busy they are (rank 0 busiest), in a shuffled
    // order so busy venues are spread over communes; three in ten never
    // scan.
    exec(
        &mut conn,
        "CREATE TEMP TABLE bench_rank AS
         SELECT (row_number() OVER (ORDER BY md5(name)) - 1)::int AS rank,
                id AS venue_id, entrances, short_name, commune,
                default_stay_minutes AS stay
         FROM venue WHERE abs(hashtext(name)) % 10 < 7"
            .into(),
    )
    .await;
    exec(&mut conn, "CREATE UNIQUE INDEX ON bench_rank (rank)".into()).await;
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM bench_rank")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    let communes = communes_table(&mut conn).await;

    // Gates at every fifth of the 2,000 busiest venues, entrance 1.
    let gate_venues: Vec<i64> = sqlx::query_scalar(
        "SELECT venue_id FROM bench_rank WHERE rank % 5 = 0 ORDER BY rank LIMIT $1",
    )
    .bind(GATES as i64)
    .fetch_all(&mut conn)
    .await
    .expect("gate venues");
    let mut gate_devices = Vec::with_capacity(GATES);
    for venue in &gate_venues {
        let device = db
            .register_device(DeviceKind::Gate, Some((*venue, 1)))
            .await
            .expect("gate");
        gate_devices.push(device.id);
    }
    exec(
        &mut conn,
        "CREATE TEMP TABLE bench_gate (k int PRIMARY KEY, venue_id bigint, device_id bigint)"
            .into(),
    )
    .await;
    sqlx::query(
        "INSERT INTO bench_gate SELECT (row_number() OVER () - 1)::int, v, d
         FROM unnest($1::bigint[], $2::bigint[]) AS t(v, d)",
    )
    .bind(&gate_venues)
    .bind(&gate_devices)
    .execute(&mut conn)
    .await
    .expect("gates");
    step("400 gates (Db::register_device)", &mut at);

    // The server's own ingest makes each day's partitions: a real batch
    // with a visit at 06:00 and at 12:00 of every day, which between them
    // touch both UTC days a Vietnamese day spans.
    let now = now_ms();
    let items: Vec<SyncItem> = (first_day..first_day + DAYS)
        .flat_map(|day| [6, 12].map(|hour| day * DAY_MS - VIETNAM_MS + hour * 3_600_000))
        .map(|at| SyncItem {
            id: Uuid::now_v7(),
            payload: ItemPayload::Visit(VisitRecord {
                id: Uuid::now_v7(),
                person: 1,
                venue: Some(gate_venues[0] as u64),
                entrance: 1,
                place_name: "Điểm kiểm dịch".into(),
                commune: None,
                checked_in_at: at,
                checked_out_at: Some(at + 1_800_000),
                source: VisitSource::Scan,
                verified: true,
            }),
        })
        .collect();
    let results = db.ingest(1, &items, now).await.expect("ingest");
    assert!(
        results.iter().all(|r| r.reason.is_none()),
        "partition batch refused"
    );
    step("day partitions (Db::ingest)", &mut at);

    let hours = format!("ARRAY[{}]", HOURS.map(|h| h.to_string()).join(","));
    let per_day = visits / DAYS;
    for day in first_day..first_day + DAYS {
        let day_start = day * DAY_MS - VIETNAM_MS;
        exec(
            &mut conn,
            format!(
                "INSERT INTO visit (checked_in_at, id, device_id, person, venue_id, entrance,
                                    place_name, commune, checked_out_at, source, verified,
                                    received_at)
                 SELECT s.at, uuid_send(gen_random_uuid()), s.device, s.person,
                        CASE WHEN s.manual THEN NULL ELSE r.venue_id END,
                        CASE WHEN s.manual THEN 0 ELSE 1 + s.device % r.entrances END,
                        CASE WHEN s.manual THEN 'Nhà người quen' ELSE r.short_name END,
                        r.commune,
                        CASE WHEN s.out_u < 0.6
                             THEN s.at + (1 + floor(s.stay_u * r.stay * 1.5))::bigint * 60000
                        END,
                        CASE WHEN s.manual THEN 'manual' ELSE 'scan' END,
                        NOT s.manual,
                        s.at + floor(s.sent_u * 600000)::bigint
                 FROM (SELECT {day_start}::bigint
                              + ({hours})[1 + floor(random() * 100)::int]::bigint * 3600000
                              + floor(random() * 3600000)::bigint AS at,
                              1 + floor(random() * {PHONES})::bigint AS device,
                              {person} AS person,
                              floor({active} * power(random(), 2.5))::int AS rank,
                              random() < 0.02 AS manual,
                              random() AS out_u, random() AS stay_u, random() AS sent_u
                       FROM generate_series(1, {per_day})) s
                 JOIN bench_rank r ON r.rank = s.rank",
                person = PERSON
            ),
        )
        .await;
    }
    step(&format!("{} visits", per_day * DAYS), &mut at);

    let period_start = first_day * DAY_MS - VIETNAM_MS;
    exec(
        &mut conn,
        format!(
            "INSERT INTO declaration (id, device_id, person, visit_id, declared_at, answers,
                                      received_at)
             SELECT uuid_send(gen_random_uuid()), s.device, s.person, NULL, s.at,
                    {declaration}, s.at + 60000
             FROM (SELECT 1 + floor(random() * {PHONES})::bigint AS device,
                          {PERSON} AS person,
                          {period_start} + floor(random() * {period})::bigint AS at,
                          floor(random() * {communes})::int AS k
                   FROM generate_series(1, {n})) s
             JOIN bench_commune c ON c.k = s.k",
            declaration = declaration_json("s.device", "s.person"),
            period = DAYS * DAY_MS,
            n = visits / 10,
        ),
    )
    .await;
    step(&format!("{} declarations", visits / 10), &mut at);

    exec(
        &mut conn,
        format!(
            "INSERT INTO gate_entry (id, device_id, venue_id, entrance, checked_in_at,
                                     checked_out_at, voided, answers, pass, received_at)
             SELECT uuid_send(gen_random_uuid()), g.device_id, g.venue_id, 1, s.at,
                    CASE WHEN s.out_u < 0.5 THEN s.at + floor(s.out_u * 7200000)::bigint END,
                    s.void_u < 0.02, {declaration}, NULL, s.at + 60000
             FROM (SELECT {period_start}
                          + floor(random() * {DAYS})::bigint * {DAY_MS}
                          + ({hours})[1 + floor(random() * 100)::int]::bigint * 3600000
                          + floor(random() * 3600000)::bigint AS at,
                          floor({GATES} * power(random(), 2))::int AS gate,
                          floor(random() * {communes})::int AS k,
                          - floor(random() * 1000000)::bigint AS person,
                          random() AS out_u, random() AS void_u
                   FROM generate_series(1, {n})) s
             JOIN bench_gate g ON g.k = s.gate
             JOIN bench_commune c ON c.k = s.k",
            declaration = declaration_json("s.person", "1"),
            n = visits * 15 / 1000,
        ),
    )
    .await;
    step(&format!("{} gate entries", visits * 15 / 1000), &mut at);

    // The rows above went around ingest, so their scans were not counted
    // as they arrived: count them the way a bulk import would.
    let counted = db.rebuild_scan_counts().await.expect("scan counts");
    step(
        &format!("scan counts, {counted} venue-days (Db::rebuild_scan_counts)"),
        &mut at,
    );

    exec(&mut conn, "VACUUM ANALYZE".into()).await;
    step("VACUUM ANALYZE", &mut at);
    println!(
        "load: {visits} visits in {:.0} s; database {}",
        started.elapsed().as_secs_f64(),
        sqlx::query_scalar::<_, String>(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        )
        .fetch_one(&mut conn)
        .await
        .expect("size")
    );
    database
}

/// A person on a phone: the owner mostly, sometimes a family member.
const PERSON: &str = "CASE WHEN random() < 0.85 THEN 1 WHEN random() < 0.67 THEN 2 ELSE 3 END";

/// A declaration as `vaora_core::declaration::Declaration` serialises it,
/// for the person `(who, person)`: the same name, ID number and phone every
/// time that person declares; the address in the commune `c`.
fn declaration_json(who: &str, person: &str) -> String {
    let family = "(ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi','Đỗ','Hồ','Ngô','Dương','Lý'])";
    let middle = "(ARRAY['Văn','Thị','Minh','Ngọc','Đức','Thu','Quang','Thanh'])";
    let given = "(ARRAY['An','Bình','Châu','Dũng','Giang','Hà','Hải','Hạnh','Hùng','Hương','Khánh','Lan','Linh','Long','Mai','Nam','Phương','Quân','Sơn','Tâm','Thảo','Trang','Tuấn','Vy'])";
    let street = "(ARRAY['Lê Lợi','Trần Hưng Đạo','Nguyễn Trãi','Hai Bà Trưng','Lý Thường Kiệt','Quang Trung','Hùng Vương','Phan Chu Trinh'])";
    let seed = format!("abs({who} * 31 + {person})");
    format!(
        "json_build_object(
            'fullName', {family}[(1 + {seed} % 16)::int] || ' ' || {middle}[(1 + {seed} / 16 % 8)::int]
                        || ' ' || {given}[(1 + {seed} / 128 % 24)::int],
            'idKind', 'cccd',
            'idNumber', lpad(c.province::text, 3, '0') || ({seed} % 2)::text
                        || lpad((50 + {seed} % 50)::text, 2, '0')
                        || lpad(({seed} % 1000000)::text, 6, '0'),
            'birthYear', 1950 + {seed} % 50,
            'sex', CASE WHEN {seed} % 2 = 0 THEN 'male' ELSE 'female' END,
            'nationality', 'Việt Nam',
            'province', c.province,
            'commune', c.code,
            'street', (1 + {seed} % 300)::text || ' ' || {street}[(1 + {seed} % 8)::int],
            'phone', '09' || lpad(({seed} * 7919 % 100000000)::text, 8, '0'),
            'symptoms', json_build_array(),
            'exposures', json_build_array(),
            'conditions', json_build_array())::text"
    )
}

/// The 2025 communes as a temporary table `bench_commune (k, code,
/// province)`; returns how many.
async fn communes_table(conn: &mut PgConnection) -> usize {
    let units = AdminUnits::embedded();
    let (codes, provinces): (Vec<i32>, Vec<i32>) = units
        .provinces()
        .iter()
        .flat_map(|p| units.communes_of(p.code))
        .map(|c| (c.code.0 as i32, i32::from(c.province.0)))
        .unzip();
    exec(
        conn,
        "CREATE TEMP TABLE bench_commune (k int PRIMARY KEY, code int, province int)".into(),
    )
    .await;
    sqlx::query(
        "INSERT INTO bench_commune SELECT (row_number() OVER () - 1)::int, c, p
         FROM unnest($1::int[], $2::int[]) AS t(c, p)",
    )
    .bind(&codes)
    .bind(&provinces)
    .execute(&mut *conn)
    .await
    .expect("communes");
    codes.len()
}

/// A well-mixed number from `i` (splitmix64's finaliser), for choices that
/// must be the same on every run.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Registers the venues through the server's own storage code, eight at a
/// time, then dates each registration over the three months before the
/// period (`create_venue` stamps the present moment).
async fn register_venues(db: &Db, conn: &mut PgConnection, first_day: i64) {
    let units = AdminUnits::embedded();
    let everywhere: Vec<_> = units
        .provinces()
        .iter()
        .flat_map(|p| units.communes_of(p.code))
        .collect();
    let hanoi: Vec<_> = units.communes_of(ProvinceCode(1)).iter().collect();
    let saigon: Vec<_> = units.communes_of(ProvinceCode(79)).iter().collect();
    let kinds = [
        (VenueKind::Shop, "Cửa hàng", 35),
        (VenueKind::Office, "Văn phòng", 15),
        (VenueKind::Market, "Chợ", 5),
        (VenueKind::School, "Trường", 10),
        (VenueKind::Hospital, "Bệnh viện", 3),
        (VenueKind::Transport, "Bến xe", 4),
        (VenueKind::Factory, "Nhà máy", 8),
        (VenueKind::Other, "Quán cà phê", 20),
    ];
    let venues: Vec<NewVenue> = (0..VENUES as u64)
        .map(|i| {
            let h = mix(i);
            let communes = match h % 5 {
                0 if !hanoi.is_empty() => &hanoi[..],
                1 if !saigon.is_empty() => &saigon[..],
                _ => &everywhere[..],
            };
            let commune = &communes[(h >> 8) as usize % communes.len()];
            let mut pick = (h >> 32) % 100;
            let (kind, word, _) = *kinds
                .iter()
                .find(|(_, _, share)| {
                    let here = pick < *share;
                    pick = pick.saturating_sub(*share);
                    here
                })
                .unwrap_or(&kinds[0]);
            let short: String = format!("{word} {} {}", commune.short_name, i % 97 + 1);
            NewVenue {
                name: format!("{short} — cơ sở {}", i + 1),
                short_name: truncate_bytes(&short, 32),
                address: format!("Số {} đường {}, {}", h % 400 + 1, i % 50 + 1, commune.name),
                commune: commune.code.0,
                kind,
                default_stay_minutes: kind.default_stay_minutes(),
                entrances: 1 + (h >> 48) as u16 % 3,
            }
        })
        .collect();
    let mut tasks = Vec::new();
    for chunk in venues.chunks(VENUES / 8) {
        let (db, chunk) = (db.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for v in &chunk {
                db.create_venue(v).await.expect("venue");
            }
        }));
    }
    for task in tasks {
        task.await.expect("venues");
    }
    exec(
        conn,
        format!(
            "UPDATE venue SET created_at = {} - (mod(id * 7919, 90) + 1) * {DAY_MS}",
            first_day * DAY_MS - VIETNAM_MS
        ),
    )
    .await;
}

/// The longest prefix of `text` that fits in `max` bytes.
fn truncate_bytes(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end().to_owned()
}

async fn exec(conn: &mut PgConnection, sql: String) {
    if let Err(e) = sqlx::query(AssertSqlSafe(sql.clone())).execute(conn).await {
        panic!("{e}\n{sql}");
    }
}

/// The venues the load made busiest (a shop with hour-long stays), second
/// busiest (a school, where an open stay lasts eight hours) and quietest,
/// found again from the venue table alone: the load ranks them by their
/// names, which do not depend on the order registrations happened to run.
async fn venues_to_trace(database: &str) -> Vec<(&'static str, i64, String)> {
    let mut conn = PgConnection::connect(database).await.expect("postgres");
    let ranked = "SELECT id, name, default_stay_minutes FROM venue
                  WHERE abs(hashtext(name)) % 10 < 7 ORDER BY md5(name)";
    let mut traced = Vec::new();
    for (label, pick) in [
        ("busiest", "LIMIT 1"),
        ("second busiest", "OFFSET 1 LIMIT 1"),
        ("quiet", "DESC LIMIT 1"),
    ] {
        let (id, name, stay): (i64, String, i32) =
            sqlx::query_as(AssertSqlSafe(format!("{ranked} {pick}")))
                .fetch_one(&mut conn)
                .await
                .expect("venue");
        traced.push((label, id, format!("{name}, default stay {stay} min")));
    }
    traced
}
