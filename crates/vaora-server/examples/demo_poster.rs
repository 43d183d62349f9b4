//! Writes a demo poster (PNG and PDF) signed with a throwaway key, to see
//! what venues print: `cargo run -p vaora-server --example demo_poster -- OUT_DIR`.

use time::macros::date;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, KeyId, VenueCodeContent, VenueIssuer};
use vaora_server::poster::Poster;

fn main() -> anyhow::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let issuer = VenueIssuer::from_seed(KeyId(1), &[0xd3; 32]);
    let code = issuer.issue(VenueCodeContent {
        key_id: KeyId(1),
        venue: VenueId(1001),
        entrance: EntranceNo(1),
        short_name: "BV Bạch Mai".into(),
        commune: Some(CommuneCode(172)),
        kind: VenueKind::Hospital,
        default_stay_minutes: 180,
        issued_on: date!(2026 - 11 - 25),
    })?;
    let poster = Poster {
        code_text: code.to_text(DEFAULT_HOST),
        venue_name: "Bệnh viện Bạch Mai".into(),
        address: "78 Giải Phóng, Phường Kim Liên, Thành phố Hà Nội".into(),
        entrance: 1,
    };
    std::fs::write(out.join("poster.png"), poster.render_png(100)?)?;
    std::fs::write(out.join("poster.pdf"), poster.render_pdf()?)?;
    println!("wrote {}/poster.png and poster.pdf", out.display());
    Ok(())
}
