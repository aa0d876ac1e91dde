//! The clock: the one place that reads the time of day (`clippy.toml` forbids `Utc::now`
//! elsewhere). Every "today" is Vietnam's date: the programme's facts are dated in local time,
//! so between 00:00 and 07:00 in Hà Nội a fact dated today is today's, not tomorrow's
//! (see `docs/decisions/local-clock.md`).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's time, `Asia/Ho_Chi_Minh`: UTC+7 all year (no daylight saving since 1975).
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// The time a command or a read is judged at: the system's, or a fixed instant (tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system's clock.
    pub const SYSTEM: Clock = Clock { fixed: None };

    /// A clock that always reads `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock { fixed: Some(at) }
    }

    /// Now, as an instant (the store's `recorded_at` is UTC).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(system_now)
    }

    /// Today's date in Vietnam.
    ///
    /// ```
    /// use ntm_tracker::app::clock::Clock;
    ///
    /// // 17:30 UTC on 1 July is 00:30 on 2 July in Hà Nội.
    /// let at = "2025-07-01T17:30:00Z".parse().expect("an instant");
    /// assert_eq!(Clock::fixed(at).today().to_string(), "2025-07-02");
    /// ```
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&VIETNAM).date_naive()
    }
}

#[allow(clippy::disallowed_methods, reason = "the one reading of the clock")]
fn system_now() -> DateTime<Utc> {
    Utc::now()
}

/// Now, by the system's clock.
pub fn now() -> DateTime<Utc> {
    Clock::SYSTEM.now()
}

/// Today's date in Vietnam, by the system's clock.
pub fn today() -> NaiveDate {
    Clock::SYSTEM.today()
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn today_is_vietnams_date_on_both_sides_of_utc_midnight() {
        let day = |at: &str| {
            Clock::fixed(at.parse().expect("instant"))
                .today()
                .to_string()
        };
        assert_eq!(
            day("2025-07-01T16:59:59Z"),
            "2025-07-01",
            "23:59:59 in Hà Nội"
        );
        assert_eq!(day("2025-07-01T17:00:00Z"), "2025-07-02", "00:00 in Hà Nội");
        assert_eq!(day("2025-07-01T17:30:00Z"), "2025-07-02", "00:30 in Hà Nội");
        assert_eq!(day("2025-07-02T06:59:00Z"), "2025-07-02", "13:59 in Hà Nội");
    }
}
