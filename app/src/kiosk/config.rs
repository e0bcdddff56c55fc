//! Kiosk settings: `?kiosk=1|0` and `&idle=<seconds>` read from the page's query string and kept
//! in local storage until turned off (plain Rust, tested natively).

/// Local storage key: `"1"` while kiosk mode is on (absent when off). The shell owns the name
/// (its `storage::kiosk` reads the flag, knowing nothing else of the kiosk).
pub use crate::shell::storage::KIOSK_KEY;
/// Local storage key: the inactivity timeout in seconds, kept with [`KIOSK_KEY`].
pub const IDLE_KEY: &str = "pishkhan.kiosk.idle";
/// The inactivity timeout when none is given, in seconds.
pub const DEFAULT_IDLE: u32 = 120;
/// The shortest inactivity timeout accepted (tests use it), in seconds.
pub const MIN_IDLE: u32 = 5;
/// The longest inactivity timeout accepted: one day.
pub const MAX_IDLE: u32 = 86_400;
/// Cache Storage names that hold only the app shells (public/sw.js): kept by a wipe.
pub const SHELL_CACHES: [&str; 3] = ["pishkhan-shell", "pishkhan-tools", "pishkhan-forms"];

/// Kiosk mode, on or off, and its inactivity timeout.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Config {
    pub on: bool,
    /// Seconds without any input before the warning.
    pub idle: u32,
}

impl Config {
    /// The settings for this page: the query string (`?kiosk=1&idle=30`, with or without `?`)
    /// wins over what local storage kept (`stored_on`, `stored_idle`).
    pub fn resolve(query: &str, stored_on: Option<&str>, stored_idle: Option<&str>) -> Config {
        let mut on = stored_on == Some("1");
        let mut idle = stored_idle.and_then(parse_idle).unwrap_or(DEFAULT_IDLE);
        for (key, value) in query
            .strip_prefix('?')
            .unwrap_or(query)
            .split('&')
            .filter_map(|p| p.split_once('='))
        {
            match key {
                "kiosk" => match value {
                    "1" | "true" | "on" => on = true,
                    "0" | "false" | "off" => on = false,
                    _ => {}
                },
                "idle" => idle = parse_idle(value).unwrap_or(idle),
                _ => {}
            }
        }
        Config { on, idle }
    }

    /// What local storage should hold for these settings: `(key, Some(value))` to set,
    /// `(key, None)` to remove (kiosk mode off leaves nothing behind).
    pub fn stored(self) -> [(&'static str, Option<String>); 2] {
        if self.on {
            [
                (KIOSK_KEY, Some("1".into())),
                (IDLE_KEY, Some(self.idle.to_string())),
            ]
        } else {
            [(KIOSK_KEY, None), (IDLE_KEY, None)]
        }
    }
}

/// A timeout in whole seconds (Latin, Persian or Arabic-Indic digits), clamped to
/// [`MIN_IDLE`]..=[`MAX_IDLE`]; `None` when it is not a number.
pub fn parse_idle(s: &str) -> Option<u32> {
    let n = rules::digits::parse_number(s)?;
    Some(n.clamp(u64::from(MIN_IDLE), u64::from(MAX_IDLE)) as u32)
}

/// Whether a Cache Storage cache holds only an app shell (kept) rather than a visitor's data.
pub fn is_shell_cache(name: &str) -> bool {
    SHELL_CACHES.iter().any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default_with_the_default_timeout() {
        assert_eq!(
            Config::resolve("", None, None),
            Config {
                on: false,
                idle: DEFAULT_IDLE
            }
        );
        assert!(!Config::resolve("?lang=en", None, None).on);
    }

    #[test]
    fn the_query_turns_it_on_and_off_and_wins_over_storage() {
        assert_eq!(
            Config::resolve("?kiosk=1", None, None),
            Config {
                on: true,
                idle: 120
            }
        );
        assert_eq!(
            Config::resolve("kiosk=1&idle=30", None, None),
            Config { on: true, idle: 30 }
        );
        assert!(Config::resolve("?a=b&kiosk=true", None, None).on);
        assert!(!Config::resolve("?kiosk=0", Some("1"), Some("30")).on);
        assert!(Config::resolve("?kiosk=maybe", Some("1"), None).on);
    }

    #[test]
    fn storage_keeps_it_on_until_turned_off() {
        assert_eq!(
            Config::resolve("", Some("1"), Some("45")),
            Config { on: true, idle: 45 }
        );
        assert_eq!(
            Config::resolve("?idle=10", Some("1"), Some("45")),
            Config { on: true, idle: 10 }
        );
        assert!(!Config::resolve("", Some("0"), None).on);
        assert_eq!(
            Config::resolve("", Some("1"), Some("junk")).idle,
            DEFAULT_IDLE
        );
    }

    #[test]
    fn the_timeout_is_clamped_and_read_in_any_digits() {
        assert_eq!(parse_idle("5"), Some(5));
        assert_eq!(parse_idle("1"), Some(MIN_IDLE));
        assert_eq!(parse_idle("0"), Some(MIN_IDLE));
        assert_eq!(parse_idle("999999"), Some(MAX_IDLE));
        assert_eq!(parse_idle("99999999999999"), Some(MAX_IDLE));
        assert_eq!(parse_idle("۳۰"), Some(30));
        assert_eq!(parse_idle("٤٥"), Some(45));
        assert_eq!(parse_idle(""), None);
        assert_eq!(parse_idle("-5"), None);
        assert_eq!(parse_idle("12s"), None);
        assert_eq!(
            Config::resolve("?kiosk=1&idle=abc", None, None).idle,
            DEFAULT_IDLE
        );
    }

    #[test]
    fn what_storage_holds() {
        let on = Config { on: true, idle: 30 };
        assert_eq!(
            on.stored(),
            [(KIOSK_KEY, Some("1".into())), (IDLE_KEY, Some("30".into()))]
        );
        let off = Config {
            on: false,
            idle: 30,
        };
        assert_eq!(off.stored(), [(KIOSK_KEY, None), (IDLE_KEY, None)]);
    }

    #[test]
    fn only_shell_caches_are_kept() {
        assert!(is_shell_cache("pishkhan-shell-v1"));
        assert!(is_shell_cache("pishkhan-forms-v2"));
        assert!(is_shell_cache("pishkhan-tools-v1"));
        assert!(!is_shell_cache("pishkhan-drafts"));
        assert!(!is_shell_cache("other"));
    }
}
