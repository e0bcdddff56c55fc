//! Calendar files of a deadline: which computed dates are deadlines (and the article that sets
//! each), and one `.ics` file (RFC 5545, written by the `icalendar` crate) with an all-day event on
//! the day, a reminder a week before, the Jalali date and the article; built in the browser from
//! the date alone, so it works offline.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property};
use rules::JalaliDate;

use crate::shell::i18n::Lang;

/// Who made the file (`PRODID`, RFC 5545 §3.7.3).
pub const PRODID: &str = "-//Pishkhan//Deadlines//FA";

/// How many days before the deadline the calendar reminds: a week, enough to act on any of them
/// (the shortest, the revocation window, is two months long), and one reminder only.
pub const ALARM_DAYS_BEFORE: i64 = 7;

/// A computed date that is a deadline, by its name in the contract (`data-date`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deadline {
    ExemptionUntil,
    StudyUntil,
    StudyUntilWithCommission,
    RevocationDeadline,
    PresentBy,
    PresentByEarliest,
}

impl Deadline {
    pub const ALL: [Deadline; 6] = [
        Deadline::ExemptionUntil,
        Deadline::StudyUntil,
        Deadline::StudyUntilWithCommission,
        Deadline::RevocationDeadline,
        Deadline::PresentBy,
        Deadline::PresentByEarliest,
    ];

    /// The deadline of a date field; `None` for a date that is no deadline (`final_ruling_from`,
    /// `today`, a submission's day).
    pub fn of_field(field: &str) -> Option<Deadline> {
        Deadline::ALL.into_iter().find(|d| d.field() == field)
    }

    pub fn field(self) -> &'static str {
        match self {
            Deadline::ExemptionUntil => "exemption_until",
            Deadline::StudyUntil => "study_until",
            Deadline::StudyUntilWithCommission => "study_until_with_commission",
            Deadline::RevocationDeadline => "revocation_deadline",
            Deadline::PresentBy => "present_by",
            Deadline::PresentByEarliest => "present_by_earliest",
        }
    }

    /// The article that sets the deadline, as the rows of `rules::params` cite it (a test keeps
    /// them in step): the study period and the school age limit (Art. 33 n.1), the commission's
    /// year (n.2), the revocation window, the year to present for service (Art. 34 n.1).
    pub fn article(self) -> &'static str {
        match self {
            Deadline::ExemptionUntil | Deadline::StudyUntil => "Art. 33 n.1",
            Deadline::StudyUntilWithCommission => "Art. 33 n.2",
            Deadline::RevocationDeadline => "withdrawal procedure (seed 001) n.2",
            Deadline::PresentBy | Deadline::PresentByEarliest => "Art. 34 n.1",
        }
    }
}

/// The calendar file's name: `pishkhan-<field>-<YYYY-MM-DD Jalali>.ics`.
pub fn file_name(deadline: Deadline, date: JalaliDate) -> String {
    format!("pishkhan-{}-{}.ics", deadline.field(), date.to_machine())
}

/// The same deadline on the same day always has the same UID, so a calendar that imports the
/// file again updates the event instead of adding a second one.
pub fn uid(deadline: Deadline, date: JalaliDate) -> String {
    let g = date.to_gregorian();
    format!(
        "{}-{:04}{:02}{:02}@pishkhan",
        deadline.field(),
        g.year,
        g.month,
        g.day
    )
}

/// The event's text in one language: its title, then the Jalali date (with the Gregorian one) and
/// the article, each on a line.
fn text_in(lang: Lang, deadline: Deadline, date: JalaliDate) -> (&'static str, String) {
    let t = lang.texts();
    let title = (t.calendar_event)(deadline.field());
    let description = format!(
        "{title}: {} ({} {})\n{}: {}\n{}",
        lang.date(date),
        lang.gregorian(date),
        t.gregorian_suffix,
        t.article_label,
        // The article as the page writes it, its spaces made single (the Persian one drops a
        // word of the English reference and leaves two).
        (t.article_text)(deadline.article())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        t.calendar_note,
    );
    (title, description)
}

/// The deadline's event: all day on `date` (`DTSTART;VALUE=DATE`, Gregorian, and `DTEND` the
/// next day: RFC 5545's end is not included), its Persian title as `SUMMARY`, with `description`
/// (Persian then English: the Jalali date and the article) and a display alarm
/// [`ALARM_DAYS_BEFORE`] days before. `stamp_ms` (milliseconds since 1970) is its `DTSTAMP`.
fn event(deadline: Deadline, date: JalaliDate, stamp_ms: i64, description: bool) -> Event {
    let title_fa = (Lang::Fa.texts().calendar_event)(deadline.field());
    let g = date.to_gregorian();
    let day = NaiveDate::from_ymd_opt(g.year, u32::from(g.month), u32::from(g.day))
        .expect("a Jalali date converts to a real Gregorian day");
    let stamp = DateTime::<Utc>::from_timestamp_millis(stamp_ms).unwrap_or_default();
    let reminder = (Lang::Fa.texts().calendar_reminder)(title_fa);
    let uid = uid(deadline, date);
    // The crate gives every component it writes a DTSTAMP and a UID, a random one when none is
    // set: the alarm gets its event's (RFC 9074 gives alarms a UID), so the file is the same each
    // time for the same moment.
    let alarm = Alarm::display(&reminder, -Duration::days(ALARM_DAYS_BEFORE))
        .uid(&format!("alarm-{uid}"))
        .timestamp(stamp)
        .done();
    let mut event = Event::with_uid(&uid);
    event
        .timestamp(stamp)
        .starts(day)
        .ends(day.succ_opt().unwrap_or(day))
        .summary(title_fa)
        .alarm(alarm);
    if description {
        let (_, description_fa) = text_in(Lang::Fa, deadline, date);
        let (_, description_en) = text_in(Lang::En, deadline, date);
        event.description(&format!("{description_fa}\n\n{description_en}"));
    }
    event.done()
}

/// The `.ics` file of one deadline: a calendar (our `PRODID`) with its [`event`], described.
pub fn ics(deadline: Deadline, date: JalaliDate, stamp_ms: i64) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .push(event(deadline, date, stamp_ms, true));
    calendar.done().to_string()
}

/// The deadline's event alone (`BEGIN:VEVENT` … `END:VEVENT`, what a phone's camera reads from a
/// QR code), without the description, so the code stays small enough to scan from paper.
pub fn qr_text(deadline: Deadline, date: JalaliDate, stamp_ms: i64) -> String {
    event(deadline, date, stamp_ms, false).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::params::{param, Limit};
    use rules::Level;

    const STAMP: i64 = 1_765_000_000_000;

    fn day(y: i32, m: u8, d: u8) -> JalaliDate {
        JalaliDate::new(y, m, d).unwrap()
    }

    /// The content lines, unfolded (RFC 5545 §3.1: a CRLF followed by one space is removed).
    fn lines(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    fn value<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
        lines
            .iter()
            .filter_map(|l| {
                l.strip_prefix(name)
                    .filter(|rest| rest.starts_with([':', ';']))
            })
            .collect()
    }

    #[test]
    fn the_articles_are_those_of_the_parameters_table() {
        let on = day(1403, 7, 1);
        let article = |limit| param(limit, on).unwrap().article;
        assert_eq!(
            Deadline::StudyUntil.article(),
            article(Limit::MaxStudyMonths(Level::BachelorContinuous))
        );
        assert_eq!(
            Deadline::ExemptionUntil.article(),
            article(Limit::SchoolAgeMonths)
        );
        assert_eq!(
            Deadline::StudyUntilWithCommission.article(),
            article(Limit::CommissionExtensionMonths)
        );
        assert_eq!(
            Deadline::RevocationDeadline.article(),
            article(Limit::RevocationWindowMonths)
        );
        assert_eq!(
            Deadline::PresentBy.article(),
            article(Limit::PresentationWindowMonths)
        );
        for d in Deadline::ALL {
            assert_eq!(Deadline::of_field(d.field()), Some(d));
        }
        assert_eq!(Deadline::of_field("final_ruling_from"), None);
    }

    #[test]
    fn one_all_day_event_on_the_gregorian_day_with_a_week_ahead_alarm() {
        // 1 Farvardin 1404 = 21 March 2025: a Jalali year's first day.
        let date = day(1404, 1, 1);
        let file = ics(Deadline::PresentBy, date, STAMP);
        assert!(file.contains("\r\n"), "CRLF line ends");
        let l = lines(&file);
        assert_eq!(value(&l, "BEGIN"), [":VCALENDAR", ":VEVENT", ":VALARM"]);
        assert_eq!(value(&l, "DTSTART"), [";VALUE=DATE:20250321"]);
        assert_eq!(value(&l, "DTEND"), [";VALUE=DATE:20250322"]);
        assert_eq!(value(&l, "PRODID"), [":-//Pishkhan//Deadlines//FA"]);
        assert_eq!(value(&l, "VERSION"), [":2.0"]);
        assert_eq!(
            value(&l, "UID"),
            [
                ":present_by-20250321@pishkhan",
                ":alarm-present_by-20250321@pishkhan"
            ]
        );
        assert_eq!(value(&l, "DTSTAMP"), [":20251206T054640Z"; 2]);
        assert_eq!(value(&l, "ACTION"), [":DISPLAY"]);
        // chrono's way of writing a week before the start: RFC 5545 `dur-time` in seconds.
        assert_eq!(value(&l, "TRIGGER"), [":-PT604800S"]);
        assert_eq!(value(&l, "SUMMARY"), [":آخرین روز معرفی برای خدمت"]);
        let description = value(&l, "DESCRIPTION")[0];
        assert!(description.contains("۱ فروردین ۱۴۰۴"), "{description}");
        assert!(description.contains("ماده ۳۴ تبصره ۱"), "{description}");
        assert!(description.contains("1 Farvardin 1404"), "{description}");
        assert!(description.contains("Art. 34 n.1"), "{description}");
        // The same deadline and day: the same UID, whenever the file is made.
        assert_eq!(
            uid(Deadline::PresentBy, date),
            value(&lines(&ics(Deadline::PresentBy, date, 0)), "UID")[0][1..]
        );
        assert_eq!(ics(Deadline::PresentBy, date, STAMP), file);
    }

    #[test]
    fn jalali_year_and_month_ends_land_on_their_gregorian_days() {
        // 30 Esfand 1403 (a leap year's last day) = 20 March 2025; 29 Esfand 1402 (a common
        // year's) = 19 March 2024; 31 Shahrivar 1403 = 21 September 2024 and 1 Mehr the 22nd;
        // across the Gregorian year: 11 Dey 1403 = 31 December 2024, 12 Dey = 1 January 2025.
        for ((y, m, d), gregorian) in [
            ((1403, 12, 30), "20250320"),
            ((1402, 12, 29), "20240319"),
            ((1403, 6, 31), "20240921"),
            ((1403, 7, 1), "20240922"),
            ((1403, 10, 11), "20241231"),
            ((1403, 10, 12), "20250101"),
        ] {
            let l = lines(&ics(Deadline::ExemptionUntil, day(y, m, d), STAMP));
            assert_eq!(
                value(&l, "DTSTART"),
                [format!(";VALUE=DATE:{gregorian}").as_str()],
                "{y}-{m}-{d}"
            );
        }
    }

    #[test]
    fn persian_text_and_commas_are_escaped_and_long_lines_folded_on_characters() {
        let file = ics(Deadline::RevocationDeadline, day(1404, 7, 15), STAMP);
        for line in file.split("\r\n") {
            assert!(
                line.len() <= 75,
                "a content line of {} octets: {line}",
                line.len()
            );
        }
        let l = lines(&file);
        let description = value(&l, "DESCRIPTION")[0];
        // The English note has commas: every comma and semicolon is escaped, and the lines of
        // the description are `\n`; the Persian comma and semicolon (، ؛) are text.
        assert!(description.contains("\\n"), "{description}");
        assert!(
            !description.replace("\\,", "").contains(','),
            "{description}"
        );
        assert!(
            !description.replace("\\;", "").contains(';'),
            "{description}"
        );
        assert!(
            description.contains("مستند: شیوه‌نامه انصراف تبصره ۲"),
            "{description}"
        );
        // Unfolding gives back whole characters: Persian text survives the folding.
        assert!(description.contains("۱۵ مهر ۱۴۰۴"), "{description}");
    }

    #[test]
    fn the_kiosks_qr_code_holds_the_event_alone_and_small() {
        let text = qr_text(Deadline::RevocationDeadline, day(1404, 7, 15), STAMP);
        let l = lines(&text);
        assert_eq!(l.first().map(String::as_str), Some("BEGIN:VEVENT"));
        assert_eq!(value(&l, "BEGIN"), [":VEVENT", ":VALARM"]);
        assert_eq!(value(&l, "DTSTART"), [";VALUE=DATE:20251007"]);
        assert_eq!(value(&l, "SUMMARY"), [":آخرین روز برگشت از انصراف"]);
        assert!(value(&l, "DESCRIPTION").len() == 1, "the alarm's only");
        assert!(text.len() < 600, "{} bytes", text.len());
    }
}
