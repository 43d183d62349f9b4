//! Gate mode on a real encrypted journal file (SQLCipher, WAL,
//! `synchronous=FULL`), bound to one venue entrance:
//! - one person through the gate from their citizen ID card: the card's QR
//!   parsed, the declaration form prefilled from it (`CardPrefill`, its
//!   old address converted to the 2025 units), confirmed and validated as
//!   a gate's (`Channel::Gate`), the entry saved with its outbox item
//!   (target p99 <= 20 ms, the check-in's);
//! - the gate's counters and today's list (100) after 1,000 entries
//!   (target <= 5 ms, the journal's first page);
//! - the same card scanned again within 10 minutes (nothing saved twice);
//! - the same after 20 earlier days of 1,000 different visitors each (the
//!   journal keeps 21 days), and the same people entering again the next
//!   day (each entry they left open closed in the same transaction).
//!
//! 1,000 distinct people are generated: CCCD numbers whose place, century,
//! sex and year digits match the card, Vietnamese names, and addresses
//! written as cards print them from real pre-2025 wards of the shipped
//! mapping (two in five in Hà Nội or Hồ Chí Minh City).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use time::{Date, OffsetDateTime, UtcOffset};
use vaora_bench::{measure, report};
use vaora_core::admin_units::LegacyUnits;
use vaora_core::cccd::parse_cccd;
use vaora_core::declaration::{CardPrefill, Channel, Declaration};
use vaora_core::gate::{GateBinding, GateSubject};
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId};
use vaora_core::{AdminUnits, GateOutcome, Journal, JournalKey, ProvinceCode};

const LEGACY: &str = include_str!("../../assets/admin-units-legacy.tsv");
const PEOPLE: usize = 1_000;
const HISTORY_DAYS: i64 = 20;

/// Deterministic, so every run measures the same people.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The pre-2025 units as the shipped mapping lists them.
struct OldUnits {
    /// Old code → (name, 2025 code).
    provinces: HashMap<u16, (String, u16)>,
    /// Old code → (old province code, name).
    districts: HashMap<u16, (u16, String)>,
    wards: Vec<OldWard>,
}

struct OldWard {
    name: String,
    district: u16,
    /// The 2025 communes it went to, the mapping's default first.
    communes: Vec<CommuneCode>,
}

impl OldUnits {
    fn read() -> OldUnits {
        let mut units = OldUnits {
            provinces: HashMap::new(),
            districts: HashMap::new(),
            wards: Vec::new(),
        };
        for line in LEGACY.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let num = |i: usize| f[i].parse::<u32>().expect("a code");
            match f[0] {
                "P" => {
                    units
                        .provinces
                        .insert(num(1) as u16, (f[2].to_owned(), num(3) as u16));
                }
                "D" => {
                    units
                        .districts
                        .insert(num(1) as u16, (num(2) as u16, f[3].to_owned()));
                }
                "W" => {
                    let mut communes: Vec<(bool, CommuneCode)> = f[4]
                        .split(',')
                        .map(|c| {
                            let default = c.starts_with('*');
                            let code = c.trim_start_matches('*').parse().expect("a commune");
                            (!default, CommuneCode(code))
                        })
                        .collect();
                    communes.sort_by_key(|&(not_default, _)| not_default);
                    units.wards.push(OldWard {
                        name: f[3].to_owned(),
                        district: num(2) as u16,
                        communes: communes.into_iter().map(|(_, c)| c).collect(),
                    });
                }
                _ => {}
            }
        }
        units
    }
}

/// One person at the gate: what their card's QR says, and what they tell
/// staff that the card does not (a phone number; the house or hamlet when
/// the card's address has none).
struct Person {
    card: String,
    phone: String,
    told_street: String,
    /// The 2025 province and communes the card's ward went to.
    expected: (ProvinceCode, Vec<CommuneCode>),
}

const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_MALE: [&str; 8] = [
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân",
];
const MIDDLE_FEMALE: [&str; 8] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Mỹ", "Phương"];
const GIVEN_MALE: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc",
    "Quân", "Sơn", "Thắng", "Tuấn",
];
const GIVEN_FEMALE: [&str; 16] = [
    "Anh", "Châu", "Diệp", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân",
    "Nhung", "Thảo", "Trang", "Yến",
];
const STREETS: [&str; 12] = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Phan Chu Trinh",
    "Điện Biên Phủ",
    "Hùng Vương",
    "Quang Trung",
    "Lê Duẩn",
    "Nguyễn Văn Cừ",
    "Tôn Đức Thắng",
];
const HAMLETS: [&str; 8] = [
    "Đông",
    "Tây",
    "Trung",
    "Thượng",
    "Hạ",
    "Phú Lộc",
    "An Thái",
    "Tân Lập",
];
/// The 63 place codes a CCCD number starts with.
const PLACE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Person `n` (distinct `n`, distinct ID numbers).
fn person(n: usize, units: &OldUnits, city_wards: &[usize], rng: &mut Rng) -> Person {
    let female = rng.chance(50);
    let year = 1950 + rng.below(62) as i32; // 1950–2011
    let century_sex = if year < 2000 { 0 } else { 2 } + u32::from(female);
    let ward = if rng.chance(40) {
        &units.wards[*rng.pick(city_wards)]
    } else {
        rng.pick(&units.wards)
    };
    let (old_province, district) = &units.districts[&ward.district];
    let (province, new_province) = &units.provinces[old_province];
    // Most people live where their birth was registered.
    let place = if rng.chance(70) {
        *old_province
    } else {
        *rng.pick(&PLACE_CODES)
    };
    let id = format!("{place:03}{century_sex}{:02}{n:06}", year % 100);

    let (middle, given) = if female {
        (&MIDDLE_FEMALE[..], &GIVEN_FEMALE[..])
    } else {
        (&MIDDLE_MALE[..], &GIVEN_MALE[..])
    };
    let mut name = format!("{} {}", rng.pick(&FAMILY), rng.pick(middle));
    if rng.chance(30) {
        name = format!("{name} {}", rng.pick(middle));
    }
    name = format!("{name} {}", rng.pick(given));

    let house = if ward.name.starts_with("Phường") {
        match rng.below(3) {
            0 => format!("Số {} {}", 1 + rng.below(300), rng.pick(&STREETS)),
            1 => format!(
                "Số {} ngõ {} {}",
                1 + rng.below(80),
                1 + rng.below(200),
                rng.pick(&STREETS)
            ),
            _ => format!("Tổ {}", 1 + rng.below(40)),
        }
    } else if ward.name.starts_with("Thị trấn") {
        format!("Khu phố {}", 1 + rng.below(12))
    } else if *old_province >= 70 {
        format!("Ấp {}", rng.pick(&HAMLETS))
    } else {
        format!("Thôn {}", rng.pick(&HAMLETS))
    };
    // Cards printed before Huế became a city say "Tỉnh Thừa Thiên Huế".
    let province = if *old_province == 46 {
        "Tỉnh Thừa Thiên Huế"
    } else {
        province.as_str()
    };
    // One card in ten prints no house or hamlet ("Phường 5, Quận 3, …"):
    // the person tells staff.
    let address = if rng.chance(10) {
        format!("{}, {district}, {province}", ward.name)
    } else {
        format!("{house}, {}, {district}, {province}", ward.name)
    };
    let old_id = if rng.chance(60) {
        format!("{:09}", rng.next() % 1_000_000_000)
    } else {
        String::new()
    };
    let born = format!("{:02}{:02}{year}", 1 + rng.below(28), 1 + rng.below(12));
    let mut card = format!(
        "{id}|{old_id}|{name}|{born}|{}|{address}",
        if female { "Nữ" } else { "Nam" }
    );
    // Older cards lack the issue date.
    if rng.chance(80) {
        card += &format!(
            "|{:02}{:02}{}",
            1 + rng.below(28),
            1 + rng.below(12),
            2021 + rng.below(4)
        );
    }
    let mobile = ["09", "03", "08", "07"][rng.below(4)];
    let digits = format!("{mobile}{:08}", rng.next() % 100_000_000);
    let phone = match rng.below(3) {
        0 => digits.clone(),
        1 => format!("{} {} {}", &digits[..4], &digits[4..7], &digits[7..]),
        _ => format!("+84 {}", &digits[1..]),
    };
    Person {
        card,
        phone,
        told_street: house,
        expected: (ProvinceCode(*new_province), ward.communes.clone()),
    }
}

/// What the app does with a scanned card at a gate: the card read, the
/// form prefilled from it (its address converted to the 2025 units), what
/// staff add, and every check of a gate's declaration.
fn prefill(person: &Person, legacy: &LegacyUnits, today: Date) -> Declaration {
    let parsed = parse_cccd(&person.card).expect("a card");
    let mut form = CardPrefill::from_card(&parsed.card, &parsed.problems, legacy).form;
    if form.street.trim().is_empty() {
        form.street.clone_from(&person.told_street);
    }
    form.phone.clone_from(&person.phone);
    form.consent = true;
    form.validate_for(Channel::Gate, today, AdminUnits::embedded())
        .unwrap_or_else(|e| panic!("{}: {e:?}", person.card))
}

fn gate(dir: &tempfile::TempDir, name: &str, key: &JournalKey) -> Journal {
    let journal = Journal::open(&dir.path().join(name), key).expect("open");
    journal
        .bind_gate(&GateBinding {
            venue: VenueId(42),
            entrance: EntranceNo(1),
            venue_name: "Bệnh viện Bạch Mai".into(),
        })
        .expect("bind");
    journal
}

fn pct(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn summary(name: &str, samples: &mut [Duration], target_p99: Option<Duration>) {
    samples.sort_unstable();
    let p99 = pct(samples, 0.99);
    let verdict = match target_p99 {
        Some(t) if p99 <= t => format!(" (meets target p99 <= {t:?})"),
        Some(t) => format!(" (MISSES target p99 <= {t:?})"),
        None => String::new(),
    };
    println!(
        "{name}: median {:?}, p95 {:?}, p99 {:?}, max {:?} over {}{verdict}",
        pct(samples, 0.5),
        pct(samples, 0.95),
        p99,
        samples[samples.len() - 1],
        samples.len()
    );
}

/// Enters `people` at `times`, timing each whole record (card to durable
/// row) and its two halves.
fn enter_all(
    journal: &mut Journal,
    people: &[Person],
    times: &[OffsetDateTime],
    today: Date,
    label: &str,
    closing: bool,
) {
    let legacy = LegacyUnits::embedded();
    let (mut whole, mut form, mut save) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    for (p, &at) in people.iter().zip(times) {
        let t0 = Instant::now();
        let declaration = prefill(p, legacy, today);
        let t1 = Instant::now();
        let outcome = journal
            .gate_enter(&GateSubject::Declared(declaration), at)
            .expect("enter");
        let t2 = Instant::now();
        assert!(matches!(outcome, GateOutcome::Entered(_)), "{outcome:?}");
        whole.push(t2 - t0);
        form.push(t1 - t0);
        save.push(t2 - t1);
    }
    let total = started.elapsed();
    summary(
        &format!("{label}: card to durable entry"),
        &mut whole,
        Some(Duration::from_millis(20)),
    );
    summary(
        &format!("{label}:   parse + convert + validate"),
        &mut form,
        None,
    );
    summary(
        &format!(
            "{label}:   gate_enter{}",
            if closing {
                " (closing yesterday's entry)"
            } else {
                ""
            }
        ),
        &mut save,
        None,
    );
    println!(
        "{label}: {} records in {:.2} s",
        people.len(),
        total.as_secs_f64()
    );
}

fn main() {
    let t = Instant::now();
    let legacy = LegacyUnits::embedded();
    let _ = AdminUnits::embedded();
    println!(
        "first card of an app run: both unit lists parsed once, {:?}",
        t.elapsed()
    );

    let units = OldUnits::read();
    let city_wards: Vec<usize> = (0..units.wards.len())
        .filter(|&w| matches!(units.districts[&units.wards[w].district].0, 1 | 79))
        .collect();
    let mut rng = Rng(2026);
    let mut people: Vec<Person> = (0..PEOPLE)
        .map(|n| person(n, &units, &city_wards, &mut rng))
        .collect();
    // Two cards written by hand: a ward merged into another before 2025
    // (Quốc Tử Giám, split again in 2025), and no house or hamlet printed.
    people[0].card = "001092000000|012345678|Nguyễn Văn An|05031992|Nam|Số 12, Phường Quốc Tử Giám, Quận Đống Đa, Thành phố Hà Nội|01072021".into();
    people[0].expected = (ProvinceCode(1), vec![CommuneCode(226), CommuneCode(190)]);
    people[1].card =
        "079185000001||Trần Thị Bình|15081985|Nữ|Phường 5, Quận 3, Thành phố Hồ Chí Minh".into();
    people[1].told_street = "Số 20 Trần Quốc Thảo".into();
    people[1].expected.0 = ProvinceCode(79);
    people[1].expected.1.clear();

    // Conversion checked against the mapping itself (untimed).
    let mut unconverted = 0;
    let mut wrong = Vec::new();
    let mut split = 0;
    let mut no_street = 0;
    for p in &people {
        let card = parse_cccd(&p.card).expect("a card");
        assert!(card.problems.is_empty(), "{}: {:?}", p.card, card.problems);
        match legacy.convert_address(card.card.address.as_deref().unwrap_or_default()) {
            None => unconverted += 1,
            Some(c) => {
                split += usize::from(c.communes.len() > 1);
                no_street += usize::from(c.street.is_empty());
                let (province, communes) = &p.expected;
                if c.province != *province
                    || (!communes.is_empty() && c.communes.first() != communes.first())
                {
                    wrong.push(format!(
                        "{:?} → {:?} {:?}, mapping says {province:?} {communes:?}",
                        card.card.address, c.province, c.communes
                    ));
                }
            }
        }
    }
    println!(
        "{PEOPLE} cards: {unconverted} addresses not converted, {} converted elsewhere than the mapping says, {split} wards split in 2025 (staff may pick another commune), {no_street} without a house or hamlet (typed by staff)",
        wrong.len()
    );
    for w in wrong.iter().take(5) {
        println!("  {w}");
    }
    // A card that prints no house or hamlet, saved as prefilled.
    let parsed = parse_cccd(&people[1].card).expect("a card");
    let mut form = CardPrefill::from_card(&parsed.card, &parsed.problems, legacy).form;
    form.consent = true;
    let refused = form
        .validate_for(
            Channel::Gate,
            OffsetDateTime::now_utc().date(),
            AdminUnits::embedded(),
        )
        .err()
        .unwrap_or_default();
    println!(
        "{:?} as prefilled: {:?}",
        parsed.card.address.as_deref().unwrap_or_default(),
        refused.iter().map(|e| e.key).collect::<Vec<_>>()
    );

    // Today at the gate, from 07:00 in Vietnam, one person every 2–4 s.
    let vn = UtcOffset::from_hms(7, 0, 0).expect("UTC+7");
    let today = OffsetDateTime::now_utc().to_offset(vn).date();
    let midnight = today.midnight().assume_offset(vn);
    let mut at = midnight + time::Duration::hours(7);
    let times: Vec<OffsetDateTime> = (0..PEOPLE)
        .map(|_| {
            at += time::Duration::seconds(2 + rng.below(3) as i64);
            at
        })
        .collect();

    // 1. A fresh gate: 1,000 people, each through the whole path.
    let dir = tempfile::tempdir().expect("temp dir");
    let key = JournalKey::generate();
    let mut journal = gate(&dir, "gate.db", &key);
    enter_all(&mut journal, &people, &times, today, "fresh gate", false);

    // 2. The gate's screen after 1,000 entries.
    let counters = journal.gate_counters(midnight).expect("counters");
    assert_eq!(
        (counters.entered, counters.left, counters.inside),
        (PEOPLE as u64, 0, PEOPLE as u64)
    );
    let t = measure(1_000, || journal.gate_counters(midnight).expect("counters"));
    report("counters after 1,000 entries", &t, Duration::from_millis(5));
    let list = journal.gate_entries_since(midnight, 100).expect("list");
    assert_eq!(list.len(), 100);
    assert_eq!(list[0].checked_in_at, times[PEOPLE - 1]);
    let t = measure(1_000, || {
        journal.gate_entries_since(midnight, 100).expect("list")
    });
    report(
        "today's list (newest 100) after 1,000 entries",
        &t,
        Duration::from_millis(5),
    );

    // 3. Each card scanned again two minutes after its entry.
    let mut whole = Vec::new();
    let mut save = Vec::new();
    for (p, &at) in people.iter().zip(&times) {
        let t0 = Instant::now();
        let declaration = prefill(p, legacy, today);
        let t1 = Instant::now();
        let outcome = journal
            .gate_enter(
                &GateSubject::Declared(declaration),
                at + time::Duration::minutes(2),
            )
            .expect("enter");
        let t2 = Instant::now();
        match outcome {
            GateOutcome::AlreadyEntered(e) => assert_eq!(e.checked_in_at, at),
            other => panic!("expected the earlier entry, got {other:?}"),
        }
        whole.push(t2 - t0);
        save.push(t2 - t1);
    }
    summary("duplicate scan: card to AlreadyEntered", &mut whole, None);
    summary("duplicate scan:   gate_enter", &mut save, None);
    let after = journal.gate_counters(midnight).expect("counters");
    assert_eq!(after, counters, "nothing saved twice");
    let pending = journal.outbox_pending(10 * PEOPLE).expect("outbox");
    assert_eq!(pending.len(), PEOPLE, "one outbox item per entry");
    assert!(pending.iter().all(|i| i.kind == "gate_entry"));

    let path = dir.path().join("gate.db");
    drop(journal);
    // Checkpoint the WAL so the file holds everything.
    drop(Journal::open(&path, &key).expect("reopen"));
    let bytes = std::fs::metadata(&path).expect("size").len()
        + std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len());
    println!(
        "database bytes per gate entry (entry with its declaration, outbox item, indexes, WAL): {:.0}",
        bytes as f64 / PEOPLE as f64
    );

    // 4. A gate that has kept 20 earlier days (the journal keeps 21):
    // 1,000 different visitors a day, none scanned out (no exit gate).
    let mut history_rng = Rng(1975);
    let mut journal = gate(&dir, "gate-history.db", &key);
    let fill = Instant::now();
    let mut growth = Vec::new();
    let mut fill_paused = Duration::ZERO;
    for day in (1..=HISTORY_DAYS).rev() {
        let date = today - time::Duration::days(day);
        let mut at = midnight - time::Duration::days(day) + time::Duration::hours(7);
        for i in 0..PEOPLE {
            let n = PEOPLE * (day as usize) + i;
            let p = person(n, &units, &city_wards, &mut history_rng);
            at += time::Duration::seconds(3);
            journal
                .gate_enter(&GateSubject::Declared(prefill(&p, legacy, date)), at)
                .expect("enter");
        }
        // The counters' cost as the journal grows (kept apart from the
        // fill's time).
        let pause = Instant::now();
        let entries = PEOPLE * (HISTORY_DAYS - day + 1) as usize;
        let t = measure(50, || journal.gate_counters(midnight).expect("counters"));
        growth.push(format!("{entries}: {:?}", t.median));
        fill_paused += pause.elapsed();
    }
    println!("counters median by entries kept: {}", growth.join(", "));
    println!(
        "history: {} entries over {HISTORY_DAYS} days filled in {:.1} s",
        PEOPLE * HISTORY_DAYS as usize,
        (fill.elapsed() - fill_paused).as_secs_f64()
    );
    enter_all(
        &mut journal,
        &people,
        &times,
        today,
        "gate with 20 days kept",
        false,
    );
    let counters = journal.gate_counters(midnight).expect("counters");
    println!(
        "counters with 20 days kept: entered {}, left {}, inside {}",
        counters.entered, counters.left, counters.inside
    );
    let t = measure(1_000, || journal.gate_counters(midnight).expect("counters"));
    report(
        "counters with 20 days kept (21,000 entries)",
        &t,
        Duration::from_millis(5),
    );
    let t = measure(1_000, || {
        journal.gate_entries_since(midnight, 100).expect("list")
    });
    report(
        "today's list (newest 100) with 20 days kept",
        &t,
        Duration::from_millis(5),
    );

    // 5. The next day, the same 1,000 come back: each entry left open
    // yesterday is closed in the same transaction.
    let tomorrow = today + time::Duration::days(1);
    let next: Vec<OffsetDateTime> = times.iter().map(|&t| t + time::Duration::days(1)).collect();
    enter_all(
        &mut journal,
        &people,
        &next,
        tomorrow,
        "returning the next day",
        true,
    );
    let next_midnight = midnight + time::Duration::days(1);
    let counters = journal.gate_counters(next_midnight).expect("counters");
    assert_eq!(counters.entered, PEOPLE as u64);
    assert_eq!(counters.left, PEOPLE as u64);
}
