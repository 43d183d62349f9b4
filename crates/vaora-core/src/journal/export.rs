//! The journal as a file the user owns: JSON for machines, CSV for a
//! spreadsheet. Names and places are untrusted text: CSV cells that a
//! spreadsheet would run as a formula are neutralised.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::person::Person;
use crate::visit::Visit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Serialize)]
struct Row<'a> {
    person: &'a str,
    place: &'a str,
    commune: Option<u32>,
    entrance: u16,
    checked_in_at: String,
    checked_out_at: Option<String>,
    source: &'static str,
    verified: bool,
}

/// Renders `visits` with times in `offset` (the user's time zone).
pub fn export_visits(
    visits: &[Visit],
    people: &[Person],
    offset: UtcOffset,
    format: ExportFormat,
) -> String {
    let when = |t: OffsetDateTime| t.to_offset(offset).format(&Rfc3339).unwrap_or_default();
    let rows: Vec<Row<'_>> = visits
        .iter()
        .map(|v| Row {
            person: people
                .iter()
                .find(|p| p.id == v.person)
                .map_or("", |p| p.display_name.as_str()),
            place: &v.place_name,
            commune: v.commune.map(|c| c.0),
            entrance: v.entrance.0,
            checked_in_at: when(v.checked_in_at),
            checked_out_at: v.checked_out_at.map(when),
            source: v.source.code(),
            verified: v.verified,
        })
        .collect();
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(&rows).unwrap_or_default(),
        ExportFormat::Csv => to_csv(&rows),
    }
}

fn to_csv(rows: &[Row<'_>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let header = [
        "person",
        "place",
        "commune",
        "entrance",
        "checked_in_at",
        "checked_out_at",
        "source",
        "verified",
    ];
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record([
            neutralise(r.person),
            neutralise(r.place),
            r.commune.map(|c| c.to_string()).unwrap_or_default(),
            r.entrance.to_string(),
            r.checked_in_at.clone(),
            r.checked_out_at.clone().unwrap_or_default(),
            r.source.to_owned(),
            r.verified.to_string(),
        ]);
    }
    // A UTF-8 byte-order mark so spreadsheet programs read Vietnamese right.
    let body = w
        .into_inner()
        .map(String::from_utf8)
        .ok()
        .and_then(Result::ok);
    format!("\u{feff}{}", body.unwrap_or_default())
}

/// A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a
/// formula to a spreadsheet; a leading apostrophe makes it plain text.
pub(crate) fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("+84 90"), "'+84 90");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tcmd"), "'\tcmd");
        assert_eq!(neutralise("Chợ Bến Thành"), "Chợ Bến Thành");
        assert_eq!(neutralise(""), "");
    }
}
