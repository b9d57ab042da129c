//! How long an invite stays valid, as a person types it: `90s`, `30m`, `12h`, `7d`, `2w`,
//! `1d 12h` (jiff's friendly duration format; days are 24 hours, weeks 7 days).

use crate::error::{Result, SyncError};
use jiff::{SpanRelativeTo, Unit};

/// Parses a validity like `7d` into milliseconds; zero, negative and calendar units
/// (months, years: their length depends on the date) are refused with what to type instead.
pub fn parse_validity_ms(text: &str) -> Result<i64> {
    let hint = || {
        SyncError::Invite(format!(
            "{text:?} is not a duration: use a number and s, m, h, d or w, like 7d or 1d 12h"
        ))
    };
    let span: jiff::Span = text.trim().parse().map_err(|_| hint())?;
    let ms = span
        .total((Unit::Millisecond, SpanRelativeTo::days_are_24_hours()))
        .map_err(|_| hint())?;
    if !(ms >= 1.0 && ms < i64::MAX as f64) {
        return Err(SyncError::Invite(format!(
            "{text:?}: an invite must stay valid for some time, like 7d"
        )));
    }
    Ok(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_durations_become_milliseconds() {
        assert_eq!(parse_validity_ms("90s").unwrap(), 90_000);
        assert_eq!(parse_validity_ms("30m").unwrap(), 1_800_000);
        assert_eq!(parse_validity_ms("12h").unwrap(), 43_200_000);
        assert_eq!(parse_validity_ms("7d").unwrap(), 604_800_000);
        assert_eq!(parse_validity_ms("2w").unwrap(), 1_209_600_000);
        assert_eq!(parse_validity_ms("1d 12h").unwrap(), 129_600_000);
    }

    #[test]
    fn nonsense_zero_and_months_are_refused_with_a_hint() {
        for bad in ["", "7", "seven days", "0d", "-1d", "1mo", "1y", "7x"] {
            let err = parse_validity_ms(bad).unwrap_err().to_string();
            assert!(err.contains("like 7d"), "{bad}: {err}");
        }
    }
}
