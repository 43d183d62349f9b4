//! Vietnam's calendar. Key validity, declaration dates and a gate's "today"
//! are by day in Vietnam (UTC+7, no daylight saving), whatever zone a
//! device or server is set to.

use time::{Date, OffsetDateTime, UtcOffset};

pub const VIETNAM: UtcOffset = time::macros::offset!(+7);

/// The date in Vietnam at `at`.
pub fn vietnam_date(at: OffsetDateTime) -> Date {
    at.to_offset(VIETNAM).date()
}

/// The date in Vietnam at Unix time `ms` (milliseconds).
pub fn vietnam_date_ms(ms: i64) -> Date {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    vietnam_date(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_day_turns_at_midnight_in_vietnam() {
        assert_eq!(
            vietnam_date(datetime!(2026-11-24 16:59 UTC)),
            date!(2026 - 11 - 24)
        );
        assert_eq!(
            vietnam_date(datetime!(2026-11-24 17:00 UTC)),
            date!(2026 - 11 - 25)
        );
        assert_eq!(vietnam_date_ms(0), date!(1970 - 01 - 01));
    }
}
