//! The device's clock and calendar: session dates, "today" and "as of a day" follow the time zone
//! this computer is set to (`TZ`, else `/etc/localtime`), falling back to UTC when none can
//! be read. The arithmetic is `stones_doc::Date`'s; reading the zone is IO, so it lives here.

use jiff::tz::TimeZone;
use stones_doc::Date;

/// The current time in unix milliseconds (0 if the clock reads before 1970).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
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
