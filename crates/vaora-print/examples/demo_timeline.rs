//! Writes a sample journal timeline and visit record to `target/demo/`, to
//! look at the layout: `cargo run -p vaora-print --example demo_timeline`.

use time::macros::{date, datetime, offset};
use vaora_core::person::PersonId;
use vaora_core::venue::{EntranceNo, VenueId};
use vaora_core::visit::{CheckoutKind, Visit, VisitId, VisitSource};
use vaora_print::{Timeline, TimelineEntry, VisitRecord};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let places = [
        ("Chợ Bến Thành", VisitSource::Scan, true),
        (
            "Bệnh viện Đa khoa tỉnh Quảng Ngãi — khu khám bệnh",
            VisitSource::Scan,
            false,
        ),
        ("Nhà bà Tư, thôn Phú Mỹ", VisitSource::Manual, false),
        ("Bến xe Miền Đông mới", VisitSource::Gate, true),
    ];
    let visits: Vec<Visit> = (0..40i64)
        .map(|n| {
            let (place, source, verified) = places[n as usize % places.len()];
            let at = datetime!(2026-11-20 1:10 UTC) + time::Duration::minutes(260 * n);
            Visit {
                id: VisitId::new(),
                person: PersonId(1),
                venue: (source != VisitSource::Manual).then_some(VenueId(1000 + n as u64)),
                entrance: EntranceNo(if source == VisitSource::Manual { 0 } else { 1 }),
                place_name: place.to_owned(),
                commune: None,
                checked_in_at: at,
                planned_checkout_at: None,
                checked_out_at: Some(at + time::Duration::minutes(45)),
                checkout: Some(if n % 3 == 0 {
                    CheckoutKind::StayOver
                } else {
                    CheckoutKind::Manual
                }),
                source,
                verified,
                unverified_reason: None,
                group: None,
            }
        })
        .collect();
    let entries: Vec<TimelineEntry<'_>> = visits
        .iter()
        .enumerate()
        .map(|(i, visit)| TimelineEntry {
            visit,
            person: if i % 5 == 0 {
                "Bé Na"
            } else {
                "Nguyễn Thị Ánh"
            },
        })
        .collect();
    let printed_at = datetime!(2026-11-27 3:00 UTC);
    let out = std::path::Path::new("target/demo");
    std::fs::create_dir_all(out)?;
    let timeline = Timeline {
        from: date!(2026 - 11 - 20),
        to: date!(2026 - 11 - 27),
        offset: offset!(+7),
        printed_at,
        entries: &entries,
    };
    std::fs::write(out.join("timeline.pdf"), timeline.render_pdf()?)?;
    let record = VisitRecord {
        entry: TimelineEntry {
            visit: &visits[1],
            person: "Nguyễn Thị Ánh",
        },
        offset: offset!(+7),
        printed_at,
    };
    std::fs::write(out.join("visit-record.pdf"), record.render_pdf()?)?;
    println!(
        "wrote {0}/timeline.pdf and {0}/visit-record.pdf",
        out.display()
    );
    Ok(())
}
