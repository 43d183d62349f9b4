//! Exposure alerts on the device (decision 0008):
//! - verify a downloaded list of 10,000 signed risky entries (each its own
//!   Ed25519 signature), with and without parsing its JSON;
//! - match 10,000 entries against a 5,000-visit journal (target <= 50 ms).
//!
//! Entries and visits share 2,000 venues over the same 30 days, so many
//! visits land at a risky venue and the matcher does real work; a
//! fixed-seed generator keeps runs comparable.

use std::time::Duration;

use time::OffsetDateTime;
use time::macros::{date, datetime};
use uuid::Uuid;
use vaora_bench::{measure, report};
use vaora_core::person::PersonId;
use vaora_core::risk::{RiskyEntry, RiskyList, exposures, sign_risky_entry};
use vaora_core::venue::{EntranceNo, VenueId};
use vaora_core::venue_code::{KeyId, VenueIssuer};
use vaora_core::{CheckoutKind, Visit, VisitId, VisitSource};

const START: OffsetDateTime = datetime!(2026-11-01 00:00 +7);
const VENUES: u64 = 2_000;
const MINUTES: u64 = 30 * 24 * 60;

/// xorshift64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn minutes(m: u64) -> time::Duration {
    time::Duration::minutes(m as i64)
}

fn main() {
    let issuer = VenueIssuer::from_seed(KeyId(1), &[5; 32]);
    let ring = issuer.key_ring(date!(2026 - 01 - 01), date!(2030 - 12 - 31));
    let mut rng = Rng(0x5eed_1234_abcd_ef01);

    let entries: Vec<RiskyEntry> = (1..=10_000)
        .map(|id| {
            let from = START + minutes(rng.below(MINUTES));
            RiskyEntry {
                id,
                venue: VenueId(rng.below(VENUES) + 1),
                // One entry in four names an entrance.
                entrance: (rng.below(4) == 0).then(|| EntranceNo(rng.below(3) as u16 + 1)),
                from,
                to: from + minutes(30 + rng.below(8 * 60)),
                advice_vi: "Theo dõi sức khỏe 14 ngày, gọi 1900 9095 nếu có triệu chứng.".into(),
                advice_en: "Monitor your health for 14 days; call 1900 9095 if symptoms appear."
                    .into(),
            }
        })
        .collect();
    let list = RiskyList {
        entries: entries
            .iter()
            .map(|e| sign_risky_entry(&issuer, e.clone()).expect("sign"))
            .collect(),
    };
    let json = serde_json::to_string(&list).expect("json");
    println!(
        "list of 10,000 signed entries: {} KB as JSON",
        json.len() / 1024
    );

    let t = measure(10, || {
        let verified = list.verify(&ring);
        assert_eq!(verified.entries.len(), 10_000);
        verified
    });
    report(
        "verify 10,000 signed risky entries",
        &t,
        Duration::from_secs(1),
    );
    let t = measure(10, || {
        let parsed: RiskyList = serde_json::from_str(&json).expect("parse");
        parsed.verify(&ring)
    });
    report(
        "parse JSON + verify 10,000 signed risky entries",
        &t,
        Duration::from_secs(1),
    );

    // A journal of 5,000 visits over the same month: mostly closed by hand
    // or automatically, some still open with a planned check-out.
    let visits: Vec<Visit> = (0..5_000u128)
        .map(|i| {
            let checked_in_at = START + minutes(rng.below(MINUTES));
            let stay = minutes(10 + rng.below(3 * 60));
            let (checked_out_at, planned, checkout) = match rng.below(10) {
                0 => (None, Some(checked_in_at + stay), None),
                1..=3 => (
                    Some(checked_in_at + stay),
                    Some(checked_in_at + stay),
                    Some(CheckoutKind::StayOver),
                ),
                _ => (Some(checked_in_at + stay), None, Some(CheckoutKind::Manual)),
            };
            Visit {
                id: VisitId(Uuid::from_u128(i)),
                person: PersonId(1),
                venue: Some(VenueId(rng.below(VENUES) + 1)),
                entrance: EntranceNo(rng.below(3) as u16 + 1),
                place_name: "Chợ Bến Thành".into(),
                commune: None,
                checked_in_at,
                planned_checkout_at: planned,
                checked_out_at,
                checkout,
                source: VisitSource::Scan,
                verified: true,
                unverified_reason: None,
                group: None,
            }
        })
        .collect();
    let widen = time::Duration::minutes(30);
    let found = exposures(&entries, &visits, widen);
    println!(
        "10,000 entries x 5,000 visits, widened by 30 min: {} exposures",
        found.len()
    );
    let t = measure(100, || exposures(&entries, &visits, widen));
    report(
        "match 10,000 entries against 5,000 visits",
        &t,
        Duration::from_millis(50),
    );
}
