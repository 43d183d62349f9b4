//! Times as the authority types and reads them: Vietnam's clock, whatever
//! the server's time zone. Forms use the HTML `date` and `datetime-local`
//! formats; pages show `HH:MM dd/mm/yyyy`.

use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use vaora_core::calendar::VIETNAM;

use crate::db::{date_day, day_date};

/// `YYYY-MM-DDTHH:MM` (seconds optional) in Vietnam → Unix seconds.
pub fn parse_local(text: &str) -> Option<i64> {
    let text = text.trim();
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let local = PrimitiveDateTime::parse(text, minutes)
        .or_else(|_| PrimitiveDateTime::parse(text, seconds))
        .ok()?;
    Some(local.assume_offset(VIETNAM).unix_timestamp())
}

/// `YYYY-MM-DD` → days since 1970-01-01 (a Vietnamese calendar day).
pub fn parse_day(text: &str) -> Option<i64> {
    let date = Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()?;
    Some(date_day(date))
}

/// A day number as a chart label: `dd/mm`.
pub fn day_short(day: i64) -> String {
    day_date(day)
        .and_then(|d| d.format(format_description!("[day]/[month]")).ok())
        .unwrap_or_default()
}

fn local(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(VIETNAM))
}

/// Unix milliseconds → `HH:MM dd/mm/yyyy` in Vietnam.
pub fn show(ms: i64) -> String {
    local(ms)
        .and_then(|t| {
            t.format(format_description!("[hour]:[minute] [day]/[month]/[year]"))
                .ok()
        })
        .unwrap_or_default()
}

/// Unix seconds → what a `datetime-local` input shows.
pub fn local_input(seconds: i64) -> String {
    local(seconds.saturating_mul(1000))
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_time_is_read_on_vietnam_clock() {
        // 2026-11-20 08:30 in Hà Nội is 01:30 UTC.
        assert_eq!(parse_local("2026-11-20T08:30"), Some(1_795_138_200));
        assert_eq!(parse_local("2026-11-20T08:30:00"), Some(1_795_138_200));
        assert_eq!(local_input(1_795_138_200), "2026-11-20T08:30");
        assert_eq!(show(1_795_138_200_000), "08:30 20/11/2026");
        for bad in [
            "",
            "20/11/2026 08:30",
            "2026-13-01T00:00",
            "2026-11-20T25:00",
        ] {
            assert_eq!(parse_local(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn days_round_trip_through_the_date_input() {
        let day = parse_day("2026-11-20").expect("a date");
        assert_eq!(crate::api::activity::day_text(day), "2026-11-20");
        assert_eq!(day_short(day), "20/11");
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("hôm qua"), None);
    }
}
