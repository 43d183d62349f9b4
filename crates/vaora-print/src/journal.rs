//! The journal on paper: a day-by-day timeline for a tracing interview, and
//! one visit's record to share alone (nothing else of the history).
//!
//! Labels are Vietnamese first with English beside them, as on posters: the
//! reader is usually a Vietnamese health officer, sometimes not.

use time::{Date, OffsetDateTime, UtcOffset, Weekday};

use crate::PrintError;
use crate::page::{Align, Cell, Flow, Fonts, PAGE_H_MM, PAGE_W_MM, Page, TextLine, Weight};
use vaora_core::visit::{CheckoutKind, Visit, VisitSource};

const MARGIN_MM: f32 = 15.0;
const FOOTER_MM: f32 = 8.0;
const BODY_PT: f32 = 9.5;

/// One visit and the name of the person who made it.
pub struct TimelineEntry<'a> {
    pub visit: &'a Visit,
    pub person: &'a str,
}

/// A date range of the journal, oldest visit first.
pub struct Timeline<'a> {
    /// Local dates, inclusive.
    pub from: Date,
    pub to: Date,
    pub offset: UtcOffset,
    pub printed_at: OffsetDateTime,
    pub entries: &'a [TimelineEntry<'a>],
}

/// One visit alone, as proof of where someone was.
pub struct VisitRecord<'a> {
    pub entry: TimelineEntry<'a>,
    pub offset: UtcOffset,
    pub printed_at: OffsetDateTime,
}

fn weekday_vi(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ Nhật",
    }
}

fn date_text(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

fn long_date(d: Date) -> String {
    format!("{}, {}", weekday_vi(d.weekday()), date_text(d))
}

fn hm(at: OffsetDateTime, offset: UtcOffset) -> String {
    let t = at.to_offset(offset);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn source_text(v: &Visit) -> &'static str {
    match (v.source, v.verified) {
        (VisitSource::Scan, true) => "Quét mã, đã xác minh",
        (VisitSource::Scan, false) => "Quét mã, chưa xác minh",
        (VisitSource::Manual, _) => "Tự nhập",
        (VisitSource::Gate, _) => "Cổng kiểm soát",
    }
}

fn place_text(v: &Visit) -> String {
    if v.entrance.0 > 0 {
        format!("{} (cổng {})", v.place_name, v.entrance.0)
    } else {
        v.place_name.clone()
    }
}

/// "08:05–09:10", with the check-out marked when the app made it.
fn times_text(v: &Visit, offset: UtcOffset) -> String {
    let start = hm(v.checked_in_at, offset);
    match (v.checked_out_at, v.checkout) {
        (Some(out), Some(CheckoutKind::Manual) | None) => format!("{start}–{}", hm(out, offset)),
        (Some(out), Some(_)) => format!("{start}–{}*", hm(out, offset)),
        (None, _) => format!("{start}–…"),
    }
}

/// The timeline's four columns (time, place, person, note), in mm from the
/// left margin, and their widths.
const COLUMNS: [(f32, f32); 4] = [(0.0, 26.0), (27.0, 70.0), (99.0, 33.0), (134.0, 46.0)];

fn columns(texts: [&str; 4], weight: Weight) -> Vec<Cell<'_>> {
    texts
        .into_iter()
        .zip(COLUMNS)
        .map(|(text, (x, width_mm))| Cell {
            text,
            x_mm: MARGIN_MM + x,
            width_mm,
            weight,
        })
        .collect()
}

/// "Trang 1/3 · Page 1/3" at the foot of every page, and who made it.
fn add_footers(pages: &mut [Page], fonts: &Fonts, printed: &str) {
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("VaoRa · {printed} · Trang {0}/{n} · Page {0}/{n}", i + 1);
        let size_pt = 8.0;
        page.lines.push(TextLine {
            x_mm: (PAGE_W_MM - fonts.width_mm(&text, Weight::Regular, size_pt)) / 2.0,
            text,
            weight: Weight::Regular,
            size_pt,
            baseline_mm: PAGE_H_MM - MARGIN_MM / 2.0,
        });
    }
}

/// The owner has no name in the journal; the paper says "self".
fn person_text(name: &str) -> &str {
    if name.trim().is_empty() {
        "Bản thân · Self"
    } else {
        name
    }
}

fn printed_text(at: OffsetDateTime, offset: UtcOffset) -> String {
    let local = at.to_offset(offset);
    format!("In lúc {} {}", hm(at, offset), date_text(local.date()))
}

impl Timeline<'_> {
    pub fn pages(&self) -> Result<Vec<Page>, PrintError> {
        let fonts = Fonts::load()?;
        let mut flow = Flow::new(&fonts, MARGIN_MM, FOOTER_MM);
        flow.paragraph(
            "Nhật ký đi lại · Visit journal",
            Weight::Bold,
            18.0,
            Align::Left,
            1,
        );
        let range = format!(
            "Từ {} đến {} · From {} to {}",
            date_text(self.from),
            date_text(self.to),
            date_text(self.from),
            date_text(self.to)
        );
        flow.paragraph(&range, Weight::Regular, 11.0, Align::Left, 2);
        let count = format!("{0} lượt ghé · {0} visits", self.entries.len());
        flow.paragraph(&count, Weight::Regular, 11.0, Align::Left, 1);
        flow.gap(3.0);

        let header = |flow: &mut Flow<'_>| {
            let labels = [
                "Giờ · Time",
                "Nơi đến · Place",
                "Người · Person",
                "Ghi chú · Note",
            ];
            flow.row(&columns(labels, Weight::Bold), BODY_PT);
            flow.rule();
        };
        header(&mut flow);

        if self.entries.is_empty() {
            flow.paragraph(
                "Không có lượt ghé nào trong khoảng này. · No visits in this period.",
                Weight::Regular,
                BODY_PT,
                Align::Left,
                2,
            );
        }
        let mut day = None;
        for entry in self.entries {
            let v = entry.visit;
            let date = v.checked_in_at.to_offset(self.offset).date();
            if day != Some(date) {
                day = Some(date);
                // Keep a day's heading with its first row.
                flow.need(Flow::line_height_mm(11.0) + 2.0 * Flow::line_height_mm(BODY_PT) + 3.0);
                flow.gap(2.0);
                flow.paragraph(&long_date(date), Weight::Bold, 11.0, Align::Left, 1);
            }
            let times = times_text(v, self.offset);
            let place = place_text(v);
            let texts = [
                times.as_str(),
                place.as_str(),
                person_text(entry.person),
                source_text(v),
            ];
            flow.row(&columns(texts, Weight::Regular), BODY_PT);
            flow.gap(0.8);
        }
        flow.gap(4.0);
        flow.paragraph(
            "* giờ ra do ứng dụng tự ghi (hết thời gian lưu lại thường lệ, hoặc khi quét mã nơi khác). \
             * check-out recorded by the app (usual stay over, or a check-in elsewhere). \
             Quét mã = scanned the venue code; đã xác minh = the code's signature was verified; \
             Tự nhập = typed by hand; Cổng kiểm soát = recorded at a checkpoint gate.",
            Weight::Regular,
            8.0,
            Align::Left,
            6,
        );
        let mut pages = flow.finish();
        add_footers(
            &mut pages,
            &fonts,
            &printed_text(self.printed_at, self.offset),
        );
        Ok(pages)
    }

    pub fn render_pdf(&self) -> Result<Vec<u8>, PrintError> {
        crate::pdf::render_pdf(&self.pages()?)
    }
}

impl VisitRecord<'_> {
    pub fn page(&self) -> Result<Page, PrintError> {
        let fonts = Fonts::load()?;
        let mut flow = Flow::new(&fonts, MARGIN_MM, FOOTER_MM);
        let v = self.entry.visit;
        let offset = self.offset;
        flow.paragraph(
            "Xác nhận lượt ghé · Visit record",
            Weight::Bold,
            18.0,
            Align::Left,
            1,
        );
        flow.paragraph(
            "Chỉ gồm một lượt ghé này, không kèm lịch sử đi lại khác. \
             · This record holds this one visit only, none of the rest of the journal.",
            Weight::Regular,
            10.0,
            Align::Left,
            3,
        );
        flow.gap(4.0);
        flow.rule();

        let when = |at: OffsetDateTime| {
            format!(
                "{}, {}",
                hm(at, offset),
                long_date(at.to_offset(offset).date())
            )
        };
        let out = match (v.checked_out_at, v.checkout) {
            (Some(at), Some(CheckoutKind::Manual) | None) => when(at),
            (Some(at), Some(_)) => format!("{} (ứng dụng tự ghi · recorded by the app)", when(at)),
            (None, _) => "Chưa ra · Not checked out".to_owned(),
        };
        let verification = match (v.source, v.verified) {
            (VisitSource::Scan | VisitSource::Gate, true) => {
                "Mã điểm kiểm dịch có chữ ký hợp lệ · Venue code signature verified".to_owned()
            }
            (VisitSource::Manual, _) => "Tự nhập, không có mã · Typed by hand, no code".to_owned(),
            // The reason is a UI message key; the paper says it plainly.
            (_, false) => "Chưa xác minh · Not verified".to_owned(),
        };
        let venue = v
            .venue
            .map(|id| id.0.to_string())
            .unwrap_or_else(|| "—".to_owned());
        let entrance = if v.entrance.0 > 0 {
            v.entrance.0.to_string()
        } else {
            "—".to_owned()
        };
        let rows: [(&str, String); 8] = [
            ("Người · Person", person_text(self.entry.person).to_owned()),
            ("Nơi đến · Place", v.place_name.clone()),
            ("Cổng · Entrance", entrance),
            ("Số điểm · Venue no.", venue),
            ("Vào · In", when(v.checked_in_at)),
            ("Ra · Out", out),
            ("Xác minh · Verification", verification),
            ("Mã lượt ghé · Visit id", v.id.0.to_string()),
        ];
        for (label, value) in &rows {
            flow.row(
                &[
                    Cell {
                        text: label,
                        x_mm: MARGIN_MM,
                        width_mm: 48.0,
                        weight: Weight::Bold,
                    },
                    Cell {
                        text: value,
                        x_mm: MARGIN_MM + 50.0,
                        width_mm: PAGE_W_MM - 2.0 * MARGIN_MM - 50.0,
                        weight: Weight::Regular,
                    },
                ],
                11.0,
            );
            flow.gap(1.5);
        }
        let mut pages = flow.finish();
        add_footers(&mut pages, &fonts, &printed_text(self.printed_at, offset));
        // Eight short rows always fit one page.
        Ok(pages.swap_remove(0))
    }

    pub fn render_pdf(&self) -> Result<Vec<u8>, PrintError> {
        crate::pdf::render_pdf(&[self.page()?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, offset};
    use vaora_core::person::PersonId;
    use vaora_core::venue::{EntranceNo, VenueId};
    use vaora_core::visit::VisitId;

    fn visit(n: i64) -> Visit {
        Visit {
            id: VisitId::new(),
            person: PersonId(1),
            venue: Some(VenueId(7)),
            entrance: EntranceNo(2),
            place_name: format!("Chợ Bến Thành khu {n}"),
            commune: None,
            checked_in_at: datetime!(2026-11-20 1:00 UTC) + time::Duration::hours(5 * n),
            planned_checkout_at: None,
            checked_out_at: Some(datetime!(2026-11-20 2:00 UTC) + time::Duration::hours(5 * n)),
            checkout: Some(CheckoutKind::StayOver),
            source: VisitSource::Scan,
            verified: n % 2 == 0,
            unverified_reason: None,
            group: None,
        }
    }

    fn all_text(pages: &[Page]) -> String {
        pages
            .iter()
            .flat_map(|p| p.lines.iter().map(|l| l.text.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_long_timeline_flows_over_pages_with_days_in_local_time_and_numbered_footers() {
        let visits: Vec<Visit> = (0..120).map(visit).collect();
        let entries: Vec<TimelineEntry<'_>> = visits
            .iter()
            .map(|visit| TimelineEntry {
                visit,
                person: "Nguyễn Thị Ánh",
            })
            .collect();
        let timeline = Timeline {
            from: date!(2026 - 11 - 20),
            to: date!(2026 - 12 - 15),
            offset: offset!(+7),
            printed_at: datetime!(2026-12-15 3:00 UTC),
            entries: &entries,
        };
        let pages = timeline.pages().unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let n = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let footer = format!("Trang {}/{n}", i + 1);
            assert!(
                page.lines.iter().any(|l| l.text.contains(&footer)),
                "{footer}"
            );
            for line in &page.lines {
                assert!(line.baseline_mm < PAGE_H_MM - MARGIN_MM / 2.0 + 0.01);
            }
        }
        let text = all_text(&pages);
        // 01:00 UTC is 08:00 in Vietnam; the check-out was the app's.
        assert!(text.contains("08:00–09:00*"), "{text}");
        assert!(text.contains("Thứ Sáu, 20/11/2026"));
        assert!(text.contains("Chợ Bến Thành khu 119 (cổng 2)"));
        assert!(text.contains("chưa xác minh"), "{text}");
        assert!(text.contains("120 lượt ghé"));
    }

    #[test]
    fn a_visit_record_holds_that_visit_only() {
        let visits: Vec<Visit> = (0..3).map(visit).collect();
        let record = VisitRecord {
            entry: TimelineEntry {
                visit: &visits[1],
                person: "Trần Văn Bình",
            },
            offset: offset!(+7),
            printed_at: datetime!(2026-12-15 3:00 UTC),
        };
        let text = all_text(&[record.page().unwrap()]);
        assert!(text.contains("Chợ Bến Thành khu 1"));
        assert!(!text.contains("khu 0") && !text.contains("khu 2"));
        assert!(text.contains(&visits[1].id.0.to_string()));
        assert!(text.contains("Trần Văn Bình"));
        assert!(text.contains("Chưa xác minh"));
    }
}
