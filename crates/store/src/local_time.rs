//! The device's own calendar: session dates, "today" and "as of a day" follow the time zone
//! this computer is set to (`TZ`, else `/etc/localtime`), falling back to UTC when none can
//! be read. The arithmetic is `stones_doc::Date`'s; reading the zone is IO, so it lives here.

use jiff::tz::TimeZone;
use stones_doc::Date;

/// The time zone this device is set to (UTC when it cannot be read).
pub fn device_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// Today's date on this device.
pub fn today() -> Date {
    Date::from_unix_ms_in(crate::store::Store::now_ms(), &device_zone())
}

/// The date of a unix time (ms) on this device's calendar.
pub fn date_of_ms(ms: i64) -> Date {
    Date::from_unix_ms_in(ms, &device_zone())
}

/// The last millisecond of a day on this device's calendar (for "as of" that day).
pub fn end_of_day_ms(date: Date) -> i64 {
    date.end_of_day_ms_in(&device_zone())
}
