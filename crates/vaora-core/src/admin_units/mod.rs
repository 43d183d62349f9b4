//! Vietnam's administrative units since 1 July 2025: 34 provinces and their
//! communes (xã, phường, đặc khu), with no districts in between.
//!
//! The list ships inside the app (`assets/admin-units-2025.tsv`, written by
//! `scripts/admin-units`; decision 0006) so a place can be picked with no
//! network, and [`AdminUnits::search`] finds it however people type it: with
//! or without diacritics, in any case, with or without the unit type.
//!
//! Addresses written in the units before 2025 (63 provinces, districts,
//! wards: what a citizen ID card prints) are converted to these by
//! [`LegacyUnits::convert_address`] (`legacy.rs`).

mod legacy;

pub use legacy::{ConvertedAddress, LegacyUnits, LegacyUnitsError};

use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::venue::CommuneCode;

/// The shipped list. Its header says where it comes from and its licence.
const EMBEDDED: &str = include_str!("../../../../assets/admin-units-2025.tsv");

/// Official (GSO) province code of the 2025 list: 1 Hà Nội … 96 Cà Mau.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProvinceCode(pub u16);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
    pub code: ProvinceCode,
    /// With its type, as written in law: "Thành phố Hà Nội", "Tỉnh Cà Mau".
    pub name: String,
    /// As people say it: "Hà Nội".
    pub short_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commune {
    pub code: CommuneCode,
    pub province: ProvinceCode,
    /// With its type: "Phường Đống Đa", "Xã Đất Mũi", "Đặc khu Côn Đảo".
    pub name: String,
    /// "Đống Đa".
    pub short_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Province,
    Commune,
}

/// One search result, shaped for a picker: what to show and the code to
/// keep. (Not `Place`: the crate root already exports the journal's.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlaceMatch<'a> {
    pub kind: PlaceKind,
    /// The province's or the commune's code, by `kind`.
    pub code: u32,
    pub name: &'a str,
    pub short_name: &'a str,
    /// The province itself for a province, the commune's otherwise.
    pub province: ProvinceCode,
    /// Its short name ("Hà Nội"), the usual second line of a picker row.
    pub province_name: &'a str,
}

impl PlaceMatch<'_> {
    pub fn commune(&self) -> Option<CommuneCode> {
        (self.kind == PlaceKind::Commune).then_some(CommuneCode(self.code))
    }
}

/// A line of the list that is not what `scripts/admin-units` writes. Only
/// a list from elsewhere can have one (the shipped list is checked by a
/// test), so no user meets it and it has no message key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AdminUnitsError {
    #[error("line {line}: record type {found:?}, expected P or C")]
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
    #[error("line {line}: short name {short_name:?} is not the end of name {name:?}")]
    ShortNameNotInName {
        line: usize,
        name: String,
        short_name: String,
    },
    #[error("line {line}: province {code:?} appears twice")]
    DuplicateProvince { line: usize, code: ProvinceCode },
    #[error("line {line}: commune {code:?} appears twice")]
    DuplicateCommune { line: usize, code: CommuneCode },
    #[error("line {line}: commune of province {province:?}, which is not in the list")]
    UnknownProvince { line: usize, province: ProvinceCode },
}

/// A name as the search compares it, computed once at parse time so a
/// search over every commune folds only the query.
#[derive(Debug)]
struct Key {
    /// The folded full name: "phuong dong da".
    full: Box<str>,
    /// Where the short name starts in `full` ("dong da" is its end).
    short_at: usize,
    /// Index of the unit's province in `AdminUnits::provinces`.
    province: usize,
}

impl Key {
    fn short(&self) -> &str {
        &self.full[self.short_at..]
    }
}

/// The search ranks, best first. Ranks at or after a cut-off are not
/// computed (see `search`), so the order here is the order of work too.
const EXACT: usize = 0;
const SHORT_PREFIX: usize = 1;
const WORD_PREFIX: usize = 2;
const SUBSTRING: usize = 3;
const RANKS: usize = 4;

#[derive(Debug)]
pub struct AdminUnits {
    /// By code: the official order, and the order of ties in a search.
    provinces: Vec<Province>,
    province_keys: Vec<Key>,
    /// By province code, then folded short name: each province's communes
    /// are one slice, already in the order a picker lists them.
    communes: Vec<Commune>,
    commune_keys: Vec<Key>,
    /// `communes[commune_ranges[i]]` are the communes of `provinces[i]`.
    commune_ranges: Vec<Range<usize>>,
    /// (code, index in `communes`), by code, for `commune`.
    commune_index: Vec<(u32, usize)>,
}

impl AdminUnits {
    /// The list shipped in the app, parsed on first use (3 ms; see
    /// `bench/benches/admin_units.rs`) and kept.
    pub fn embedded() -> &'static AdminUnits {
        static UNITS: OnceLock<AdminUnits> = OnceLock::new();
        UNITS.get_or_init(|| {
            // The text is compiled in and a test
            // (`the_shipped_list_parses_with_34_provinces_and_every_commune`)
            // parses it, so failing here is a build whose tests never
            // passed, not bad input.
            AdminUnits::parse(EMBEDDED).expect("assets/admin-units-2025.tsv parses (tested)")
        })
    }

    /// Parses the format `scripts/admin-units` writes: `#` comment lines,
    /// `P\tcode\tname\tshort name` and
    /// `C\tcode\tprovince code\tname\tshort name`, in any order.
    pub fn parse(text: &str) -> Result<AdminUnits, AdminUnitsError> {
        let mut provinces: Vec<(Province, usize)> = Vec::new();
        let mut communes: Vec<(Commune, usize)> = Vec::new();
        // `lines` also drops a `\r`, so a CRLF checkout still parses.
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
                    Err(AdminUnitsError::FieldCount {
                        line: line_no,
                        expected,
                        found: fields.len(),
                    })
                }
            };
            match fields[0] {
                "P" => {
                    expect_fields(4)?;
                    let code = ProvinceCode(parse_code(fields[1], line_no, "province code")?);
                    provinces.push((
                        Province {
                            code,
                            name: fields[2].to_owned(),
                            short_name: fields[3].to_owned(),
                        },
                        line_no,
                    ));
                }
                "C" => {
                    expect_fields(5)?;
                    let code = CommuneCode(parse_code(fields[1], line_no, "commune code")?);
                    let province = ProvinceCode(parse_code(fields[2], line_no, "province code")?);
                    communes.push((
                        Commune {
                            code,
                            province,
                            name: fields[3].to_owned(),
                            short_name: fields[4].to_owned(),
                        },
                        line_no,
                    ));
                }
                other => {
                    return Err(AdminUnitsError::UnknownRecord {
                        line: line_no,
                        found: other.to_owned(),
                    });
                }
            }
        }

        provinces.sort_by_key(|(p, _)| p.code);
        if let Some(pair) = provinces.windows(2).find(|w| w[0].0.code == w[1].0.code) {
            return Err(AdminUnitsError::DuplicateProvince {
                line: pair[0].1.max(pair[1].1),
                code: pair[1].0.code,
            });
        }
        let province_keys = provinces
            .iter()
            .enumerate()
            .map(|(at, (p, line))| key(&p.name, &p.short_name, at, *line))
            .collect::<Result<Vec<_>, _>>()?;
        let provinces: Vec<Province> = provinces.into_iter().map(|(p, _)| p).collect();

        let mut keyed = Vec::with_capacity(communes.len());
        for (commune, line) in communes {
            let Ok(province) = provinces.binary_search_by_key(&commune.province, |p| p.code) else {
                return Err(AdminUnitsError::UnknownProvince {
                    line,
                    province: commune.province,
                });
            };
            let key = key(&commune.name, &commune.short_name, province, line)?;
            keyed.push((commune, key, line));
        }
        // Ties in a search keep this order, so it is the order people
        // expect: by province, then by name as they would type it.
        keyed.sort_by(|(a, ka, _), (b, kb, _)| {
            (a.province, ka.short(), &a.name, a.code.0).cmp(&(
                b.province,
                kb.short(),
                &b.name,
                b.code.0,
            ))
        });

        let mut commune_index: Vec<(u32, usize)> = keyed
            .iter()
            .enumerate()
            .map(|(at, (c, _, _))| (c.code.0, at))
            .collect();
        commune_index.sort_unstable();
        if let Some(pair) = commune_index.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(AdminUnitsError::DuplicateCommune {
                line: keyed[pair[0].1].2.max(keyed[pair[1].1].2),
                code: CommuneCode(pair[0].0),
            });
        }

        let mut commune_ranges = vec![0..0; provinces.len()];
        let mut start = 0;
        while start < keyed.len() {
            let province = keyed[start].1.province;
            let end = start
                + keyed[start..]
                    .iter()
                    .take_while(|(_, k, _)| k.province == province)
                    .count();
            commune_ranges[province] = start..end;
            start = end;
        }

        let (communes, commune_keys) = keyed.into_iter().map(|(c, k, _)| (c, k)).unzip();
        Ok(AdminUnits {
            provinces,
            province_keys,
            communes,
            commune_keys,
            commune_ranges,
            commune_index,
        })
    }

    /// All provinces, by code.
    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    pub fn province(&self, code: ProvinceCode) -> Option<&Province> {
        self.province_at(code).map(|at| &self.provinces[at])
    }

    pub fn commune(&self, code: CommuneCode) -> Option<&Commune> {
        let at = self
            .commune_index
            .binary_search_by_key(&code.0, |&(c, _)| c)
            .ok()?;
        Some(&self.communes[self.commune_index[at].1])
    }

    /// The communes of a province, by folded short name (the picker's
    /// order); empty for a code that is not in the list.
    pub fn communes_of(&self, province: ProvinceCode) -> &[Commune] {
        match self.province_at(province) {
            Some(at) => &self.communes[self.commune_ranges[at].clone()],
            None => &[],
        }
    }

    /// Up to `limit` provinces and communes whose name matches `query`,
    /// ignoring diacritics, case, spacing and punctuation; only the
    /// communes of `province` when it is given.
    ///
    /// Best first: the short name is the query ("ha noi" → Hà Nội; the
    /// full name counts too, "phuong dong da"), then the short name starts
    /// with it, then a word of the full name does, then the name merely
    /// contains it. Within a rank, provinces before communes (someone
    /// typing "hai" more likely wants Hải Phòng than Phường Hai Bà Trưng),
    /// then by province code, then by name.
    ///
    /// An empty query lists the provinces, or the given province's
    /// communes, in that order: what a picker shows before anything is
    /// typed.
    pub fn search(
        &self,
        query: &str,
        province: Option<ProvinceCode>,
        limit: usize,
    ) -> Vec<PlaceMatch<'_>> {
        let (provinces, communes) = match province {
            None => (0..self.provinces.len(), 0..self.communes.len()),
            Some(code) => match self.province_at(code) {
                Some(at) => (0..0, self.commune_ranges[at].clone()),
                None => return Vec::new(),
            },
        };
        if limit == 0 {
            return Vec::new();
        }
        let query = search_key(query);
        if query.is_empty() {
            return match province {
                None => provinces
                    .take(limit)
                    .map(|at| self.province_match(at))
                    .collect(),
                Some(_) => communes
                    .take(limit)
                    .map(|at| self.commune_match(at))
                    .collect(),
            };
        }

        let word_start = format!(" {query}");
        let mut by_rank: [Vec<PlaceMatch<'_>>; RANKS] = Default::default();
        // Only ranks below this can still make the first `limit`: once the
        // ranks up to r hold `limit` results, a later result of rank r or
        // worse would come after all of them (candidates arrive in tie
        // order), so it is not even ranked.
        let mut cut = RANKS;
        let candidates = provinces
            .map(|at| (&self.province_keys[at], PlaceKind::Province, at))
            .chain(communes.map(|at| (&self.commune_keys[at], PlaceKind::Commune, at)));
        for (key, kind, at) in candidates {
            let Some(rank) = rank(key, &query, &word_start, cut) else {
                continue;
            };
            by_rank[rank].push(match kind {
                PlaceKind::Province => self.province_match(at),
                PlaceKind::Commune => self.commune_match(at),
            });
            if by_rank[..=rank].iter().map(Vec::len).sum::<usize>() >= limit {
                cut = rank;
                if cut == EXACT {
                    break;
                }
            }
        }
        let mut found: Vec<PlaceMatch<'_>> = by_rank.into_iter().flatten().collect();
        found.truncate(limit);
        found
    }

    fn province_at(&self, code: ProvinceCode) -> Option<usize> {
        self.provinces.binary_search_by_key(&code, |p| p.code).ok()
    }

    fn province_match(&self, at: usize) -> PlaceMatch<'_> {
        let p = &self.provinces[at];
        PlaceMatch {
            kind: PlaceKind::Province,
            code: u32::from(p.code.0),
            name: &p.name,
            short_name: &p.short_name,
            province: p.code,
            province_name: &p.short_name,
        }
    }

    fn commune_match(&self, at: usize) -> PlaceMatch<'_> {
        let c = &self.communes[at];
        let p = &self.provinces[self.commune_keys[at].province];
        PlaceMatch {
            kind: PlaceKind::Commune,
            code: c.code.0,
            name: &c.name,
            short_name: &c.short_name,
            province: p.code,
            province_name: &p.short_name,
        }
    }
}

/// How well `key` matches the (search-keyed) `query`, if at all and if
/// better than `cut`; see [`AdminUnits::search`] for the ranks.
fn rank(key: &Key, query: &str, word_start: &str, cut: usize) -> Option<usize> {
    let full = &*key.full;
    if key.short() == query || full == query {
        return Some(EXACT);
    }
    // "phuong dong" is the start of "Phường Đống Đa" as much as "dong" is;
    // "phuong" alone is only a word of it (every phường has that word).
    if cut > SHORT_PREFIX
        && (key.short().starts_with(query)
            || (query.len() > key.short_at && full.starts_with(query)))
    {
        return Some(SHORT_PREFIX);
    }
    if cut > WORD_PREFIX && (full.starts_with(query) || full.contains(word_start)) {
        return Some(WORD_PREFIX);
    }
    if cut > SUBSTRING && full.contains(query) {
        return Some(SUBSTRING);
    }
    None
}

/// Digits only (`"+1"` and `" 1"` are not codes), in range of the type.
fn parse_code<T: std::str::FromStr>(
    text: &str,
    line: usize,
    field: &'static str,
) -> Result<T, AdminUnitsError> {
    let bad = || AdminUnitsError::BadCode {
        line,
        field,
        found: text.to_owned(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

fn key(name: &str, short_name: &str, province: usize, line: usize) -> Result<Key, AdminUnitsError> {
    let full = search_key(name);
    let short = search_key(short_name);
    // The ranks need the short name to be the end of the full name, after
    // the unit type ("Phường Đống Đa" / "Đống Đa"); swapped or mistyped
    // columns fail here instead of ranking oddly.
    let fits = !short.is_empty()
        && (full == short
            || (full.ends_with(&short) && full[..full.len() - short.len()].ends_with(' ')));
    if !fits {
        return Err(AdminUnitsError::ShortNameNotInName {
            line,
            name: name.to_owned(),
            short_name: short_name.to_owned(),
        });
    }
    Ok(Key {
        short_at: full.len() - short.len(),
        full: full.into_boxed_str(),
        province,
    })
}

/// Text as people compare Vietnamese names when they type: without
/// diacritics (NFD, combining marks dropped, đ → d), lowercase, runs of
/// whitespace as one space, none at the ends. "  Phường ĐỐNG  Đa " →
/// "phuong dong da". Idempotent: `fold(&fold(s)) == fold(s)`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        // Lowercase before decomposing, so that a lowercase form that
        // itself decomposes (İ → i + U+0307) loses its marks too and a
        // second fold changes nothing.
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |c| {
                if is_combining_mark(c) {
                    return;
                }
                if c.is_whitespace() {
                    space = !out.is_empty();
                    return;
                }
                if space {
                    out.push(' ');
                    space = false;
                }
                // Đ is a letter of its own, not D with a mark, so NFD
                // leaves it; people type it as d.
                out.push(if c == 'đ' { 'd' } else { c });
            });
        }
    }
    out
}

/// [`fold`], and punctuation too: people type "van mieu quoc tu giam" for
/// "Văn Miếu - Quốc Tử Giám" and "cu mgar" for "Cư M'gar". Apostrophes
/// join (the name reads as one word), other punctuation separates words.
fn search_key(text: &str) -> String {
    let folded = fold(text);
    if folded.chars().all(|c| c.is_alphanumeric() || c == ' ') {
        return folded;
    }
    let spaced: String = folded
        .chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}' | '\u{02bc}'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    // Whitespace again: a dash between spaces left three in a row.
    fold(&spaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn units() -> &'static AdminUnits {
        AdminUnits::embedded()
    }

    fn names(found: &[PlaceMatch<'_>]) -> Vec<String> {
        found
            .iter()
            .map(|m| format!("{} ({})", m.name, m.province_name))
            .collect()
    }

    fn first(query: &str) -> PlaceMatch<'static> {
        units().search(query, None, 10)[0]
    }

    #[test]
    fn the_shipped_list_parses_with_34_provinces_and_every_commune() {
        let units = AdminUnits::parse(EMBEDDED).unwrap();
        assert_eq!(units.provinces().len(), 34);
        // The count the source (vietnamadminunits 1.0.4) holds; the
        // script refuses to write any other.
        assert_eq!(units.communes.len(), 3321);
        let per_province: usize = units
            .provinces()
            .iter()
            .map(|p| units.communes_of(p.code).len())
            .sum();
        assert_eq!(per_province, 3321);
        assert!(
            units
                .provinces()
                .iter()
                .all(|p| !units.communes_of(p.code).is_empty())
        );
    }

    #[test]
    fn codes_look_up_their_units_and_back() {
        let units = units();
        let hanoi = units.province(ProvinceCode(1)).unwrap();
        assert_eq!(
            (hanoi.name.as_str(), hanoi.short_name.as_str()),
            ("Thành phố Hà Nội", "Hà Nội")
        );
        let dong_da = units.commune(CommuneCode(235)).unwrap();
        assert_eq!(dong_da.name, "Phường Đống Đa");
        assert_eq!(dong_da.province, ProvinceCode(1));
        for p in units.provinces() {
            assert_eq!(units.province(p.code), Some(p));
            for c in units.communes_of(p.code) {
                assert_eq!(c.province, p.code);
                assert_eq!(units.commune(c.code), Some(c));
            }
        }
        assert_eq!(units.province(ProvinceCode(2)), None);
        assert_eq!(units.commune(CommuneCode(0)), None);
        assert!(units.communes_of(ProvinceCode(99)).is_empty());
    }

    #[test]
    fn codes_round_trip_through_json() {
        let c = units().commune(CommuneCode(26_743)).unwrap();
        let json = serde_json::to_string(c).unwrap();
        assert_eq!(
            json,
            r#"{"code":26743,"province":79,"name":"Phường Bến Thành","short_name":"Bến Thành"}"#
        );
        assert_eq!(serde_json::from_str::<Commune>(&json).unwrap(), *c);
        let hit = units().search("ben thanh", None, 1)[0];
        assert_eq!(hit.commune(), Some(c.code));
        assert_eq!(
            serde_json::to_value(hit).unwrap(),
            serde_json::json!({
                "kind": "commune", "code": 26743, "name": "Phường Bến Thành",
                "short_name": "Bến Thành", "province": 79, "province_name": "Hồ Chí Minh",
            })
        );
    }

    #[test]
    fn provinces_are_found_without_diacritics_in_any_case() {
        for query in [
            "ha noi",
            "Hà Nội",
            "HÀ NỘI",
            "hà nội",
            "  ha   NOI ",
            "thanh pho ha noi",
        ] {
            let hit = first(query);
            assert_eq!(
                (hit.kind, hit.code, hit.name),
                (PlaceKind::Province, 1, "Thành phố Hà Nội"),
                "{query}"
            );
        }
        assert_eq!(first("tinh ca mau").name, "Tỉnh Cà Mau");
        assert_eq!(first("da nang").name, "Thành phố Đà Nẵng");
    }

    #[test]
    fn communes_are_found_with_or_without_their_type() {
        for query in [
            "dong da",
            "Đống Đa",
            "phuong dong da",
            "PHƯỜNG ĐỐNG ĐA",
            "phuong dong",
        ] {
            let hit = first(query);
            assert_eq!(
                (hit.kind, hit.name, hit.province_name),
                (PlaceKind::Commune, "Phường Đống Đa", "Hà Nội"),
                "{query}"
            );
        }
        assert_eq!(first("xa dat mui").name, "Xã Đất Mũi");
        assert_eq!(first("dac khu con dao").name, "Đặc khu Côn Đảo");
    }

    #[test]
    fn a_commune_of_ho_chi_minh_city() {
        let hit = first("ben thanh");
        assert_eq!(
            (hit.name, hit.province, hit.province_name),
            ("Phường Bến Thành", ProvinceCode(79), "Hồ Chí Minh")
        );
        let saigon = units().search("sai gon", Some(ProvinceCode(79)), 5);
        assert_eq!(saigon[0].name, "Phường Sài Gòn");
    }

    #[test]
    fn punctuation_in_names_need_not_be_typed() {
        assert_eq!(
            first("van mieu quoc tu giam").name,
            "Phường Văn Miếu - Quốc Tử Giám"
        );
        assert_eq!(first("cu mgar").name, "Xã Cư M'gar");
        assert_eq!(first("cư m'gar").name, "Xã Cư M'gar");
    }

    #[test]
    fn exact_names_come_before_prefixes_words_and_substrings() {
        let found = units().search("hai", None, 200);
        let rank_of = |m: &PlaceMatch<'_>| {
            let key = search_key(m.name);
            let short = search_key(m.short_name);
            if short == "hai" {
                0
            } else if short.starts_with("hai") {
                1
            } else if key.starts_with("hai") || key.contains(" hai") {
                2
            } else {
                3
            }
        };
        let ranks: Vec<i32> = found.iter().map(rank_of).collect();
        assert!(ranks.is_sorted(), "{:?}", names(&found));
        // Same rank: provinces first, then by province code, then name.
        let prefixes: Vec<&PlaceMatch<'_>> = found.iter().filter(|m| rank_of(m) == 1).collect();
        assert_eq!(prefixes[0].name, "Thành phố Hải Phòng");
        let communes: Vec<(ProvinceCode, String)> = prefixes[1..]
            .iter()
            .map(|m| (m.province, search_key(m.short_name)))
            .collect();
        assert!(communes.is_sorted(), "{:?}", names(&found));
        assert!(
            found.iter().any(|m| rank_of(m) == 3),
            "substring matches too"
        );
    }

    #[test]
    fn a_province_filter_keeps_its_communes_only() {
        let found = units().search("phu", Some(ProvinceCode(79)), 1000);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|m| m.kind == PlaceKind::Commune && m.province == ProvinceCode(79))
        );
        assert!(
            units()
                .search("dong da", Some(ProvinceCode(79)), 10)
                .is_empty()
        );
        assert!(
            units()
                .search("dong da", Some(ProvinceCode(2)), 10)
                .is_empty()
        );
    }

    #[test]
    fn the_limit_is_respected() {
        for limit in [0, 1, 7, 50] {
            assert_eq!(units().search("a", None, limit).len(), limit);
            assert_eq!(
                units().search("", Some(ProvinceCode(1)), limit).len(),
                limit
            );
        }
        assert_eq!(units().search("", None, 1000).len(), 34);
        // No capacity is reserved from the limit, so a huge one is fine.
        assert!(units().search("xa", None, usize::MAX).len() > 1000);
    }

    #[test]
    fn an_empty_query_lists_the_next_level_in_order() {
        let provinces = units().search("  ", None, 100);
        assert_eq!(provinces.len(), 34);
        assert!(provinces.iter().all(|m| m.kind == PlaceKind::Province));
        assert!(provinces.is_sorted_by_key(|m| m.code));
        let hanoi: Vec<&str> = units()
            .search("", Some(ProvinceCode(1)), 1000)
            .iter()
            .map(|m| m.name)
            .collect();
        let listed: Vec<&str> = units()
            .communes_of(ProvinceCode(1))
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(hanoi, listed);
        assert_eq!(hanoi[..3], ["Xã An Khánh", "Phường Ba Đình", "Xã Ba Vì"]);
    }

    #[test]
    fn fold_removes_what_people_leave_out() {
        assert_eq!(fold("  Phường ĐỐNG\t Đa \n"), "phuong dong da");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
        assert_eq!(fold("ăâêôơưđ ĂÂÊÔƠƯĐ"), "aaeooud aaeooud");
        // Decomposed input (as some keyboards send it) folds the same.
        assert_eq!(fold("Ha\u{300} No\u{302}\u{323}i"), "ha noi");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_is_idempotent_for_every_character() {
        // Exhaustive, since a character whose lowercase decomposes is rare
        // enough that a random search would miss it.
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let once = fold(&c.to_string());
            assert_eq!(fold(&once), once, "U+{:04X}", c as u32);
        }
    }

    fn malformed(text: &str) -> AdminUnitsError {
        AdminUnits::parse(text).unwrap_err()
    }

    #[test]
    fn malformed_lines_are_typed_errors_with_their_line() {
        let p = "# header\nP\t01\tThành phố Hà Nội\tHà Nội\n";
        assert!(AdminUnits::parse(p).is_ok());
        assert_eq!(
            malformed(&format!("{p}X\t1\n")),
            AdminUnitsError::UnknownRecord {
                line: 3,
                found: "X".into()
            }
        );
        assert_eq!(
            malformed(&format!("{p}C\t00235\t01\tPhường Đống Đa\n")),
            AdminUnitsError::FieldCount {
                line: 3,
                expected: 5,
                found: 4
            }
        );
        assert!(matches!(
            malformed("P\t+1\tTỉnh A\tA\n"),
            AdminUnitsError::BadCode {
                line: 1,
                field: "province code",
                ..
            }
        ));
        assert!(matches!(
            malformed("P\t70000\tTỉnh A\tA\n"),
            AdminUnitsError::BadCode { line: 1, .. }
        ));
        assert!(matches!(
            malformed(&format!("{p}C\t99999999999\t01\tXã A\tA\n")),
            AdminUnitsError::BadCode {
                line: 3,
                field: "commune code",
                ..
            }
        ));
        assert!(matches!(
            malformed("P\t01\tHà Nội\tThành phố Hà Nội\n"),
            AdminUnitsError::ShortNameNotInName { line: 1, .. }
        ));
        assert!(matches!(
            malformed("P\t01\tThành phố Hà Nội\t\n"),
            AdminUnitsError::ShortNameNotInName { line: 1, .. }
        ));
        assert_eq!(
            malformed(&format!("{p}P\t1\tTỉnh B\tB\n")),
            AdminUnitsError::DuplicateProvince {
                line: 3,
                code: ProvinceCode(1)
            }
        );
        assert_eq!(
            malformed(&format!("{p}C\t5\t01\tXã A\tA\nC\t05\t01\tXã B\tB\n")),
            AdminUnitsError::DuplicateCommune {
                line: 4,
                code: CommuneCode(5)
            }
        );
        assert_eq!(
            malformed(&format!("{p}C\t5\t02\tXã A\tA\n")),
            AdminUnitsError::UnknownProvince {
                line: 3,
                province: ProvinceCode(2)
            }
        );
    }

    proptest! {
        #[test]
        fn any_query_never_panics_and_keeps_the_limit(
            query in "\\PC{0,40}",
            province in proptest::option::of(0u16..100),
            limit in 0usize..60,
        ) {
            let found = units().search(&query, province.map(ProvinceCode), limit);
            prop_assert!(found.len() <= limit);
            let key = search_key(&query);
            for m in &found {
                prop_assert!(search_key(m.name).contains(&key));
            }
        }

        #[test]
        fn vietnamese_like_queries_keep_the_limit(query in "[a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ '-]{0,20}", limit in 0usize..30) {
            prop_assert!(units().search(&query, None, limit).len() <= limit);
        }

        #[test]
        fn folding_is_idempotent(text in "\\PC{0,60}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert_eq!(search_key(&search_key(&text)), search_key(&text));
        }
    }
}
