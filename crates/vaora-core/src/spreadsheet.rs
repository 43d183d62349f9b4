//! CSV files people open in a spreadsheet: every cell quoted, a cell that a
//! spreadsheet would run as a formula made plain text, and a byte-order
//! mark so Vietnamese reads right. Shared by the journal export and the
//! server's tracing export: names and addresses there are untrusted text.

/// A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a
/// formula to a spreadsheet; a leading apostrophe makes it plain text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// `header` and `rows` as CSV, every cell neutralised and quoted.
pub fn safe_csv<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.into_iter().map(|c| neutralise(&c)));
    }
    let body = w
        .into_inner()
        .map(String::from_utf8)
        .ok()
        .and_then(Result::ok);
    format!("\u{feff}{}", body.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_quoted_and_marked_utf8() {
        let csv = safe_csv(
            &["name", "phone"],
            [vec![
                "=HYPERLINK(\"x\")".to_owned(),
                "0912345678".to_owned(),
            ]],
        );
        assert!(csv.starts_with('\u{feff}'));
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"x\"\")\",\"0912345678\""),
            "{csv}"
        );
        assert_eq!(neutralise("+84 90"), "'+84 90");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tcmd"), "'\tcmd");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("Chợ Bến Thành"), "Chợ Bến Thành");
        assert_eq!(neutralise(""), "");
    }
}
