//! Writes corpus frames as PNG files to look at, or to feed other decoders:
//! `cargo run -p vaora-scan --features corpus --example corpus_png -- DIR [PER_CATEGORY]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: corpus_png DIR [PER_CATEGORY]")?);
    let per: usize = args.next().map_or(Ok(2), |a| a.parse())?;
    std::fs::create_dir_all(&dir)?;
    for s in vaora_scan::corpus::generate(1, per, &vaora_scan::corpus::default_payloads()) {
        let name = format!("{}-{:02}.png", s.category.name().replace(' ', "-"), s.index);
        let img = image::GrayImage::from_raw(
            s.frame.width() as u32,
            s.frame.height() as u32,
            s.frame.pixels().to_vec(),
        )
        .ok_or("frame size")?;
        img.save(dir.join(name))?;
    }
    Ok(())
}
