//! The scan benchmark's corpus, shared by `benches/scan.rs` and the
//! `scan_failures` example: the seed, and the payloads its frames carry.

use time::macros::date;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_scan::corpus;

/// The seed of every published scan figure.
pub const SEED: u64 = 2026;

/// The corpus's generic payloads plus venue codes signed as the server
/// signs them, for three venues with names of different lengths.
pub fn payload_pool() -> Vec<String> {
    let issuer = VenueIssuer::from_seed(KeyId(1), &[5; 32]);
    let venues = [
        (123_456, "Chợ Bến Thành", VenueKind::Market),
        (88, "Trường THCS Nguyễn Du", VenueKind::School),
        (4_012, "BV Đa khoa Quảng Ninh", VenueKind::Hospital),
    ];
    let mut pool = corpus::default_payloads();
    for (id, name, kind) in venues {
        let code = issuer
            .issue(VenueCodeContent {
                key_id: KeyId(1),
                venue: VenueId(id),
                entrance: EntranceNo(1),
                short_name: name.into(),
                commune: Some(CommuneCode(26_734)),
                kind,
                default_stay_minutes: 60,
                issued_on: date!(2026 - 11 - 20),
            })
            .expect("issue a venue code");
        pool.push(code.to_text(DEFAULT_HOST));
    }
    pool
}
