//! Charts drawn on the server as SVG: they need no JavaScript, scale to a
//! phone's width and print. Two shapes cover the console: columns over
//! days (one series, or a total with its part drawn in front) and labelled
//! horizontal bars. The bars' labels are HTML text beside a one-rectangle
//! SVG, so they stay readable on a phone and at 200 % text size (text
//! inside an SVG shrinks with it). Each bar carries its exact value as a
//! tooltip, and each page offers the same numbers as a table.

use maud::{Markup, html};

const WIDTH: f64 = 400.0;
const COLUMNS_HEIGHT: f64 = 200.0;
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 18.0;
const TOP: f64 = 8.0;
/// At most this many day labels under the columns, so they never overlap.
const MAX_DAY_LABELS: usize = 8;

/// One day's column: its label and values (each drawn in front of the
/// previous, so list the total before its part).
pub struct Column {
    pub label: String,
    pub values: Vec<u64>,
}

/// One horizontal bar: a label, a length in `[0, max]`, and the text shown
/// after it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// The smallest "round" number (1, 2 or 5 × 10ⁿ) at or above `n`, so the
/// axis reads in whole steps.
fn axis_top(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let top = step.saturating_mul(factor);
            if top >= n {
                return top;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Coordinates to a tenth of a unit: plenty for a screen, short in the page.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Columns over days. `classes` names each series' CSS class.
pub fn columns(id: &str, caption: &str, classes: &[&str], days: &[Column]) -> Markup {
    let top = axis_top(
        days.iter()
            .flat_map(|d| d.values.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1),
    );
    let plot_width = WIDTH - LEFT;
    let plot_height = COLUMNS_HEIGHT - TOP - BOTTOM;
    let slot = plot_width / days.len().max(1) as f64;
    let label_every = days.len().div_ceil(MAX_DAY_LABELS).max(1);
    let y = |v: u64| tenth(TOP + plot_height * (1.0 - v as f64 / top as f64));
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (COLUMNS_HEIGHT) } role="img" aria-labelledby={ (id) "-title" } {
            title id={ (id) "-title" } { (caption) }
            @for tick in [0, top / 2, top] {
                line.grid x1=(LEFT) x2=(WIDTH) y1=(y(tick)) y2=(y(tick)) {}
                text x=(LEFT - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (tick) }
            }
            @for (i, day) in days.iter().enumerate() {
                @let x = LEFT + slot * i as f64;
                @for (value, class) in day.values.iter().zip(classes) {
                    rect class=(class) x=(tenth(x + slot * 0.15)) width=(tenth(slot * 0.7)) y=(y(*value))
                        height=(tenth(plot_height * *value as f64 / top as f64)) {
                        title { (day.label) ": " (value) }
                    }
                }
                @if i % label_every == 0 {
                    text x=(tenth(x + slot / 2.0)) y=(COLUMNS_HEIGHT - 6.0) text-anchor="middle" { (day.label) }
                }
            }
        }
    }
}

/// Horizontal bars, longest scale `max`: a list whose rows are a label,
/// the value's text, and the bar.
pub fn bars(caption: &str, max: f64, rows: &[Bar]) -> Markup {
    let percent = |v: f64| {
        if max > 0.0 {
            tenth((100.0 * v / max).clamp(0.0, 100.0))
        } else {
            0.0
        }
    };
    html! {
        ol.bars aria-label=(caption) {
            @for row in rows {
                li {
                    span.label { (row.label) }
                    span.value { (row.text) }
                    svg.bar viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" {
                        rect.track x="0" y="0" width="100" height="6" {}
                        rect.scans x="0" y="0" width=(percent(row.value)) height="6" {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number_at_or_above_the_largest_value() {
        assert_eq!(axis_top(1), 1);
        assert_eq!(axis_top(3), 5);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(11), 20);
        assert_eq!(axis_top(8_655), 10_000);
        assert_eq!(axis_top(u64::MAX), u64::MAX);
    }

    #[test]
    fn columns_are_scaled_to_the_axis_and_labels_are_escaped() {
        let days = [
            Column {
                label: "01/11".into(),
                values: vec![10, 4],
            },
            Column {
                label: "<b>".into(),
                values: vec![10, 10],
            },
        ];
        let svg = columns("c", "Created & active", &["created", "active"], &days).into_string();
        assert!(svg.contains("Created &amp; active"));
        assert!(svg.contains("&lt;b&gt;: 10"));
        assert!(!svg.contains("<b>"));
        // Axis top 10 over a 174-unit plot: a value of 4 is 69.6 high.
        assert!(svg.contains(r#"height="69.6""#), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 4);
    }

    #[test]
    fn bars_never_run_past_the_track_and_labels_are_text() {
        let rows = [
            Bar {
                label: "Phường <Đống Đa>".into(),
                value: 2.0,
                text: "200 %".into(),
            },
            Bar {
                label: "Xã Sơn Vĩ".into(),
                value: 0.25,
                text: "25 %".into(),
            },
        ];
        let html = bars("Most", 1.0, &rows).into_string();
        assert!(html.contains("Phường &lt;Đống Đa&gt;"));
        assert!(
            html.contains(r#"class="scans" x="0" y="0" width="100""#),
            "{html}"
        );
        assert!(html.contains(r#"width="25""#));
        let empty = bars("Most", 0.0, &rows).into_string();
        assert!(empty.contains(r#"class="scans" x="0" y="0" width="0""#));
    }
}
