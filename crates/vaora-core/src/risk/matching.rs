//! Matching verified risky entries against the journal's visits, on the
//! device.
//!
//! The rule: a visit matches an entry when it is at the entry's venue (and
//! entrance, when the entry names one) and its stay overlaps the entry's
//! window widened by `widen` on both sides, by more than zero: half-open
//! intervals that only touch do not count.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use super::RiskyEntry;
use crate::person::PersonId;
use crate::venue::VenueId;
use crate::visit::{Visit, VisitId};

/// The stay assumed for a visit with neither a check-out nor a planned
/// automatic check-out (older records, manual entries): long enough to
/// catch a typical market or shop visit, short enough not to flag a whole
/// day.
pub const UNCLOSED_STAY: Duration = Duration::hours(1);

/// One visit that matched one risky entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposure {
    pub entry_id: u64,
    pub visit: VisitId,
    pub person: PersonId,
    /// How long the stay overlapped the entry's own (unwidened) window;
    /// zero when only the widening matched, which the UI can word as
    /// "shortly before or after".
    pub overlap: Duration,
}

/// Time as Unix nanoseconds: i128 arithmetic cannot overflow where adding a
/// large `widen` to an `OffsetDateTime` near its range end would panic.
fn ns(at: OffsetDateTime) -> i128 {
    at.unix_timestamp_nanos()
}

/// The stay `[start, end)` in nanoseconds: until the check-out (by hand, the
/// next check-in, or automatic at the default stay), else until the planned
/// automatic check-out, else `UNCLOSED_STAY` after check-in.
fn stay(visit: &Visit) -> (i128, i128) {
    let start = ns(visit.checked_in_at);
    let end = match visit.checked_out_at.or(visit.planned_checkout_at) {
        Some(end) => ns(end),
        None => start + UNCLOSED_STAY.whole_nanoseconds(),
    };
    (start, end)
}

fn duration_of(nanos: i128) -> Duration {
    const NS: i128 = 1_000_000_000;
    // Bounded by the gap between two valid datetimes, so it fits an i64 of
    // seconds; saturate rather than panic all the same.
    let secs = i64::try_from(nanos / NS).unwrap_or(i64::MAX);
    Duration::new(secs, (nanos % NS) as i32)
}

/// Entries of one venue, sorted by start, with the longest window among
/// them so a lookup can skip every entry that ends before the stay begins.
struct VenueEntries<'a> {
    by_start: Vec<(i128, i128, &'a RiskyEntry)>,
    longest: i128,
}

/// Every (entry, visit) pair that matches, in the order of `visits`, then
/// by entry start and id. Visits without a venue (typed by hand) never
/// match: a name is not a place the authority can point at. A negative
/// `widen` counts as zero.
///
/// Entries are indexed by venue, so the cost is about one hash lookup per
/// visit plus the entries that actually overlap (bench: `benches/risk.rs`).
pub fn exposures(entries: &[RiskyEntry], visits: &[Visit], widen: Duration) -> Vec<Exposure> {
    let widen = widen.max(Duration::ZERO).whole_nanoseconds();
    let mut index: HashMap<VenueId, VenueEntries<'_>> = HashMap::new();
    for e in entries {
        let (from, to) = (ns(e.from), ns(e.to));
        let slot = index.entry(e.venue).or_insert_with(|| VenueEntries {
            by_start: Vec::new(),
            longest: 0,
        });
        slot.by_start.push((from, to, e));
        slot.longest = slot.longest.max(to - from);
    }
    for slot in index.values_mut() {
        slot.by_start
            .sort_unstable_by_key(|&(from, _, e)| (from, e.id));
    }

    let mut out = Vec::new();
    for visit in visits {
        let Some(venue) = visit.venue else { continue };
        let Some(slot) = index.get(&venue) else {
            continue;
        };
        let (start, end) = stay(visit);
        if end <= start {
            continue;
        }
        // An entry can only reach the stay if from + longest + widen > start.
        let first = slot
            .by_start
            .partition_point(|&(from, _, _)| from + slot.longest + widen <= start);
        for &(from, to, e) in &slot.by_start[first..] {
            if from - widen >= end {
                break; // sorted by start: every later entry starts later still
            }
            if e.entrance.is_some_and(|n| n != visit.entrance) {
                continue;
            }
            if start.max(from - widen) >= end.min(to + widen) {
                continue;
            }
            out.push(Exposure {
                entry_id: e.id,
                visit: visit.id,
                person: visit.person,
                overlap: duration_of((end.min(to) - start.max(from)).max(0)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::EntranceNo;
    use crate::visit::{CheckoutKind, VisitSource};
    use proptest::prelude::*;
    use time::macros::datetime;
    use uuid::Uuid;

    const T0: OffsetDateTime = datetime!(2026-11-20 08:00 +7);

    fn at(minutes: i64) -> OffsetDateTime {
        T0 + Duration::minutes(minutes)
    }

    fn entry(id: u64, venue: u64, entrance: Option<u16>, from: i64, to: i64) -> RiskyEntry {
        RiskyEntry {
            id,
            venue: VenueId(venue),
            entrance: entrance.map(EntranceNo),
            from: at(from),
            to: at(to),
            advice_vi: String::new(),
            advice_en: String::new(),
        }
    }

    fn visit(n: u128, venue: Option<u64>, entrance: u16, checked_in: i64) -> Visit {
        Visit {
            id: VisitId(Uuid::from_u128(n)),
            person: PersonId(1),
            venue: venue.map(VenueId),
            entrance: EntranceNo(entrance),
            place_name: "Chợ".into(),
            commune: None,
            checked_in_at: at(checked_in),
            planned_checkout_at: None,
            checked_out_at: None,
            checkout: None,
            source: VisitSource::Scan,
            verified: true,
            unverified_reason: None,
            group: None,
        }
    }

    fn closed(mut v: Visit, out: i64, kind: CheckoutKind) -> Visit {
        v.checked_out_at = Some(at(out));
        v.checkout = Some(kind);
        v
    }

    fn ids(found: &[Exposure]) -> Vec<(u64, u128)> {
        found
            .iter()
            .map(|x| (x.entry_id, x.visit.0.as_u128()))
            .collect()
    }

    #[test]
    fn an_overlapping_stay_matches_with_its_overlap() {
        let e = [entry(1, 7, None, 0, 120)];
        let v = [closed(visit(1, Some(7), 1, 90), 150, CheckoutKind::Manual)];
        let found = exposures(&e, &v, Duration::ZERO);
        assert_eq!(ids(&found), [(1, 1)]);
        assert_eq!(found[0].overlap, Duration::minutes(30));
        assert_eq!(found[0].person, PersonId(1));
    }

    #[test]
    fn touching_boundaries_do_not_match() {
        let e = [entry(1, 7, None, 60, 120)];
        let before = closed(visit(1, Some(7), 1, 0), 60, CheckoutKind::Manual);
        let after = closed(visit(2, Some(7), 1, 120), 180, CheckoutKind::Manual);
        assert!(exposures(&e, &[before, after], Duration::ZERO).is_empty());
    }

    #[test]
    fn one_second_of_overlap_matches() {
        let e = [entry(1, 7, None, 60, 120)];
        let mut v = closed(visit(1, Some(7), 1, 0), 60, CheckoutKind::Manual);
        v.checked_out_at = Some(at(60) + Duration::seconds(1));
        let found = exposures(&e, &[v], Duration::ZERO);
        assert_eq!(found[0].overlap, Duration::seconds(1));
    }

    #[test]
    fn an_open_visit_runs_to_its_planned_checkout_else_one_hour() {
        let e = [entry(1, 7, None, 100, 200)];
        // Checked in at 0, planned check-out at 120: overlaps 100..120.
        let mut planned = visit(1, Some(7), 1, 0);
        planned.planned_checkout_at = Some(at(120));
        // Checked in at 0, nothing planned: 0..60, no overlap.
        let short = visit(2, Some(7), 1, 0);
        // Checked in at 50, nothing planned: 50..110, overlaps 100..110.
        let late = visit(3, Some(7), 1, 50);
        let found = exposures(&e, &[planned, short, late], Duration::ZERO);
        assert_eq!(ids(&found), [(1, 1), (1, 3)]);
        assert_eq!(found[0].overlap, Duration::minutes(20));
        assert_eq!(found[1].overlap, Duration::minutes(10));
    }

    #[test]
    fn the_actual_checkout_wins_over_the_planned_one() {
        let e = [entry(1, 7, None, 100, 200)];
        let mut v = closed(visit(1, Some(7), 1, 0), 90, CheckoutKind::Manual);
        v.planned_checkout_at = Some(at(180));
        assert!(exposures(&e, &[v], Duration::ZERO).is_empty());
    }

    #[test]
    fn an_automatic_checkout_counts_as_the_end_of_the_stay() {
        let e = [entry(1, 7, None, 100, 200)];
        let mut v = closed(visit(1, Some(7), 1, 40), 160, CheckoutKind::StayOver);
        v.planned_checkout_at = Some(at(160));
        let found = exposures(&e, &[v], Duration::ZERO);
        assert_eq!(found[0].overlap, Duration::minutes(60));
    }

    #[test]
    fn an_entrance_specific_entry_matches_only_that_entrance() {
        let e = [entry(1, 7, Some(2), 0, 120), entry(2, 7, None, 0, 120)];
        let v = [
            closed(visit(1, Some(7), 1, 10), 20, CheckoutKind::Manual),
            closed(visit(2, Some(7), 2, 10), 20, CheckoutKind::Manual),
        ];
        assert_eq!(
            ids(&exposures(&e, &v, Duration::ZERO)),
            [(2, 1), (1, 2), (2, 2)]
        );
    }

    #[test]
    fn another_venue_or_a_manual_visit_never_matches() {
        let e = [entry(1, 7, None, 0, 120)];
        let other = closed(visit(1, Some(8), 1, 10), 20, CheckoutKind::Manual);
        let mut manual = closed(visit(2, None, 0, 10), 20, CheckoutKind::Manual);
        manual.source = VisitSource::Manual;
        assert!(exposures(&e, &[other, manual], Duration::ZERO).is_empty());
    }

    #[test]
    fn widening_catches_near_misses_with_zero_overlap() {
        let e = [entry(1, 7, None, 60, 120)];
        let before = closed(visit(1, Some(7), 1, 0), 45, CheckoutKind::Manual);
        let after = closed(visit(2, Some(7), 1, 135), 180, CheckoutKind::Manual);
        let far = closed(visit(3, Some(7), 1, 150), 180, CheckoutKind::Manual);
        let v = [before, after, far];
        assert!(exposures(&e, &v, Duration::minutes(15)).is_empty());
        let found = exposures(&e, &v, Duration::minutes(16));
        assert_eq!(ids(&found), [(1, 1), (1, 2)]);
        assert!(found.iter().all(|x| x.overlap == Duration::ZERO));
        // Negative widening is no widening, not a narrower window.
        let inside = closed(visit(4, Some(7), 1, 61), 62, CheckoutKind::Manual);
        assert_eq!(exposures(&e, &[inside], Duration::minutes(-30)).len(), 1);
    }

    #[test]
    fn a_long_entry_is_found_behind_many_short_ones() {
        // The skip-ahead must use the longest window, not the neighbours'.
        let mut e = vec![entry(1, 7, None, 0, 10_000)];
        e.extend((2..200).map(|i| entry(i, 7, None, i as i64, i as i64 + 1)));
        let v = [closed(
            visit(1, Some(7), 1, 5_000),
            5_010,
            CheckoutKind::Manual,
        )];
        assert_eq!(ids(&exposures(&e, &v, Duration::ZERO)), [(1, 1)]);
    }

    #[test]
    fn a_visit_ending_before_it_starts_never_matches() {
        let e = [entry(1, 7, None, 0, 120)];
        let v = closed(visit(1, Some(7), 1, 60), 30, CheckoutKind::Manual);
        assert!(exposures(&e, &[v], Duration::hours(10)).is_empty());
    }

    /// The rule written the obvious way, every entry against every visit.
    fn naive(entries: &[RiskyEntry], visits: &[Visit], widen: Duration) -> Vec<Exposure> {
        let widen = widen.max(Duration::ZERO);
        let mut out = Vec::new();
        for v in visits {
            let start = v.checked_in_at;
            let end = v
                .checked_out_at
                .or(v.planned_checkout_at)
                .unwrap_or(start + Duration::hours(1));
            for e in entries {
                let same_place =
                    v.venue == Some(e.venue) && e.entrance.is_none_or(|n| n == v.entrance);
                if same_place && start.max(e.from - widen) < end.min(e.to + widen) {
                    out.push(Exposure {
                        entry_id: e.id,
                        visit: v.id,
                        person: v.person,
                        overlap: (end.min(e.to) - start.max(e.from)).max(Duration::ZERO),
                    });
                }
            }
        }
        out
    }

    fn sorted(mut x: Vec<Exposure>) -> Vec<(u128, u64, Duration)> {
        let mut out: Vec<_> = x
            .drain(..)
            .map(|e| (e.visit.0.as_u128(), e.entry_id, e.overlap))
            .collect();
        out.sort();
        out
    }

    fn arb_entry() -> impl Strategy<Value = (u64, Option<u16>, i64, i64)> {
        // Few venues, entrances and minutes so that matches, touches and
        // near misses are all common.
        (
            1u64..4,
            proptest::option::of(0u16..3),
            0i64..300,
            -5i64..200,
        )
    }

    fn arb_visit() -> impl Strategy<Value = (Option<u64>, u16, i64, Option<i64>, Option<i64>)> {
        (
            proptest::option::weighted(0.9, 1u64..4),
            0u16..3,
            0i64..300,
            proptest::option::of(-10i64..200),
            proptest::option::of(0i64..200),
        )
    }

    proptest! {
        #[test]
        fn matching_equals_the_naive_rule(
            raw_entries in proptest::collection::vec(arb_entry(), 0..40),
            raw_visits in proptest::collection::vec(arb_visit(), 0..40),
            widen in -10i64..60,
        ) {
            let entries: Vec<_> = raw_entries
                .iter()
                .enumerate()
                .map(|(i, &(venue, entrance, from, len))| {
                    entry(i as u64, venue, entrance, from, from + len)
                })
                .collect();
            let visits: Vec<_> = raw_visits
                .iter()
                .enumerate()
                .map(|(i, &(venue, entrance, start, out, planned))| {
                    let mut v = visit(i as u128, venue, entrance, start);
                    v.checked_out_at = out.map(|m| at(start + m));
                    v.planned_checkout_at = planned.map(|m| at(start + m));
                    v
                })
                .collect();
            let widen = Duration::minutes(widen);
            prop_assert_eq!(
                sorted(exposures(&entries, &visits, widen)),
                sorted(naive(&entries, &visits, widen))
            );
        }
    }
}
