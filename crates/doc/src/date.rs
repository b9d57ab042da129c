//! Calendar dates (`YYYY-MM-DD`) as sessions carry them, validated on the way in.

use crate::error::{DocError, Result};
use std::fmt;

/// A valid Gregorian calendar date. Orders chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Builds a date, refusing days that do not exist (2026-02-30).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        if ok && year >= 1 {
            Ok(Date { year, month, day })
        } else {
            Err(DocError::Invalid(format!(
                "{year:04}-{month:02}-{day:02} is not a date on the calendar"
            )))
        }
    }

    /// The civil date of a unix time in milliseconds (UTC).
    pub fn from_unix_ms(ms: i64) -> Date {
        // Howard Hinnant's days-from-civil inverse.
        let days = ms.div_euclid(86_400_000);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
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
    }
}
