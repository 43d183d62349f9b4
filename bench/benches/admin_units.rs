//! The 2025 administrative units: parsing the shipped list (once per app
//! start, on first use) and the picker's search, run on every keystroke;
//! parsing the pre-2025 mapping (on first use) and converting a card's
//! address with it, once per scanned card.
//! Targets: parse <= 20 ms, one search over every commune <= 1 ms, parse
//! the mapping <= 50 ms, one conversion <= 1 ms.

use std::time::Duration;

use vaora_bench::{measure, report};
use vaora_core::ProvinceCode;
use vaora_core::admin_units::{AdminUnits, LegacyUnits, fold};

const LIST: &str = include_str!("../../assets/admin-units-2025.tsv");
const LEGACY: &str = include_str!("../../assets/admin-units-legacy.tsv");

fn main() {
    let t = measure(200, || AdminUnits::parse(LIST).expect("shipped list"));
    report(
        "parse the list (34 provinces, 3,321 communes)",
        &t,
        Duration::from_millis(20),
    );

    let units = AdminUnits::embedded();
    // Each case is a kind of keystroke: a full name (found early), a
    // prefix, a type word matching a third of the list, one letter (the
    // most matches), a typo matching nothing (every name read to the end),
    // and the same inside one province.
    let cases: [(&str, &str, Option<ProvinceCode>); 8] = [
        ("search \"ha noi\" (exact province)", "ha noi", None),
        ("search \"dong da\" (exact commune)", "dong da", None),
        (
            "search \"Phường Đống Đa\" (type, diacritics)",
            "Phường Đống Đa",
            None,
        ),
        ("search \"ng\" (prefix)", "ng", None),
        ("search \"phuong\" (a type word)", "phuong", None),
        ("search \"a\" (one letter)", "a", None),
        ("search \"qqq\" (no match)", "qqq", None),
        (
            "search \"phu\" in Hồ Chí Minh",
            "phu",
            Some(ProvinceCode(79)),
        ),
    ];
    for (name, query, province) in cases {
        let t = measure(20_000, || units.search(query, province, 20));
        report(name, &t, Duration::from_millis(1));
    }
    let t = measure(20_000, || units.search("", Some(ProvinceCode(1)), 200));
    report(
        "empty query in Hà Nội (its 126 communes, limit 200)",
        &t,
        Duration::from_millis(1),
    );
    let t = measure(20_000, || fold("Phường Văn Miếu - Quốc Tử Giám"));
    report("fold one name", &t, Duration::from_micros(10));

    let t = measure(50, || {
        LegacyUnits::parse(LEGACY, units).expect("shipped mapping")
    });
    report(
        "parse the pre-2025 mapping (10,035 wards)",
        &t,
        Duration::from_millis(50),
    );

    let legacy = LegacyUnits::embedded();
    // A card's address as printed (its ward split in 2025), the same kind
    // abbreviated, a commune of a province merged in 2025, one with the
    // district missing (the ward looked for in the whole province), one
    // already in 2025 units (read as old units first), and one that
    // matches nothing after its province (every reading tried).
    let addresses: [(&str, &str, bool); 6] = [
        (
            "convert a card's address (Hà Nội)",
            "Số 12 ngõ 34 Tôn Đức Thắng, Phường Quốc Tử Giám, Quận Đống Đa, Thành phố Hà Nội",
            true,
        ),
        ("convert \"P.5, Q.3, TP.HCM\"", "P.5, Q.3, TP.HCM", true),
        (
            "convert a commune of a merged province (Đắk Nông)",
            "Bon Phi Mur, Xã Đắk Plao, Huyện Đắk Glong, Tỉnh Đắk Nông",
            true,
        ),
        (
            "convert with the district missing (Thanh Hóa)",
            "Xã Nga Thành, Thanh Hóa",
            true,
        ),
        (
            "convert an address already in 2025 units",
            "12 Lý Tự Trọng, Phường Bến Thành, TP.HCM",
            true,
        ),
        (
            "convert an unknown ward",
            "Thôn 1, Xã Không Có, Huyện Không Có, Thanh Hóa",
            false,
        ),
    ];
    for (name, address, converts) in addresses {
        assert_eq!(
            legacy.convert_address(address).is_some(),
            converts,
            "{address}"
        );
        let t = measure(20_000, || legacy.convert_address(address));
        report(name, &t, Duration::from_millis(1));
    }
}
