//! The journal as a file the user owns: JSON for machines, CSV for a
//! spreadsheet. Names and places are untrusted text: CSV cells that a
//! spreadsheet would run as a formula are neutralised.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::person::Person;
use crate::spreadsheet::safe_csv;
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
    safe_csv(
        &header,
        rows.iter().map(|r| {
            [
                r.person.to_owned(),
                r.place.to_owned(),
                r.commune.map(|c| c.to_string()).unwrap_or_default(),
                r.entrance.to_string(),
                r.checked_in_at.clone(),
                r.checked_out_at.clone().unwrap_or_default(),
                r.source.to_owned(),
                r.verified.to_string(),
            ]
        }),
    )
}
