//! A seeded corpus of camera-like 1280×720 grey frames (feature `corpus`):
//! the benchmark and the tests read the same frames, so a category that is
//! measured is a category that is tested.
//!
//! Each frame is rendered at twice the resolution and box-downsampled, so
//! module edges fall between pixels as on a sensor, then blurred (optics),
//! lit unevenly, given sensor noise and quantised; some categories are
//! JPEG-compressed. Frames depend only on `(seed, category, index)` and the
//! payload pool, never on the order they are made in.

mod render;
mod rng;

use qrcode::{EcLevel, QrCode};

use crate::GrayFrame;
use render::{Look, PosterSpec, Scene};
use rng::Rng;

pub const WIDTH: usize = 1280;
pub const HEIGHT: usize = 720;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Clean,
    Small,
    Rotated,
    Tilted,
    Blur,
    Noise,
    LowContrast,
    UnevenLight,
    Jpeg,
    Damaged,
    Inverted,
    Textured,
    TwoCodes,
    NoCode,
}

impl Category {
    pub const ALL: [Category; 14] = [
        Category::Clean,
        Category::Small,
        Category::Rotated,
        Category::Tilted,
        Category::Blur,
        Category::Noise,
        Category::LowContrast,
        Category::UnevenLight,
        Category::Jpeg,
        Category::Damaged,
        Category::Inverted,
        Category::Textured,
        Category::TwoCodes,
        Category::NoCode,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Clean => "clean",
            Category::Small => "small",
            Category::Rotated => "rotated",
            Category::Tilted => "tilted",
            Category::Blur => "blur",
            Category::Noise => "noise",
            Category::LowContrast => "low contrast",
            Category::UnevenLight => "uneven light",
            Category::Jpeg => "heavy jpeg",
            Category::Damaged => "damaged",
            Category::Inverted => "inverted",
            Category::Textured => "textured bg",
            Category::TwoCodes => "two codes",
            Category::NoCode => "no code",
        }
    }
}

/// One generated frame and what it carries.
pub struct Sample {
    pub category: Category,
    pub index: usize,
    pub frame: GrayFrame,
    /// The payloads in the frame (none for [`Category::NoCode`]).
    pub payloads: Vec<String>,
    /// QR version of each payload, same order.
    pub versions: Vec<usize>,
}

/// Payloads people meet at a door: venue codes as issued (two vectors of
/// `docs/venue-code.md`), ID-card lines, URLs, a bank transfer, a Wi-Fi
/// login and a contact card (the large versions). Callers may add more,
/// e.g. freshly signed venue codes.
pub fn default_payloads() -> Vec<String> {
    [
        "HTTPS://VAORA.VN/V/AEA4BRAHAEAGQ3QFBQE5GESDNDQ3XIZAILQ3VP3OEBKGRQ5ANZUOJMS65YG3W4PB34PC6DKXFMF33UA73LTOZVI45HOALCRUZHPSIHU3I4DTCH2CD3322YED72P4ONXVRVJNOHANYHYN5E7AT2ZAYPCLAY",
        "HTTPS://VAORA.VN/V/AEAQOAIAAAAAIBQJ2MAO2E54EBPAYCY7NSCMUTKV7WJEX5DUX2FL63HNLLDB6J6RQPDVZFWXMASUTTBZRLDFBPJU7CO224E6UVXWCCBZNH4AQZ7LCGMK6VFRAA",
        "079203001234|025123456|Nguyễn Thị Minh Khai|15081990|Nữ|12 Lý Tự Trọng, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|01072021",
        "001099012345||Trần Văn Bình|02021985|Nam|Số 5 ngõ 12 Láng Hạ, Phường Thành Công, Quận Ba Đình, Hà Nội|15032022",
        "https://tokhaiyte.vn/",
        "https://vaora.vn/huong-dan?ma=QN-0412",
        "00020101021138570010A000000727012700069704160113VAORA0123456780208QRIBFTTA53037045802VN62150811Dien tich A6304B1C2",
        "WIFI:T:WPA;S:Cho Ben Thanh - Khach;P:benthanh2026;;",
        "BEGIN:VCARD\nVERSION:3.0\nN:Nguyễn;Văn An;;;\nFN:Nguyễn Văn An\nORG:Ban quản lý chợ Bến Thành\nTITLE:Trưởng ban kiểm dịch\nTEL;TYPE=CELL:+84 912 345 678\nEMAIL:an.nguyen@benthanh.example.vn\nADR:;;Lê Lợi;Phường Bến Thành;TP. Hồ Chí Minh;;Việt Nam\nURL:https://benthanh.example.vn/kiem-dich\nEND:VCARD",
        "Điểm kiểm dịch số 7 — Nhà văn hoá phường Đống Đa. Vui lòng đeo khẩu trang, sát khuẩn tay và khai báo y tế trước khi vào. Cảm ơn!",
    ]
    .map(String::from)
    .to_vec()
}

/// The whole corpus: `per_category` frames of every category.
pub fn generate(seed: u64, per_category: usize, pool: &[String]) -> Vec<Sample> {
    Category::ALL
        .iter()
        .flat_map(|&c| (0..per_category).map(move |i| (c, i)))
        .filter_map(|(c, i)| sample(seed, c, i, pool))
        .collect()
}

/// One frame; `None` only when the pool is empty or a payload is too big
/// for a QR code.
pub fn sample(seed: u64, category: Category, index: usize, pool: &[String]) -> Option<Sample> {
    let mut rng = Rng::new(
        seed ^ (category as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)
            ^ (index as u64 + 1).wrapping_mul(0xE703_7ED1_A0B4_28DB),
    );
    let mut look = Look::camera(&mut rng);
    let mut posters = Vec::new();
    let mut payloads = Vec::new();
    let mut versions = Vec::new();
    let count = match category {
        Category::NoCode => 0,
        Category::TwoCodes => 2,
        _ => 1,
    };
    for n in 0..count {
        let text = pick_payload(&mut rng, pool, &payloads)?;
        let ec = match rng.below(6) {
            0 => EcLevel::L,
            1 => EcLevel::Q,
            _ => EcLevel::M, // what our posters print
        };
        let code = QrCode::with_error_correction_level(text.as_bytes(), ec).ok()?;
        versions.push(match code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v as usize,
        });
        posters.push(PosterSpec::for_category(&mut rng, category, &code, n));
        payloads.push(text);
    }
    look.adjust_for(&mut rng, category);
    let frame = Scene::new(&mut rng, category, posters, look).render(&mut rng);
    Some(Sample {
        category,
        index,
        frame,
        payloads,
        versions,
    })
}

fn pick_payload(rng: &mut Rng, pool: &[String], taken: &[String]) -> Option<String> {
    if pool.is_empty() {
        return None;
    }
    let start = rng.below(pool.len());
    (0..pool.len())
        .map(|k| &pool[(start + k) % pool.len()])
        .find(|p| !taken.contains(p))
        .cloned()
}
