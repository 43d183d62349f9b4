//! The test vectors of `docs/venue-code.md`, kept in
//! `tests/vectors/venue-code-v1.json`: each is re-issued from its fields and
//! must give exactly the recorded bytes and text, then classify as recorded.
//! Set `VAORA_WRITE_VECTORS=1` to rewrite the file after a deliberate change.

use data_encoding::HEXLOWER;
use qrcode::{EcLevel, QrCode, Version};
use serde::{Deserialize, Serialize};
use time::Date;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{
    DEFAULT_HOST, KeyId, KeyRing, VenueCodeContent, VenueCodeError, VenueIssuer,
};
use vaora_core::{ScanContext, Scanned, classify};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

#[derive(Serialize, Deserialize)]
struct Vectors {
    issuer_seed_hex: String,
    key_ring: KeyRing,
    vectors: Vec<Vector>,
}

#[derive(Serialize, Deserialize)]
struct Vector {
    name: String,
    fields: Fields,
    /// Hex of the QR payload: signed content, then the 64-byte signature.
    payload_hex: String,
    text: String,
    qr_version_at_m: i16,
    #[serde(with = "iso_date")]
    scanned_on: Date,
    /// Text actually scanned, when it differs from `text` (a tampered copy).
    scanned_text: Option<String>,
    expected: String,
}

#[derive(Serialize, Deserialize, Clone)]
struct Fields {
    key_id: u8,
    venue: u64,
    entrance: u16,
    short_name: String,
    commune: Option<u32>,
    kind: VenueKind,
    default_stay_minutes: u16,
    #[serde(with = "iso_date")]
    issued_on: Date,
}

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/venue-code-v1.json"
);
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/venue-code.md");

fn outcome(s: &Scanned) -> String {
    match s {
        Scanned::Venue(_) => "verified".into(),
        Scanned::UnverifiedVenue { error, .. } => match error {
            VenueCodeError::BadSignature => "bad_signature".into(),
            VenueCodeError::UnknownKey(_) => "unknown_key".into(),
            VenueCodeError::Expired => "expired".into(),
            VenueCodeError::Revoked => "revoked".into(),
            other => format!("error: {other}"),
        },
        other => format!("not a venue code: {other:?}"),
    }
}

fn qr_version(text: &str) -> i16 {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("fits in a QR code")
        .version()
    {
        Version::Normal(v) | Version::Micro(v) => v,
    }
}

#[test]
fn venue_code_vectors_reproduce_exactly() {
    let mut file: Vectors = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let seed: [u8; 32] = HEXLOWER
        .decode(file.issuer_seed_hex.as_bytes())
        .unwrap()
        .try_into()
        .unwrap();
    let rewrite = std::env::var_os("VAORA_WRITE_VECTORS").is_some();
    let spec = std::fs::read_to_string(SPEC).unwrap();
    if rewrite {
        let public_key = VenueIssuer::from_seed(KeyId(1), &seed).public_key();
        file.key_ring.keys[0].public_key = public_key;
    }
    let ring = file.key_ring.clone();

    for v in &mut file.vectors {
        let f = v.fields.clone();
        let issuer = VenueIssuer::from_seed(KeyId(f.key_id), &seed);
        let code = issuer
            .issue(VenueCodeContent {
                key_id: KeyId(f.key_id),
                venue: VenueId(f.venue),
                entrance: EntranceNo(f.entrance),
                short_name: f.short_name,
                commune: f.commune.map(CommuneCode),
                kind: f.kind,
                default_stay_minutes: f.default_stay_minutes,
                issued_on: f.issued_on,
            })
            .unwrap();
        let payload_hex = HEXLOWER.encode(&code.payload());
        let text = code.to_text(DEFAULT_HOST);
        let scanned = v.scanned_text.clone().unwrap_or_else(|| text.clone());
        let got = outcome(&classify(
            &scanned,
            &ScanContext {
                key_ring: &ring,
                known_hosts: &[DEFAULT_HOST],
                today: v.scanned_on,
                now: time::OffsetDateTime::now_utc(),
            },
        ));
        if rewrite {
            v.payload_hex = payload_hex;
            v.text = text.clone();
            v.qr_version_at_m = qr_version(&text);
            continue;
        }
        assert_eq!(payload_hex, v.payload_hex, "{}: payload", v.name);
        assert_eq!(text, v.text, "{}: text", v.name);
        assert_eq!(got, v.expected, "{}: outcome", v.name);
        assert_eq!(
            qr_version(&text),
            v.qr_version_at_m,
            "{}: QR version",
            v.name
        );
        assert!(
            spec.contains(&v.text),
            "{}: docs/venue-code.md must quote the text",
            v.name
        );
        assert!(
            spec.contains(&scanned),
            "{}: docs/venue-code.md must quote the scanned text",
            v.name
        );
    }
    if rewrite {
        std::fs::write(PATH, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
    }
}

/// Small codes scan far better: a code with every field at its largest stays
/// at QR version 8 (error correction M); with the default host, a venue id
/// below 2^28 and a short name of up to 20 bytes it is version 7.
#[test]
fn venue_codes_stay_small_enough_to_scan() {
    let issuer = VenueIssuer::from_seed(KeyId(255), &[1; 32]);
    let longest_name = "Trường THPT Lê Quý Đôn HN"; // 32 bytes of UTF-8
    assert_eq!(longest_name.len(), 32);
    let largest = VenueCodeContent {
        key_id: KeyId(255),
        venue: VenueId(u64::MAX),
        entrance: EntranceNo(u16::MAX),
        short_name: longest_name.into(),
        commune: Some(CommuneCode((1 << 24) - 1)),
        kind: VenueKind::Other,
        default_stay_minutes: 1275,
        issued_on: time::macros::date!(2199 - 06 - 01),
    };
    let text = issuer.issue(largest.clone()).unwrap().to_text(DEFAULT_HOST);
    assert!(
        qr_version(&text) <= 8,
        "largest code is version {}",
        qr_version(&text)
    );

    let typical = VenueCodeContent {
        venue: VenueId((1 << 28) - 1),
        entrance: EntranceNo(3),
        short_name: "UBND phường Láng".into(), // 20 bytes
        commune: Some(CommuneCode(26_734)),
        kind: VenueKind::Hospital,
        default_stay_minutes: 180,
        issued_on: time::macros::date!(2026 - 11 - 25),
        ..largest
    };
    assert_eq!(typical.short_name.len(), 20);
    let text = issuer.issue(typical).unwrap().to_text(DEFAULT_HOST);
    assert!(
        qr_version(&text) <= 7,
        "typical code is version {}",
        qr_version(&text)
    );
}

#[test]
fn shipped_key_ring_parses() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/trusted-keys.json"
    ))
    .unwrap();
    // The reference build trusts no issuer until its server's key arrives
    // by sync; a deployment ships its own keys here. Either way it parses.
    let ring = KeyRing::from_json(&json).unwrap();
    assert_eq!(KeyRing::from_json(&ring.to_json()).unwrap(), ring);
}

#[test]
fn a_key_ring_with_a_broken_key_is_refused() {
    let dup = r#"{"keys":[
        {"id":1,"public_key":"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8","not_before":"2026-01-01","not_after":"2030-12-31"},
        {"id":1,"public_key":"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8","not_before":"2026-01-01","not_after":"2030-12-31"}]}"#;
    assert!(KeyRing::from_json(dup).is_err());
    let backwards = r#"{"keys":[{"id":1,"public_key":"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8","not_before":"2030-01-01","not_after":"2026-12-31"}]}"#;
    assert!(KeyRing::from_json(backwards).is_err());
    let short = r#"{"keys":[{"id":1,"public_key":"03a1","not_before":"2026-01-01","not_after":"2030-12-31"}]}"#;
    assert!(KeyRing::from_json(short).is_err());
    assert!(KeyRing::from_json("not json").is_err());
}
