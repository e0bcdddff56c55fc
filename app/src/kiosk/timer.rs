//! The inactivity clock as plain data: seconds of idleness, then a warning that counts down, then
//! the wipe. The browser part ticks it once a second and reports activity (tested natively).

/// How long the warning gives the visitor to answer, in seconds (WCAG 2.2.1: at least 20).
pub const WARNING_SECONDS: u32 = 20;

/// Where the visitor is on the way to a wipe.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase {
    /// In use; `idle` seconds since the last input.
    Active { idle: u32 },
    /// The warning is shown; `left` seconds until the wipe.
    Warning { left: u32 },
    /// Time is up: wipe now.
    Expired,
}

/// The inactivity clock of one page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Timer {
    /// Seconds without input before the warning.
    pub limit: u32,
    pub phase: Phase,
}

impl Timer {
    pub fn new(limit: u32) -> Timer {
        Timer {
            limit: limit.max(1),
            phase: Phase::Active { idle: 0 },
        }
    }

    /// One second has passed; returns the new phase.
    pub fn tick(&mut self) -> Phase {
        self.phase = match self.phase {
            Phase::Active { idle } if idle + 1 >= self.limit => Phase::Warning {
                left: WARNING_SECONDS,
            },
            Phase::Active { idle } => Phase::Active { idle: idle + 1 },
            Phase::Warning { left } if left <= 1 => Phase::Expired,
            Phase::Warning { left } => Phase::Warning { left: left - 1 },
            Phase::Expired => Phase::Expired,
        };
        self.phase
    }

    /// The visitor did something (pointer, key, touch, input, scroll). While the warning is shown
    /// only its "continue" button counts ([`Timer::resume`]), so a stray touch cannot hide it.
    pub fn activity(&mut self) {
        if let Phase::Active { .. } = self.phase {
            self.phase = Phase::Active { idle: 0 };
        }
    }

    /// "Continue" on the warning: everything is kept and the idle count starts again.
    pub fn resume(&mut self) {
        if self.phase != Phase::Expired {
            self.phase = Phase::Active { idle: 0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticks(t: &mut Timer, n: u32) -> Phase {
        (0..n).map(|_| t.tick()).last().unwrap_or(t.phase)
    }

    #[test]
    fn warns_after_the_limit_then_counts_down_to_the_wipe() {
        let mut t = Timer::new(5);
        assert_eq!(ticks(&mut t, 4), Phase::Active { idle: 4 });
        assert_eq!(
            t.tick(),
            Phase::Warning {
                left: WARNING_SECONDS
            }
        );
        assert_eq!(
            ticks(&mut t, WARNING_SECONDS - 1),
            Phase::Warning { left: 1 }
        );
        assert_eq!(t.tick(), Phase::Expired);
        assert_eq!(t.tick(), Phase::Expired);
    }

    #[test]
    fn the_warning_gives_at_least_twenty_seconds() {
        const { assert!(WARNING_SECONDS >= 20) };
        let mut t = Timer::new(5);
        ticks(&mut t, 5);
        let shown = (0..).take_while(|_| t.tick() != Phase::Expired).count() + 1;
        assert_eq!(shown as u32, WARNING_SECONDS);
    }

    #[test]
    fn activity_restarts_the_idle_count_but_not_the_warning() {
        let mut t = Timer::new(5);
        ticks(&mut t, 4);
        t.activity();
        assert_eq!(t.phase, Phase::Active { idle: 0 });
        ticks(&mut t, 5);
        ticks(&mut t, 3);
        t.activity();
        assert_eq!(
            t.phase,
            Phase::Warning {
                left: WARNING_SECONDS - 3
            }
        );
    }

    #[test]
    fn continue_keeps_everything_and_starts_again() {
        let mut t = Timer::new(5);
        ticks(&mut t, 10);
        t.resume();
        assert_eq!(t.phase, Phase::Active { idle: 0 });
        assert_eq!(
            ticks(&mut t, 5),
            Phase::Warning {
                left: WARNING_SECONDS
            }
        );
        ticks(&mut t, WARNING_SECONDS);
        t.resume();
        assert_eq!(t.phase, Phase::Expired, "too late: the wipe has begun");
    }
}
