//! The server's clock: now in Unix seconds, and a moment as the API shows it (Jalali date in
//! Tehran and UTC time, side by side).

use api::common::Moment;
use rules::JalaliDate;

/// Seconds since 1970-01-01T00:00:00Z.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `{"jalali": "1403-07-15", "utc": "2024-10-06T10:00:00Z"}`: the day in Tehran and the UTC
/// instant.
pub fn stamp(unix: i64) -> Moment {
    Moment {
        jalali: JalaliDate::today_in_tehran(unix).to_machine(),
        utc: utc_rfc3339(unix),
    }
}

/// RFC 3339 in UTC to the second (`2024-10-06T10:00:00Z`), by the civil-from-days algorithm
/// (proleptic Gregorian).
pub fn utc_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn utc_times_are_rfc_3339() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(1_728_160_200), "2024-10-05T20:30:00Z");
        assert_eq!(utc_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    #[test]
    fn a_stamp_gives_the_day_in_tehran() {
        // 20:30 UTC is already the next day in Tehran (UTC+03:30).
        assert_eq!(
            serde_json::to_value(stamp(1_728_160_200)).unwrap(),
            json!({"jalali": "1403-07-15", "utc": "2024-10-05T20:30:00Z"})
        );
    }
}
