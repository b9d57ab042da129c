//! The device's clock and calendar: session dates, "today" and "as of a day" follow the time zone
//! this computer is set to (`TZ`, else `/etc/localtime`), falling back to UTC when none can
//! be read. The arithmetic is `stones_doc::Date`'s; reading the zone is IO, so it lives here.

use jiff::tz::TimeZone;
use stones_doc::Date;

/// The current time in unix milliseconds (0 if the clock reads before 1970).
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    #[cfg(feature = "testing")]
    let now = now.saturating_add(CLOCK_SHIFT_MS.load(std::sync::atomic::Ordering::Relaxed));
    now
}

#[cfg(feature = "testing")]
static CLOCK_SHIFT_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Test only (feature `testing`, never in the product): moves this process's clock by `ms`
/// from now on, so a test can edit "on another day".
#[cfg(feature = "testing")]
pub fn shift_clock_for_tests(ms: i64) {
    CLOCK_SHIFT_MS.fetch_add(ms, std::sync::atomic::Ordering::Relaxed);
}

/// A unix time (ms) as this device's calendar and clock show it: `2026-11-21 14:30`.
pub fn format_ms(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(device_zone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| format!("{ms} ms"))
}

/// The time zone this device is set to (UTC when it cannot be read).
pub fn device_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// Today's date on this device.
pub fn today() -> Date {
    Date::from_unix_ms_in(now_ms(), &device_zone())
}

/// The date of a unix time (ms) on this device's calendar.
pub fn date_of_ms(ms: i64) -> Date {
    Date::from_unix_ms_in(ms, &device_zone())
}

/// The last millisecond of a day on this device's calendar (for "as of" that day).
pub fn end_of_day_ms(date: Date) -> i64 {
    date.end_of_day_ms_in(&device_zone())
}

/// A moment someone typed: `2026-11-21` (the end of that day) or `2026-11-21 14:30` (the
/// end of that minute), on this device's calendar; `None` if it is neither.
pub fn parse_moment(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(day) = text.parse::<Date>() {
        return Some(end_of_day_ms(day));
    }
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().ok()?;
    let zoned = civil.to_zoned(device_zone()).ok()?;
    Some(zoned.timestamp().as_millisecond() + 59_999)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_read_back_as_they_were_typed() {
        let m = parse_moment("2026-11-21 14:30").unwrap();
        assert_eq!(format_ms(m), "2026-11-21 14:30");
        let end = parse_moment("2026-11-21").unwrap();
        assert_eq!(format_ms(end), "2026-11-21 23:59");
        assert!(parse_moment("yesterday").is_none());
        assert!(parse_moment("2026-13-40").is_none());
    }
}
