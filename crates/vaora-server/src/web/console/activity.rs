//! Checkpoint activity: created against active per day, the most and least
//! active communes, and the dormant checkpoints to follow up — the numbers
//! behind "459 active of 8,655".

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use vaora_core::AdminUnits;
use vaora_core::venue::CommuneCode;

use super::{problem_text, respond};
use crate::api::activity::{ActivityView, CommuneActivity, day_text, report};
use crate::app::AppState;
use crate::db::{now_ms, vietnam_day};
use crate::web::charts::{Bar, Column, bars, columns};
use crate::web::page::{Notice, Section, notice};
use crate::web::session::Officer;
use crate::web::vietnam_time::{day_short, parse_day};
use crate::web::words::{Lang, Words};

const DEFAULT_DAYS: i64 = 7;
const MAX_DAYS: i64 = 92;
/// Communes in each of the "most" and "least" active charts.
const RANKED: usize = 10;

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    from: Option<String>,
    days: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    officer: Officer,
    headers: HeaderMap,
    Query(period): Query<Period>,
) -> Response {
    let lang = Lang::of_request(&headers);
    let w = lang.words();
    let today = vietnam_day(now_ms());
    let days = match period.days.as_deref().map(str::trim) {
        None | Some("") => Some(DEFAULT_DAYS),
        Some(text) => text.parse().ok().filter(|d| (1..=MAX_DAYS).contains(d)),
    };
    let first = match period.from.as_deref().map(str::trim) {
        None | Some("") => days.map(|d| today - d + 1),
        Some(text) => parse_day(text),
    };
    let (Some(first), Some(days)) = (first, days) else {
        let form = period_form(w, today - DEFAULT_DAYS + 1, DEFAULT_DAYS);
        let content = html! { (notice(&Notice::Problem(w.check_fields))) (form) };
        return respond(
            lang,
            Section::Activity,
            &officer,
            w.nav_activity,
            StatusCode::UNPROCESSABLE_ENTITY,
            content,
        );
    };
    let form = period_form(w, first, days);
    match report(&state.db, first, days).await {
        Ok(view) => {
            let content = html! { (form) (figures(w, &view)) };
            respond(
                lang,
                Section::Activity,
                &officer,
                w.nav_activity,
                StatusCode::OK,
                content,
            )
        }
        Err(e) => {
            let content = html! { (notice(&Notice::Problem(problem_text(w, &e)))) (form) };
            respond(
                lang,
                Section::Activity,
                &officer,
                w.nav_activity,
                e.status,
                content,
            )
        }
    }
}

fn period_form(w: &Words, first: i64, days: i64) -> Markup {
    html! {
        form.query method="get" action="/console/activity" {
            label { (w.from_day) input type="date" name="from" value=(day_text(first)) required; }
            label { (w.days) input type="number" name="days" min="1" max=(MAX_DAYS) value=(days) required; }
            button type="submit" { (w.show) }
        }
    }
}

fn commune_label(c: &CommuneActivity) -> String {
    match (&c.commune_name, &c.province_name) {
        (Some(commune), Some(province)) => format!("{commune}, {province}"),
        (Some(commune), None) => commune.clone(),
        _ => c.commune.to_string(),
    }
}

/// Share of checkpoints with any scan, 0–1.
fn share_of(active: usize, created: usize) -> f64 {
    if created == 0 {
        0.0
    } else {
        active as f64 / created as f64
    }
}

fn share(c: &CommuneActivity) -> f64 {
    share_of(c.active, c.created)
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn figures(w: &Words, view: &ActivityView) -> Markup {
    let created: usize = view.communes.iter().map(|c| c.created).sum();
    let active: usize = view.communes.iter().map(|c| c.active).sum();
    let scans: i64 = view.days.iter().map(|d| d.scans).sum();
    let day_columns =
        |pick: &dyn Fn(&crate::api::activity::DayActivity) -> Vec<u64>| -> Vec<Column> {
            view.days
                .iter()
                .map(|d| Column {
                    label: parse_day(&d.day).map(day_short).unwrap_or_default(),
                    values: pick(d),
                })
                .collect()
        };
    let scans_per_day = day_columns(&|d| vec![u64::try_from(d.scans).unwrap_or(0)]);
    let created_active = day_columns(&|d| vec![d.created as u64, d.active as u64]);
    // Ranked by the share of checkpoints that produce data (the officers'
    // question), then by scans.
    let mut ranked: Vec<&CommuneActivity> = view.communes.iter().collect();
    ranked.sort_by(|a, b| {
        share(b)
            .total_cmp(&share(a))
            .then(b.scans.cmp(&a.scans))
            .then(a.commune.cmp(&b.commune))
    });
    let bar = |c: &&CommuneActivity| Bar {
        label: commune_label(c),
        value: share(c),
        text: format!(
            "{} · {}",
            percent(share(c)),
            w.active_of(c.active, c.created)
        ),
    };
    let most: Vec<Bar> = ranked.iter().take(RANKED).map(bar).collect();
    // The least active are those not already among the most.
    let rest = ranked.len().saturating_sub(RANKED).min(RANKED);
    let least: Vec<Bar> = ranked.iter().rev().take(rest).map(bar).collect();
    html! {
        dl.figures {
            div { dt { (w.created) } dd { (created) } }
            div { dt { (w.active) } dd { (active) } }
            div { dt { (w.scans) } dd { (scans) } }
            div { dt { (w.dormant) } dd { (view.dormant_total) } }
        }
        @if scans == 0 { p { (w.no_scans) } }
        figure {
            figcaption { (w.scans_per_day) }
            (columns("scans-per-day", w.scans_per_day, &["scans"], &scans_per_day))
        }
        figure {
            figcaption { (w.created_vs_active) }
            p.legend { span.created { (w.created) } span.active { (w.active) } }
            (columns("created-active", w.created_vs_active, &["created", "active"], &created_active))
            details {
                summary { (w.as_table) }
                div.table { table {
                    thead { tr { th { (w.day) } th.number { (w.created) } th.number { (w.active) } th.number { (w.scans) } } }
                    tbody { @for d in &view.days {
                        tr { td { (d.day) } td.number { (d.created) } td.number { (d.active) } td.number { (d.scans) } }
                    } }
                } }
            }
        }
        @if !most.is_empty() {
            div.columns {
                figure {
                    figcaption { (w.most_active) }
                    (bars(w.most_active, 1.0, &most))
                }
                @if !least.is_empty() {
                    figure {
                        figcaption { (w.least_active) }
                        (bars(w.least_active, 1.0, &least))
                    }
                }
            }
            details {
                summary { (w.as_table) }
                (commune_table(w, &ranked))
            }
        }
        h2 { (w.by_province) }
        (province_table(w, view))
        h2 { (w.busiest) }
        (busiest_table(w, view))
        h2 { (w.dormant) }
        (dormant_table(w, view))
    }
}

fn commune_table(w: &Words, communes: &[&CommuneActivity]) -> Markup {
    html! {
        div.table { table {
            thead { tr {
                th { (w.commune) } th { (w.province) }
                th.number { (w.created) } th.number { (w.active) } th.number { (w.share_active) } th.number { (w.scans) }
            } }
            tbody { @for c in communes {
                tr {
                    td { (c.commune_name.as_deref().unwrap_or("")) " (" (c.commune) ")" }
                    td { (c.province_name.as_deref().unwrap_or("")) }
                    td.number { (c.created) } td.number { (c.active) }
                    td.number { (percent(share(c))) } td.number { (c.scans) }
                }
            } }
        } }
    }
}

fn province_table(w: &Words, view: &ActivityView) -> Markup {
    html! {
        div.table { table {
            thead { tr {
                th { (w.province) }
                th.number { (w.created) } th.number { (w.active) } th.number { (w.share_active) } th.number { (w.scans) }
            } }
            tbody { @for p in &view.provinces {
                tr {
                    td { (p.province_name.as_deref().unwrap_or("—")) }
                    td.number { (p.created) } td.number { (p.active) }
                    td.number { (percent(share_of(p.active, p.created))) } td.number { (p.scans) }
                }
            } }
        } }
    }
}

fn busiest_table(w: &Words, view: &ActivityView) -> Markup {
    let units = AdminUnits::embedded();
    html! {
        @if view.busiest.is_empty() {
            p { (w.none_yet) }
        } @else {
            div.table { table {
                thead { tr { th.number { (w.venue_no) } th { (w.name) } th { (w.commune) } th.number { (w.scans) } } }
                tbody { @for v in &view.busiest {
                    tr {
                        td.number { (v.id) } td { (v.name) }
                        td { (commune_name(units, v.commune)) } td.number { (v.scans) }
                    }
                } }
            } }
        }
    }
}

fn commune_name(units: &AdminUnits, code: u32) -> String {
    units
        .commune(CommuneCode(code))
        .map_or_else(|| code.to_string(), |c| c.name.clone())
}

fn dormant_table(w: &Words, view: &ActivityView) -> Markup {
    let units = AdminUnits::embedded();
    html! {
        @if view.dormant.is_empty() {
            p { (w.none_yet) }
        } @else {
            div.table { table {
                thead { tr { th.number { (w.venue_no) } th { (w.name) } th { (w.commune) } } }
                tbody { @for v in &view.dormant {
                    tr { td.number { (v.id) } td { (v.name) } td { (commune_name(units, v.commune)) } }
                } }
            } }
            @if view.dormant_total > view.dormant.len() {
                p { (w.more_dormant(view.dormant_total - view.dormant.len())) }
            }
        }
    }
}
