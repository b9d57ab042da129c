//! Calendar dates (`YYYY-MM-DD`) as sessions carry them, validated on the way in.

use crate::error::{DocError, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::fmt;

/// A valid Gregorian calendar date. Orders chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year (1 to 9999).
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// Builds a date, refusing days that do not exist (2026-02-30).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date> {
        let civil = i16::try_from(year)
            .ok()
            .filter(|y| *y >= 1)
            .and_then(|y| jiff::civil::Date::new(y, month as i8, day as i8).ok());
        match civil {
            Some(_) => Ok(Date { year, month, day }),
            None => Err(DocError::Invalid(format!(
                "{year:04}-{month:02}-{day:02} is not a date on the calendar"
            ))),
        }
    }

    /// The civil date of a unix time in milliseconds, in UTC.
    pub fn from_unix_ms(ms: i64) -> Date {
        Date::from_unix_ms_in(ms, &TimeZone::UTC)
    }

    /// The civil date of a unix time in milliseconds, in a time zone (the device's, say).
    /// Times beyond the calendar's range (years 1 to 9999) clamp to its ends.
    pub fn from_unix_ms_in(ms: i64, zone: &TimeZone) -> Date {
        let ts = Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        });
        Date::from_civil(ts.to_zoned(zone.clone()).date())
    }

    /// The last millisecond of this day in a time zone, as unix ms ("as of" a day means
    /// everything written by the end of it).
    pub fn end_of_day_ms_in(&self, zone: &TimeZone) -> i64 {
        let next = self.civil().tomorrow().unwrap_or(jiff::civil::Date::MAX);
        match next.to_zoned(zone.clone()) {
            Ok(start_of_next) => start_of_next.timestamp().as_millisecond() - 1,
            Err(_) => Timestamp::MAX.as_millisecond(),
        }
    }

    /// This date `days` later (earlier when negative), clamped to the calendar's range.
    pub fn plus_days(&self, days: i32) -> Date {
        let civil = self.civil();
        let moved = civil
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(if days < 0 {
                jiff::civil::Date::MIN
            } else {
                jiff::civil::Date::MAX
            });
        Date::from_civil(moved)
    }

    /// Whole days from this date to `later` (negative when `later` is earlier).
    pub fn days_until(&self, later: Date) -> i64 {
        self.civil()
            .until(later.civil())
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }

    fn civil(&self) -> jiff::civil::Date {
        jiff::civil::Date::new(self.year as i16, self.month as i8, self.day as i8)
            .unwrap_or(jiff::civil::Date::MIN)
    }

    fn from_civil(d: jiff::civil::Date) -> Date {
        Date {
            year: d.year().max(1) as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }
}

impl std::str::FromStr for Date {
    type Err = DocError;
    fn from_str(s: &str) -> Result<Date> {
        let bad = || DocError::Invalid(format!("bad date {s:?}: expected YYYY-MM-DD"));
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(bad());
        }
        Date::new(
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_rejects_invalid() {
        assert_eq!(
            "2026-11-26".parse::<Date>().unwrap().to_string(),
            "2026-11-26"
        );
        assert!("2024-02-29".parse::<Date>().is_ok());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-1",
            "26-11-26",
            "2026-11-26x",
            "",
            "2026-00-10",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn civil_from_unix() {
        assert_eq!(Date::from_unix_ms(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_ms(1_795_651_200_000).to_string(),
            "2026-11-26"
        );
        assert_eq!(
            Date::from_unix_ms(951_782_400_000).to_string(),
            "2000-02-29"
        );
        // Beyond the calendar: the last days jiff can represent, not a panic.
        assert!(
            Date::from_unix_ms(i64::MAX)
                .to_string()
                .starts_with("9999-12-")
        );
        assert_eq!(Date::from_unix_ms(i64::MIN).year, 1);
    }

    #[test]
    fn a_day_ends_at_its_last_millisecond_in_the_zone() {
        let d: Date = "2026-11-26".parse().unwrap();
        let utc = d.end_of_day_ms_in(&TimeZone::UTC);
        assert_eq!(utc, 1_795_651_200_000 + 86_400_000 - 1);
        assert_eq!(Date::from_unix_ms(utc), d);
        assert_eq!(Date::from_unix_ms(utc + 1).to_string(), "2026-11-27");
        // Two hours east of UTC, the day ends two hours earlier.
        let east = TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(d.end_of_day_ms_in(&east), utc - 2 * 3_600_000);
        assert_eq!(Date::from_unix_ms_in(utc, &east).to_string(), "2026-11-27");
        assert_eq!(d.plus_days(5).to_string(), "2026-12-01");
        assert_eq!(d.plus_days(-26).to_string(), "2026-10-31");
    }
}
