//! The 2025 administrative units: parsing the shipped list (once per app
//! start, on first use) and the picker's search, run on every keystroke.
//! Targets: parse <= 20 ms, one search over every commune <= 1 ms.

use std::time::Duration;

use vaora_bench::{measure, report};
use vaora_core::ProvinceCode;
use vaora_core::admin_units::{AdminUnits, fold};

const LIST: &str = include_str!("../../assets/admin-units-2025.tsv");

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
}
