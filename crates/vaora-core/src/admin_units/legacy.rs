//! Addresses written in the units before 1 July 2025, converted to the
//! 2025 province and commune.
//!
//! A citizen ID card (CCCD) prints the address in the old units: "street,
//! ward, district, province", 63 provinces. The declaration needs the 2025
//! province and commune, so the gate form is prefilled by converting it.
//! The mapping ships in `assets/admin-units-legacy.tsv`, written by
//! `scripts/admin-units` from the same source as the 2025 list (decision
//! 0006).
//!
//! Matching compares names folded ([`super::fold`], punctuation dropped)
//! and without their unit type, so "Phường 05", "P.5", "p5" and "5" are
//! the same ward; a type that is written only breaks ties ("Thị trấn Thạnh
//! An" and "Xã Thạnh An" share a district), and so do diacritics that are
//! written ("Xã Minh Quán" and "Xã Minh Quân" do too). Former names (a
//! ward merged into another before 2025) are aliases of the unit that took
//! them in.

use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::Serialize;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use super::{AdminUnits, ProvinceCode, search_key};
use crate::venue::CommuneCode;

/// The shipped mapping. Its header says where it comes from and its licence.
const EMBEDDED: &str = include_str!("../../../../assets/admin-units-legacy.tsv");

/// An address in the 2025 units, for the declaration form to prefill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConvertedAddress {
    pub province: ProvinceCode,
    /// The communes of `province` the address can be in, best first, never
    /// empty. More than one when the old ward was split across several
    /// (the source's default first) or the text fits several units equally
    /// well: staff pick, since only they can ask the person.
    pub communes: Vec<CommuneCode>,
    /// What came before the ward ("Số 12 ngõ 34 Tôn Đức Thắng"), trimmed,
    /// its own commas kept; empty when there was nothing.
    pub street: String,
}

/// A line of the mapping that is not what `scripts/admin-units` writes.
/// Like [`super::AdminUnitsError`], only a file from elsewhere can have one
/// (a test parses the shipped file), so it has no message key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LegacyUnitsError {
    #[error("line {line}: record type {found:?}, expected P, D or W")]
    UnknownRecord { line: usize, found: String },
    #[error("line {line}: {found} fields, expected {expected}")]
    FieldCount {
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error("line {line}: {field} {found:?} is not a code")]
    BadCode {
        line: usize,
        field: &'static str,
        found: String,
    },
    #[error("line {line}: {name:?} does not start with a unit type of its level")]
    NoUnitType { line: usize, name: String },
    #[error("line {line}: alias {found:?} is not lowercase ASCII letters and digits")]
    BadAlias { line: usize, found: String },
    #[error("line {line}: communes {found:?}: expected one, or several with exactly one marked *")]
    BadCommunes { line: usize, found: String },
    #[error("line {line}: {what} {code} appears twice")]
    Duplicate {
        line: usize,
        what: &'static str,
        code: u32,
    },
    #[error("line {line}: {what} {code} is not in the list")]
    Unknown {
        line: usize,
        what: &'static str,
        code: u32,
    },
    #[error("line {line}: commune {commune:?} is not in {province:?}, where the old province went")]
    CommuneOutsideProvince {
        line: usize,
        commune: CommuneCode,
        province: ProvinceCode,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    District,
    Ward,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitType {
    Tinh,
    ThanhPho,
    Quan,
    Huyen,
    ThiXa,
    Phuong,
    Xa,
    ThiTran,
    DacKhu,
}

impl UnitType {
    /// How a typed alias of the mapping starts ("phuong13", "quan9"): the
    /// script writes them with the full type word, so an abbreviation that
    /// was typed ("P.13") still finds them.
    fn key(self) -> &'static str {
        match self {
            UnitType::Tinh => "tinh",
            UnitType::ThanhPho => "thanhpho",
            UnitType::Quan => "quan",
            UnitType::Huyen => "huyen",
            UnitType::ThiXa => "thixa",
            UnitType::Phuong => "phuong",
            UnitType::Xa => "xa",
            UnitType::ThiTran => "thitran",
            UnitType::DacKhu => "dackhu",
        }
    }

    fn fits(self, level: Level) -> bool {
        match self {
            UnitType::Tinh => level == Level::Province,
            // Hà Nội is a thành phố, and so is Thủ Đức inside Hồ Chí Minh.
            UnitType::ThanhPho => level != Level::Ward,
            UnitType::Quan | UnitType::Huyen | UnitType::ThiXa => level == Level::District,
            UnitType::Phuong | UnitType::Xa | UnitType::ThiTran | UnitType::DacKhu => {
                level == Level::Ward
            }
        }
    }
}

/// Unit types written in full, as folded words; two-word ones first so
/// "thi xa" is not read as "thi" + a name.
const TYPE_WORDS: [(&[&str], UnitType); 9] = [
    (&["thanh", "pho"], UnitType::ThanhPho),
    (&["thi", "tran"], UnitType::ThiTran),
    (&["thi", "xa"], UnitType::ThiXa),
    (&["dac", "khu"], UnitType::DacKhu),
    (&["phuong"], UnitType::Phuong),
    (&["xa"], UnitType::Xa),
    (&["quan"], UnitType::Quan),
    (&["huyen"], UnitType::Huyen),
    (&["tinh"], UnitType::Tinh),
];

/// The abbreviations on forms and cards: "P.5", "Q. 3", "TP.HCM", "TX Sơn
/// Tây", "H. Ba Vì", "TT. Chợ Mới", "F.5" (a Hồ Chí Minh habit).
const ABBREVIATIONS: [(&str, UnitType); 9] = [
    ("tp", UnitType::ThanhPho),
    ("tx", UnitType::ThiXa),
    ("tt", UnitType::ThiTran),
    ("p", UnitType::Phuong),
    ("f", UnitType::Phuong),
    ("x", UnitType::Xa),
    ("q", UnitType::Quan),
    ("h", UnitType::Huyen),
    ("t", UnitType::Tinh),
];

/// A name as the matcher compares it: folded words joined with no spaces
/// ("Bà Rịa - Vũng Tàu" → "bariavungtau", the source's alias form).
#[derive(Debug)]
struct Unit {
    /// Without its type; a number without leading zeros ("Phường 05" → "5").
    key: Box<str>,
    /// `key` with its diacritics ("minhquán" beside "minhquân"), for ties.
    accented: Box<str>,
    ty: Option<UnitType>,
    aliases: Box<[Box<str>]>,
}

/// One comma-separated part of an address, read for one level.
#[derive(Debug)]
struct Written {
    /// The type, when the text starts with one that fits the level.
    ty: Option<UnitType>,
    /// The name without that type, numbers without leading zeros.
    bare: String,
    /// `bare` with the diacritics as written, when they can be lined up.
    accented: Option<String>,
    /// The full type word and `bare`: "P.13" → "phuong13".
    typed: Option<String>,
    /// Every word, type or not: a name that starts with a type-like word
    /// ("Phương Độ" reads as "Phường Độ") is still found whole.
    whole: String,
}

impl Written {
    fn new(text: &str, level: Level) -> Written {
        let key = search_key(text);
        let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let accented_key = accented_key(text);
        let mut accented: Option<Vec<&str>> =
            Some(accented_key.split(' ').filter(|w| !w.is_empty()).collect())
                .filter(|a: &Vec<&str>| a.len() == words.len());
        if let Some(first) = words.first().copied()
            && let Some(at) = glued_type(first)
        {
            let (ty, rest) = first.split_at(at);
            words.splice(0..1, [ty, rest]);
            // Only ASCII is cut ("tphcm", "p5"), so the accented word is
            // the same bytes and cuts at the same place.
            if let Some(a) = accented.as_mut()
                && a[0].len() == first.len()
                && a[0].is_char_boundary(at)
            {
                let (ty, rest) = a[0].split_at(at);
                a.splice(0..1, [ty, rest]);
            } else {
                accented = None;
            }
        }
        let whole: String = words.concat();
        let found = TYPE_WORDS
            .iter()
            .find(|(type_words, _)| words.len() > type_words.len() && words.starts_with(type_words))
            .map(|(type_words, ty)| (type_words.len(), *ty))
            .or_else(|| {
                let first = *words.first()?;
                let (_, ty) = ABBREVIATIONS.iter().find(|(a, _)| *a == first)?;
                (words.len() > 1).then_some((1, *ty))
            })
            .filter(|(_, ty)| ty.fits(level));
        let skip = found.map_or(0, |(skip, _)| skip);
        let bare = number(words[skip..].concat());
        // Text typed with no diacritics at all says nothing about them:
        // "nga thanh" is Nga Thanh or Nga Thành. "Xã Nga Thanh" does.
        let accented = accented
            .filter(|a| a.concat() != whole)
            .map(|a| number(a[skip..].concat()));
        Written {
            ty: found.map(|(_, ty)| ty),
            typed: found.map(|(_, ty)| format!("{}{bare}", ty.key())),
            bare,
            accented,
            whole,
        }
    }

    /// How well this names `unit`, if at all: its own name over a former
    /// one (an alias), then the written type agreeing, then the written
    /// diacritics.
    fn quality(&self, unit: &Unit) -> Option<u8> {
        if self.whole.is_empty() {
            return None;
        }
        let typed = u8::from(self.ty.is_some() && self.ty == unit.ty);
        if *self.bare == *unit.key {
            let accented = self
                .accented
                .as_deref()
                .is_some_and(|a| !unit.accented.is_empty() && *a == *unit.accented);
            return Some(8 + 2 * typed + u8::from(accented));
        }
        if *self.whole == *unit.key {
            return Some(8);
        }
        let alias = |key: &str| unit.aliases.iter().any(|a| **a == *key);
        (alias(&self.bare) || alias(&self.whole) || self.typed.as_deref().is_some_and(alias))
            .then_some(4 + 2 * typed)
    }
}

/// Where a type glued to the name ends in a first word: "tphcm", "p5",
/// "q10", "phuong05". Only the abbreviations no Vietnamese word starts
/// with (tp, tx, tt) are cut before letters; others only before a number.
fn glued_type(word: &str) -> Option<usize> {
    if ["tp", "tx", "tt"]
        .iter()
        .any(|a| word.len() > a.len() && word.starts_with(a))
    {
        return Some(2);
    }
    let at = word.find(|c: char| c.is_ascii_digit())?;
    let (ty, digits) = word.split_at(at);
    let is_type = ABBREVIATIONS.iter().any(|(a, _)| *a == ty)
        || TYPE_WORDS.iter().any(|(w, _)| w.len() == 1 && w[0] == ty);
    (is_type && digits.bytes().all(|b| b.is_ascii_digit())).then_some(at)
}

/// [`search_key`] keeping the diacritics (lowercase, NFC): the same words,
/// so the type can be cut from both alike.
fn accented_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfc().flat_map(char::to_lowercase) {
        match c {
            '\'' | '\u{2019}' | '\u{02bc}' => {}
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// "05" → "5", so a ward number matches however it is padded.
fn number(key: String) -> String {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return key;
    }
    match key.trim_start_matches('0') {
        "" => "0".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

#[derive(Debug)]
struct OldProvince {
    unit: Unit,
    new: ProvinceCode,
    /// The 2025 province has this name too (Hà Nội, not Hà Giang): then
    /// "commune, province" can be an address already in the 2025 units.
    keeps_name: bool,
    districts: Range<usize>,
    wards: Range<usize>,
}

#[derive(Debug)]
struct OldDistrict {
    unit: Unit,
    /// An island district with no wards (Côn Đảo, Lý Sơn) became one
    /// 2025 commune (đặc khu) whole.
    island: Option<CommuneCode>,
    wards: Range<usize>,
}

#[derive(Debug)]
struct OldWard {
    unit: Unit,
    /// Where it went, the source's default first.
    communes: Box<[CommuneCode]>,
}

#[derive(Debug)]
struct NewCommune {
    code: CommuneCode,
    unit: Unit,
}

/// The units before 1 July 2025 and the 2025 communes each went to.
#[derive(Debug)]
pub struct LegacyUnits {
    /// By code.
    provinces: Vec<OldProvince>,
    /// By province, then code: each province's districts are one slice.
    districts: Vec<OldDistrict>,
    /// By district, then code: each district's (and so each province's)
    /// wards are one slice.
    wards: Vec<OldWard>,
    /// The 2025 communes by province, for addresses already in 2025 units.
    new_communes: Vec<NewCommune>,
    /// `new_communes[range]` are the communes of the province.
    new_ranges: Vec<(ProvinceCode, Range<usize>)>,
}

struct RawProvince<'a> {
    code: u16,
    name: &'a str,
    new: u16,
    aliases: &'a str,
    line: usize,
}

struct RawDistrict<'a> {
    code: u16,
    province: u16,
    name: &'a str,
    aliases: &'a str,
    island: Option<u32>,
    line: usize,
}

struct RawWard<'a> {
    code: u32,
    district: u16,
    name: &'a str,
    communes: &'a str,
    aliases: &'a str,
    line: usize,
}

impl LegacyUnits {
    /// The shipped mapping, parsed on first use (see
    /// `bench/benches/admin_units.rs`) and kept, checked against the
    /// shipped 2025 list.
    pub fn embedded() -> &'static LegacyUnits {
        static UNITS: OnceLock<LegacyUnits> = OnceLock::new();
        UNITS.get_or_init(|| {
            // Compiled in, and `the_shipped_mapping_parses_and_covers_every_unit`
            // parses it: failing here is a build whose tests never passed,
            // not bad input.
            LegacyUnits::parse(EMBEDDED, AdminUnits::embedded())
                .expect("assets/admin-units-legacy.tsv parses (tested)")
        })
    }

    /// Parses the format `scripts/admin-units` writes (see the file's
    /// header), in any line order, and checks every 2025 province and
    /// commune it names against `units`.
    pub fn parse(text: &str, units: &AdminUnits) -> Result<LegacyUnits, LegacyUnitsError> {
        let mut raw_provinces = Vec::new();
        let mut raw_districts = Vec::new();
        let mut raw_wards = Vec::new();
        for (at, line) in text.lines().enumerate() {
            let line_no = at + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let expect_fields = |expected: usize| {
                if fields.len() == expected {
                    Ok(())
                } else {
                    Err(LegacyUnitsError::FieldCount {
                        line: line_no,
                        expected,
                        found: fields.len(),
                    })
                }
            };
            match fields[0] {
                "P" => {
                    expect_fields(5)?;
                    raw_provinces.push(RawProvince {
                        code: code(fields[1], line_no, "old province code")?,
                        name: fields[2],
                        new: code(fields[3], line_no, "province code")?,
                        aliases: fields[4],
                        line: line_no,
                    });
                }
                "D" => {
                    expect_fields(6)?;
                    raw_districts.push(RawDistrict {
                        code: code(fields[1], line_no, "old district code")?,
                        province: code(fields[2], line_no, "old province code")?,
                        name: fields[3],
                        aliases: fields[4],
                        island: match fields[5] {
                            "" => None,
                            c => Some(code(c, line_no, "commune code")?),
                        },
                        line: line_no,
                    });
                }
                "W" => {
                    expect_fields(6)?;
                    raw_wards.push(RawWard {
                        code: code(fields[1], line_no, "old ward code")?,
                        district: code(fields[2], line_no, "old district code")?,
                        name: fields[3],
                        communes: fields[4],
                        aliases: fields[5],
                        line: line_no,
                    });
                }
                other => {
                    return Err(LegacyUnitsError::UnknownRecord {
                        line: line_no,
                        found: other.to_owned(),
                    });
                }
            }
        }

        raw_provinces.sort_by_key(|p| p.code);
        no_duplicates(&raw_provinces, "old province", |p| {
            (u32::from(p.code), p.line)
        })?;
        raw_districts.sort_by_key(|d| d.code);
        no_duplicates(&raw_districts, "old district", |d| {
            (u32::from(d.code), d.line)
        })?;
        raw_wards.sort_by_key(|w| w.code);
        no_duplicates(&raw_wards, "old ward", |w| (w.code, w.line))?;

        let mut provinces = Vec::with_capacity(raw_provinces.len());
        for p in &raw_provinces {
            let new = ProvinceCode(p.new);
            let Some(new_province) = units.province(new) else {
                return Err(LegacyUnitsError::Unknown {
                    line: p.line,
                    what: "province",
                    code: u32::from(p.new),
                });
            };
            let unit = unit(p.name, Level::Province, p.aliases, p.line)?;
            provinces.push(OldProvince {
                keeps_name: *number(search_key(&new_province.short_name).replace(' ', ""))
                    == *unit.key,
                unit,
                new,
                districts: 0..0,
                wards: 0..0,
            });
        }
        let province_at = |code: u16, line: usize| {
            raw_provinces
                .binary_search_by_key(&code, |p| p.code)
                .map_err(|_| LegacyUnitsError::Unknown {
                    line,
                    what: "old province",
                    code: u32::from(code),
                })
        };

        // Districts in province order; `district_at` finds one by code.
        let mut ordered: Vec<(usize, &RawDistrict<'_>)> = raw_districts
            .iter()
            .map(|d| Ok((province_at(d.province, d.line)?, d)))
            .collect::<Result<_, LegacyUnitsError>>()?;
        ordered.sort_by_key(|&(p, d)| (p, d.code));
        let mut district_index: Vec<(u16, usize)> = ordered
            .iter()
            .enumerate()
            .map(|(at, (_, d))| (d.code, at))
            .collect();
        district_index.sort_unstable();
        let district_at = |code: u16, line: usize| {
            district_index
                .binary_search_by_key(&code, |&(c, _)| c)
                .map(|at| district_index[at].1)
                .map_err(|_| LegacyUnitsError::Unknown {
                    line,
                    what: "old district",
                    code: u32::from(code),
                })
        };

        let mut wards_ordered: Vec<(usize, &RawWard<'_>)> = raw_wards
            .iter()
            .map(|w| Ok((district_at(w.district, w.line)?, w)))
            .collect::<Result<_, LegacyUnitsError>>()?;
        wards_ordered.sort_by_key(|&(d, w)| (d, w.code));

        let mut districts = Vec::with_capacity(ordered.len());
        for &(p, d) in &ordered {
            let island = d
                .island
                .map(|c| in_province(units, CommuneCode(c), provinces[p].new, d.line))
                .transpose()?;
            districts.push(OldDistrict {
                unit: unit(d.name, Level::District, d.aliases, d.line)?,
                island,
                wards: 0..0,
            });
        }
        let mut wards = Vec::with_capacity(wards_ordered.len());
        for &(d, w) in &wards_ordered {
            let province = provinces[ordered[d].0].new;
            wards.push(OldWard {
                unit: unit(w.name, Level::Ward, w.aliases, w.line)?,
                communes: communes(w.communes, w.line)?
                    .into_iter()
                    .map(|c| in_province(units, c, province, w.line))
                    .collect::<Result<_, _>>()?,
            });
        }

        // The slices: orders above keep each parent's children together.
        for (at, run) in runs(&wards_ordered, |&(d, _)| d) {
            districts[at].wards = run;
        }
        for (at, run) in runs(&wards_ordered, |&(d, _)| ordered[d].0) {
            provinces[at].wards = run;
        }
        for (at, run) in runs(&ordered, |&(p, _)| p) {
            provinces[at].districts = run;
        }

        let mut new_communes = Vec::new();
        let mut new_ranges = Vec::new();
        for p in units.provinces() {
            let start = new_communes.len();
            for c in units.communes_of(p.code) {
                new_communes.push(NewCommune {
                    code: c.code,
                    unit: Unit {
                        key: number(search_key(&c.short_name).replace(' ', "")).into(),
                        accented: number(accented_key(&c.short_name).replace(' ', "")).into(),
                        ty: Written::new(&c.name, Level::Ward).ty,
                        aliases: Box::new([]),
                    },
                });
            }
            new_ranges.push((p.code, start..new_communes.len()));
        }

        Ok(LegacyUnits {
            provinces,
            districts,
            wards,
            new_communes,
            new_ranges,
        })
    }

    /// The 2025 province and communes of an address written "street, ward,
    /// district, province" in the old units (as a citizen ID card prints
    /// it), or already "street, commune, province" in the 2025 units.
    ///
    /// Tolerant of what people and cards do: no diacritics, any case, unit
    /// types abbreviated ("P.5, Q.3, TP.HCM") or left out, a province
    /// without "Tỉnh"/"Thành phố" or by nickname (HCM, HN), a ward's former
    /// name, a trailing "Việt Nam". A district that is missing or does not
    /// match is passed over when the ward's name alone finds one old ward
    /// of the province. `None` when the text names no known place, or only
    /// a ward name several old wards share: staff then pick by hand.
    pub fn convert_address(&self, text: &str) -> Option<ConvertedAddress> {
        let mut parts = parts(text);
        if parts.last().is_some_and(|p| {
            matches!(
                search_key(&text[p.clone()]).as_str(),
                "viet nam" | "vietnam" | "vn"
            )
        }) {
            parts.pop();
        }
        let n = parts.len();
        if n < 2 {
            return None;
        }
        let part = |at: usize| &text[parts[at].clone()];
        let found = |province: ProvinceCode, communes: Vec<CommuneCode>, at: usize| {
            Some(ConvertedAddress {
                province,
                communes,
                street: text[..parts[at].start]
                    .trim_matches(|c: char| c == ',' || c.is_whitespace())
                    .to_owned(),
            })
        };

        let provinces = self.provinces_named(part(n - 1));
        // "ward, district, province": the fullest reading first.
        for &p in &provinces {
            let new = self.provinces[p].new;
            if n >= 3
                && let Some(communes) = self.in_district(p, part(n - 2), part(n - 3))
            {
                return found(new, communes, n - 3);
            }
            if let Some(commune) = self.island(p, part(n - 2)) {
                return found(new, vec![commune], n - 2);
            }
        }
        // "commune, province" in the 2025 units.
        for &p in &provinces {
            let province = &self.provinces[p];
            if province.keeps_name
                && let Some(communes) = self.new_commune(province.new, part(n - 2))
            {
                return found(province.new, communes, n - 2);
            }
        }
        // "ward, province", or a district that did not match.
        for at in [Some(n - 2), n.checked_sub(3)].into_iter().flatten() {
            for &p in &provinces {
                if let Some(communes) = self.in_province(p, part(at)) {
                    return found(self.provinces[p].new, communes, at);
                }
            }
        }
        None
    }

    /// The old provinces `text` names, best match first.
    fn provinces_named(&self, text: &str) -> Vec<usize> {
        let written = Written::new(text, Level::Province);
        let mut found: Vec<(u8, usize)> = self
            .provinces
            .iter()
            .enumerate()
            .filter_map(|(at, p)| Some((written.quality(&p.unit)?, at)))
            .collect();
        found.sort_by_key(|&(quality, at)| (std::cmp::Reverse(quality), at));
        found.into_iter().map(|(_, at)| at).collect()
    }

    /// The communes of the ward `ward` of district `district` of province
    /// `p`: the best-named ward first, its district's name breaking ties.
    fn in_district(&self, p: usize, district: &str, ward: &str) -> Option<Vec<CommuneCode>> {
        let district = Written::new(district, Level::District);
        let ward = Written::new(ward, Level::Ward);
        let mut best = Best::default();
        for d in &self.districts[self.provinces[p].districts.clone()] {
            let Some(dq) = district.quality(&d.unit) else {
                continue;
            };
            for at in d.wards.clone() {
                if let Some(wq) = ward.quality(&self.wards[at].unit) {
                    best.offer((wq, dq), at);
                }
            }
        }
        self.communes_of(&best.hits)
    }

    /// The ward `ward` anywhere in province `p`, if its name finds one
    /// (or several that went to the same communes).
    fn in_province(&self, p: usize, ward: &str) -> Option<Vec<CommuneCode>> {
        let ward = Written::new(ward, Level::Ward);
        let mut best = Best::default();
        for at in self.provinces[p].wards.clone() {
            if let Some(q) = ward.quality(&self.wards[at].unit) {
                best.offer((q, 0), at);
            }
        }
        let (first, rest) = best.hits.split_first()?;
        let same = rest
            .iter()
            .all(|&at| self.wards[at].communes == self.wards[*first].communes);
        // "Phường 5" is in a dozen districts of Hồ Chí Minh: guessing one
        // would prefill a wrong address that looks right.
        same.then(|| self.wards[*first].communes.to_vec())
    }

    fn island(&self, p: usize, district: &str) -> Option<CommuneCode> {
        let district = Written::new(district, Level::District);
        let mut best = Best::default();
        for at in self.provinces[p].districts.clone() {
            let d = &self.districts[at];
            if let (Some(_), Some(q)) = (d.island, district.quality(&d.unit)) {
                best.offer((q, 0), at);
            }
        }
        self.districts[*best.hits.first()?].island
    }

    fn new_commune(&self, province: ProvinceCode, commune: &str) -> Option<Vec<CommuneCode>> {
        let (_, range) = self.new_ranges.iter().find(|(p, _)| *p == province)?;
        let commune = Written::new(commune, Level::Ward);
        let mut best = Best::default();
        for at in range.clone() {
            if let Some(q) = commune.quality(&self.new_communes[at].unit) {
                best.offer((q, 0), at);
            }
        }
        let found: Vec<CommuneCode> = best
            .hits
            .iter()
            .map(|&at| self.new_communes[at].code)
            .collect();
        (!found.is_empty()).then_some(found)
    }

    /// The communes of the wards `hits`, in order, each once.
    fn communes_of(&self, hits: &[usize]) -> Option<Vec<CommuneCode>> {
        let mut found: Vec<CommuneCode> = Vec::new();
        for &at in hits {
            for &c in &self.wards[at].communes {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
        }
        (!found.is_empty()).then_some(found)
    }
}

/// The candidates of the best score seen, in the order offered.
#[derive(Default)]
struct Best {
    score: Option<(u8, u8)>,
    hits: Vec<usize>,
}

impl Best {
    fn offer(&mut self, score: (u8, u8), at: usize) {
        if self.score < Some(score) {
            self.score = Some(score);
            self.hits.clear();
        }
        if self.score == Some(score) {
            self.hits.push(at);
        }
    }
}

/// The byte ranges of the comma-separated parts of `text`, trimmed, empty
/// ones left out (",," and a trailing comma are common).
fn parts(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    for piece in text.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            found.push(start + lead..start + lead + trimmed.len());
        }
        start += piece.len() + 1;
    }
    found
}

/// Runs of equal `key` in `items`: (key, index range).
fn runs<T>(items: &[T], key: impl Fn(&T) -> usize) -> Vec<(usize, Range<usize>)> {
    let mut found = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let k = key(&items[start]);
        let end = start + items[start..].iter().take_while(|i| key(i) == k).count();
        found.push((k, start..end));
        start = end;
    }
    found
}

fn no_duplicates<T>(
    sorted: &[T],
    what: &'static str,
    key: impl Fn(&T) -> (u32, usize),
) -> Result<(), LegacyUnitsError> {
    match sorted.windows(2).find(|w| key(&w[0]).0 == key(&w[1]).0) {
        Some(pair) => Err(LegacyUnitsError::Duplicate {
            line: key(&pair[0]).1.max(key(&pair[1]).1),
            what,
            code: key(&pair[0]).0,
        }),
        None => Ok(()),
    }
}

fn unit(name: &str, level: Level, aliases: &str, line: usize) -> Result<Unit, LegacyUnitsError> {
    let written = Written::new(name, level);
    // The type is what tells "Thị trấn Thạnh An" from "Xã Thạnh An"; a name
    // without one is a broken line, not a unit.
    if written.ty.is_none() {
        return Err(LegacyUnitsError::NoUnitType {
            line,
            name: name.to_owned(),
        });
    }
    let aliases = if aliases.is_empty() {
        Box::default()
    } else {
        aliases
            .split(',')
            .map(|a| {
                if !a.is_empty()
                    && a.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    Ok(a.into())
                } else {
                    Err(LegacyUnitsError::BadAlias {
                        line,
                        found: a.to_owned(),
                    })
                }
            })
            .collect::<Result<_, _>>()?
    };
    // A name with no diacritics ("Nga Thanh") is its own accented form.
    let accented = written.accented.unwrap_or_else(|| written.bare.clone());
    Ok(Unit {
        key: written.bare.into(),
        accented: accented.into(),
        ty: written.ty,
        aliases,
    })
}

/// "00226" or "00190,*00226": the marked default first.
fn communes(field: &str, line: usize) -> Result<Vec<CommuneCode>, LegacyUnitsError> {
    let bad = || LegacyUnitsError::BadCommunes {
        line,
        found: field.to_owned(),
    };
    let mut found = Vec::new();
    let mut default = None;
    for item in field.split(',') {
        let (marked, digits) = match item.strip_prefix('*') {
            Some(digits) => (true, digits),
            None => (false, item),
        };
        let commune = CommuneCode(code(digits, line, "commune code")?);
        if found.contains(&commune) {
            return Err(bad());
        }
        if marked {
            if default.is_some() {
                return Err(bad());
            }
            default = Some(found.len());
        }
        found.push(commune);
    }
    match (found.len(), default) {
        (1, None) => Ok(found),
        (n, Some(at)) if n > 1 => {
            let commune = found.remove(at);
            found.insert(0, commune);
            Ok(found)
        }
        _ => Err(bad()),
    }
}

fn in_province(
    units: &AdminUnits,
    commune: CommuneCode,
    province: ProvinceCode,
    line: usize,
) -> Result<CommuneCode, LegacyUnitsError> {
    match units.commune(commune) {
        None => Err(LegacyUnitsError::Unknown {
            line,
            what: "commune",
            code: commune.0,
        }),
        Some(c) if c.province != province => Err(LegacyUnitsError::CommuneOutsideProvince {
            line,
            commune,
            province,
        }),
        Some(_) => Ok(commune),
    }
}

/// Digits only (`"+1"` and `" 1"` are not codes), in range of the type.
fn code<T: FromStr>(text: &str, line: usize, field: &'static str) -> Result<T, LegacyUnitsError> {
    let bad = || LegacyUnitsError::BadCode {
        line,
        field,
        found: text.to_owned(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn legacy() -> &'static LegacyUnits {
        LegacyUnits::embedded()
    }

    fn convert(text: &str) -> Option<(u16, Vec<u32>, String)> {
        legacy().convert_address(text).map(|a| {
            (
                a.province.0,
                a.communes.iter().map(|c| c.0).collect(),
                a.street,
            )
        })
    }

    /// (province, communes) only, for cases with no street.
    fn place(text: &str) -> Option<(u16, Vec<u32>)> {
        convert(text).map(|(p, c, _)| (p, c))
    }

    #[test]
    fn the_shipped_mapping_parses_and_covers_every_unit() {
        let units = LegacyUnits::parse(EMBEDDED, AdminUnits::embedded()).unwrap();
        // The counts `scripts/admin-units` checks in the source.
        assert_eq!(units.provinces.len(), 63);
        assert_eq!(units.districts.len(), 696);
        assert_eq!(units.wards.len(), 10_035);
        assert_eq!(
            units
                .districts
                .iter()
                .filter(|d| d.island.is_some())
                .count(),
            5
        );
        assert_eq!(
            units.wards.iter().filter(|w| w.communes.len() > 1).count(),
            471
        );
        // Every 2025 commune is where some old unit went.
        let mut reached: Vec<CommuneCode> = units
            .wards
            .iter()
            .flat_map(|w| w.communes.iter().copied())
            .chain(units.districts.iter().filter_map(|d| d.island))
            .collect();
        reached.sort_unstable_by_key(|c| c.0);
        reached.dedup();
        assert_eq!(reached.len(), 3321);
        // The slices partition the lists.
        let wards: usize = units.provinces.iter().map(|p| p.wards.len()).sum();
        assert_eq!(wards, 10_035);
        for p in &units.provinces {
            for d in &units.districts[p.districts.clone()] {
                assert!(
                    d.wards.is_empty()
                        || (p.wards.start <= d.wards.start && d.wards.end <= p.wards.end)
                );
            }
        }
    }

    #[test]
    fn a_hanoi_ward_merged_in_2025_and_then_split() {
        // Quốc Tử Giám merged into Văn Miếu - Quốc Tử Giám (its alias in the
        // source), which the 2025 reform split: Văn Miếu - Quốc Tử Giám
        // (00226, the source's default) and Ô Chợ Dừa (00190).
        assert_eq!(
            convert(
                "Số 12 ngõ 34 Tôn Đức Thắng, Phường Quốc Tử Giám, Quận Đống Đa, Thành phố Hà Nội"
            ),
            Some((1, vec![226, 190], "Số 12 ngõ 34 Tôn Đức Thắng".to_owned()))
        );
        for text in [
            "Phường Quốc Tử Giám, Quận Đống Đa, Hà Nội",
            "P. Quốc Tử Giám, Q. Đống Đa, HN",
            "phuong quoc tu giam, quan dong da, ha noi",
            "PHƯỜNG QUỐC TỬ GIÁM,QUẬN ĐỐNG ĐA,TP HÀ NỘI",
            "Quốc Tử Giám, Đống Đa, Hà Nội, Việt Nam",
            "Phường Văn Miếu Quốc Tử Giám, Quận Đống Đa, Hà Nội",
            // The district missing, or wrong: the ward's name is enough.
            "Phường Quốc Tử Giám, Hà Nội",
            "Phường Quốc Tử Giám, Quận Ba Đình, Hà Nội",
        ] {
            assert_eq!(place(text), Some((1, vec![226, 190])), "{text}");
        }
    }

    #[test]
    fn numbered_wards_of_ho_chi_minh_city_however_written() {
        // Phường 5, Quận 3 → Phường Bàn Cờ (27154).
        for text in [
            "Phường 5, Quận 3, Thành phố Hồ Chí Minh",
            "P.5, Q.3, TP.HCM",
            "P5, Q3, TPHCM",
            "p. 05, quận 03, HCM",
            "F5, Q.3, TP Hồ Chí Minh",
            "Phường 05, Quận 3, Tp. Hồ Chí Minh, Việt Nam",
            "5, 3, Hồ Chí Minh",
            "Phường 5, Quận 3, Sài Gòn",
        ] {
            assert_eq!(place(text), Some((79, vec![27154])), "{text}");
        }
        // Phường 4 was split: Bàn Cờ (default), Xuân Hòa.
        assert_eq!(place("P.4, Q.3, TP.HCM"), Some((79, vec![27154, 27139])));
        // Phường 13 merged into Phường 12 before 2025 (an alias), then
        // into Nhiêu Lộc.
        assert_eq!(place("Phường 13, Quận 3, TP.HCM"), Some((79, vec![27142])));
        // Quận 9 became part of Thành phố Thủ Đức in 2021 (an alias).
        assert_eq!(
            place("Phường Phước Long B, Quận 9, TP. Hồ Chí Minh"),
            Some((79, vec![26848]))
        );
        // Without its district, "Phường 5" is a dozen wards: no guess.
        assert_eq!(place("Phường 5, TP.HCM"), None);
    }

    #[test]
    fn rural_communes_of_provinces_merged_in_2025() {
        // Đắk Lắk kept its name; Buôn Ma Thuột's Xã Ea Tu → Phường Tân An.
        assert_eq!(
            convert("Thôn 3, Xã Ea Tu, Thành phố Buôn Ma Thuột, Đắk Lắk"),
            Some((66, vec![24163], "Thôn 3".to_owned()))
        );
        assert_eq!(
            convert("Thôn 3, Xóm 2, X. Ea Tu, TP. Buôn Ma Thuột, T. Đắk Lắk, Việt Nam"),
            Some((66, vec![24163], "Thôn 3, Xóm 2".to_owned()))
        );
        // Đắk Nông merged into Lâm Đồng (68): Xã Đắk Plao → Xã Quảng Khê.
        assert_eq!(
            convert("Bon Phi Mur, Xã Đắk Plao, Huyện Đắk Glong, Tỉnh Đắk Nông"),
            Some((68, vec![24631], "Bon Phi Mur".to_owned()))
        );
        // Hà Giang merged into Tuyên Quang (08): Xã Má Lé → Xã Lũng Cú.
        assert_eq!(
            place("Xã Má Lé, Huyện Đồng Văn, Hà Giang"),
            Some((8, vec![715]))
        );
        // "Phương Độ" starts like a type word ("Phường") and still is found.
        assert_eq!(
            place("Phương Độ, TP Hà Giang, Hà Giang"),
            Some((8, vec![694]))
        );
        // A split commune: Cẩm Lĩnh (Ba Vì) → Bất Bạt (default), Suối Hai.
        assert_eq!(
            place("Xã Cẩm Lĩnh, Huyện Ba Vì, Thành phố Hà Nội"),
            Some((1, vec![9676, 9694]))
        );
    }

    #[test]
    fn a_written_type_breaks_ties_and_its_absence_keeps_both() {
        // Huyện Vĩnh Thạnh (Cần Thơ) had a thị trấn and a xã Thạnh An.
        assert_eq!(
            place("Thị trấn Thạnh An, Huyện Vĩnh Thạnh, Cần Thơ"),
            Some((92, vec![31231]))
        );
        assert_eq!(
            place("X. Thạnh An, H. Vĩnh Thạnh, TP Cần Thơ"),
            Some((92, vec![31246]))
        );
        assert_eq!(
            place("Thạnh An, Vĩnh Thạnh, Cần Thơ"),
            Some((92, vec![31231, 31246]))
        );
    }

    #[test]
    fn renamed_provinces_split_districts_and_islands() {
        // Cards printed before 2025 say Tỉnh Thừa Thiên Huế and Thành phố
        // Huế, a district since split (the source lists where its wards went).
        assert_eq!(
            place("Phường Phú Hội, Thành phố Huế, Tỉnh Thừa Thiên Huế"),
            Some((46, vec![19789]))
        );
        // An island district had no wards: it became a đặc khu whole.
        assert_eq!(
            convert("Khu 7, Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu"),
            Some((79, vec![26732], "Khu 7".to_owned()))
        );
        assert_eq!(place("Côn Đảo, Vũng Tàu"), Some((79, vec![26732])));
    }

    #[test]
    fn addresses_already_in_2025_units_come_back_as_they_are() {
        assert_eq!(
            place("Phường Văn Miếu - Quốc Tử Giám, Hà Nội"),
            Some((1, vec![226]))
        );
        assert_eq!(
            convert("12 Lý Tự Trọng, Phường Bến Thành, TP.HCM"),
            Some((79, vec![26743], "12 Lý Tự Trọng".to_owned()))
        );
        assert_eq!(
            place("Đặc khu Côn Đảo, Hồ Chí Minh"),
            Some((79, vec![26732]))
        );
        assert_eq!(
            place("Xã Quảng Khê, Tỉnh Lâm Đồng"),
            Some((68, vec![24631]))
        );
    }

    #[test]
    fn every_commune_of_2025_is_found_by_its_name_and_province() {
        let units = AdminUnits::embedded();
        for p in units.provinces() {
            for c in units.communes_of(p.code) {
                let text = format!("{}, {}", c.name, p.name);
                assert_eq!(place(&text), Some((p.code.0, vec![c.code.0])), "{text}");
            }
        }
    }

    #[test]
    fn every_old_ward_is_found_by_its_names() {
        // The names as the mapping writes them, so as a card would print
        // them; each must give exactly where the source says it went.
        let mut provinces = std::collections::HashMap::new();
        let mut districts = std::collections::HashMap::new();
        for line in EMBEDDED.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f[0] {
                "P" => {
                    provinces.insert(f[1], (f[2], f[3].parse::<u16>().unwrap()));
                }
                "D" => {
                    districts.insert(f[1], (f[2], f[3]));
                }
                _ => {}
            }
        }
        let mut checked = 0;
        for line in EMBEDDED.lines().filter(|l| l.starts_with("W\t")) {
            let f: Vec<&str> = line.split('\t').collect();
            let (province_code, district) = districts[f[2]];
            let (province, new_province) = provinces[province_code];
            let mut want = communes(f[4], 0).unwrap();
            let want: Vec<u32> = want.drain(..).map(|c| c.0).collect();
            let text = format!("{}, {district}, {province}", f[3]);
            assert_eq!(place(&text), Some((new_province, want.clone())), "{text}");
            // Typed with no diacritics, it may fit a second ward ("Minh
            // Quán", "Minh Quân"), never lose the right one.
            let plain = super::super::fold(&text);
            let (found_province, found) = place(&plain).unwrap_or_default();
            assert_eq!(found_province, new_province, "{plain}");
            assert!(want.iter().all(|c| found.contains(c)), "{plain}: {found:?}");
            checked += 1;
        }
        assert_eq!(checked, 10_035);
    }

    #[test]
    fn garbage_and_empty_input_convert_to_nothing() {
        for text in [
            "",
            " ",
            ",,,",
            "Hà Nội",
            "Việt Nam",
            "asdf, qwerty, zxcv",
            "Phường Không Có, Quận Đống Đa, Hà Nội",
            "Phường 5, Quận 3, Tỉnh Không Có",
            "Quận Đống Đa, Hà Nội, Việt Nam, Việt Nam",
            "P., Q., TP.",
            "\u{0}, \u{301}, \u{200b}",
        ] {
            assert_eq!(convert(text), None, "{text:?}");
        }
    }

    #[test]
    fn written_names_read_their_type_only_where_it_fits() {
        let w = Written::new("P.05", Level::Ward);
        assert_eq!(
            (w.ty, w.bare.as_str(), w.typed.as_deref()),
            (Some(UnitType::Phuong), "5", Some("phuong5"))
        );
        let w = Written::new("TPHCM", Level::Province);
        assert_eq!((w.ty, w.bare.as_str()), (Some(UnitType::ThanhPho), "hcm"));
        // A district's type is no ward's type: the words stay in the name.
        let w = Written::new("Quận Đống Đa", Level::Ward);
        assert_eq!((w.ty, w.bare.as_str()), (None, "quandongda"));
        let w = Written::new("Thị xã Sơn Tây", Level::District);
        assert_eq!((w.ty, w.bare.as_str()), (Some(UnitType::ThiXa), "sontay"));
        // A lone type word is a name, not a type with nothing after it.
        assert_eq!(Written::new("Phường", Level::Ward).ty, None);
        assert_eq!(number("000".to_owned()), "0");
        assert_eq!(number("0a".to_owned()), "0a");
    }

    fn malformed(text: &str) -> LegacyUnitsError {
        LegacyUnits::parse(text, AdminUnits::embedded()).unwrap_err()
    }

    #[test]
    fn malformed_lines_are_typed_errors_with_their_line() {
        let p = "# header\nP\t01\tThành phố Hà Nội\t01\thn\nD\t006\t01\tQuận Đống Đa\t\t\n";
        let ok = LegacyUnits::parse(
            &format!("{p}W\t00181\t006\tPhường Văn Miếu\t00190,*00226\tquoctugiam\n"),
            AdminUnits::embedded(),
        )
        .unwrap();
        assert_eq!(
            ok.wards[0].communes[..],
            [CommuneCode(226), CommuneCode(190)]
        );
        assert_eq!(
            malformed(&format!("{p}X\t1\n")),
            LegacyUnitsError::UnknownRecord {
                line: 4,
                found: "X".into()
            }
        );
        assert_eq!(
            malformed(&format!("{p}W\t00181\t006\tPhường A\t00226\n")),
            LegacyUnitsError::FieldCount {
                line: 4,
                expected: 6,
                found: 5
            }
        );
        assert!(matches!(
            malformed(&format!("{p}W\t+1\t006\tPhường A\t00226\t\n")),
            LegacyUnitsError::BadCode {
                line: 4,
                field: "old ward code",
                ..
            }
        ));
        assert!(matches!(
            malformed(&format!("{p}W\t1\t006\tVăn Miếu\t00226\t\n")),
            LegacyUnitsError::NoUnitType { line: 4, .. }
        ));
        assert!(matches!(
            malformed(&format!("{p}W\t1\t006\tPhường A\t00226\tQuốc\n")),
            LegacyUnitsError::BadAlias { line: 4, .. }
        ));
        for communes in ["00190,00226", "*00226", "*00190,*00226", "00226,00226", ""] {
            let text = format!("{p}W\t1\t006\tPhường A\t{communes}\t\n");
            assert!(
                matches!(
                    LegacyUnits::parse(&text, AdminUnits::embedded()),
                    Err(LegacyUnitsError::BadCommunes { line: 4, .. }
                        | LegacyUnitsError::BadCode { line: 4, .. })
                ),
                "{communes:?}"
            );
        }
        assert_eq!(
            malformed(&format!("{p}W\t1\t007\tPhường A\t00226\t\n")),
            LegacyUnitsError::Unknown {
                line: 4,
                what: "old district",
                code: 7
            }
        );
        assert_eq!(
            malformed(&format!("{p}W\t1\t006\tPhường A\t99999\t\n")),
            LegacyUnitsError::Unknown {
                line: 4,
                what: "commune",
                code: 99_999
            }
        );
        // Bến Thành (26743) is in Hồ Chí Minh, not where Hà Nội went.
        assert_eq!(
            malformed(&format!("{p}W\t1\t006\tPhường A\t26743\t\n")),
            LegacyUnitsError::CommuneOutsideProvince {
                line: 4,
                commune: CommuneCode(26_743),
                province: ProvinceCode(1)
            }
        );
        assert_eq!(
            malformed(&format!(
                "{p}W\t1\t006\tPhường A\t00226\t\nW\t01\t006\tPhường B\t00226\t\n"
            )),
            LegacyUnitsError::Duplicate {
                line: 5,
                what: "old ward",
                code: 1
            }
        );
        assert_eq!(
            malformed("P\t01\tThành phố Hà Nội\t02\t\n"),
            LegacyUnitsError::Unknown {
                line: 1,
                what: "province",
                code: 2
            }
        );
    }

    proptest! {
        #[test]
        fn any_text_never_panics(text in "\\PC{0,80}") {
            if let Some(found) = legacy().convert_address(&text) {
                prop_assert!(!found.communes.is_empty());
            }
        }

        #[test]
        fn address_shaped_text_never_panics_and_stays_in_its_province(
            parts in proptest::collection::vec("[a-zA-Z0-9àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ .'-]{0,16}", 0..6),
            province in 0usize..63,
        ) {
            let units = legacy();
            let province_name = EMBEDDED
                .lines()
                .filter(|l| l.starts_with("P\t"))
                .nth(province)
                .and_then(|l| l.split('\t').nth(2))
                .unwrap_or("Hà Nội");
            let text = format!("{}, {province_name}", parts.join(", "));
            if let Some(found) = units.convert_address(&text) {
                prop_assert!(!found.communes.is_empty());
                for c in &found.communes {
                    prop_assert_eq!(
                        AdminUnits::embedded().commune(*c).map(|c| c.province),
                        Some(found.province)
                    );
                }
            }
        }
    }
}
