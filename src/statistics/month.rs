//! Calendar months, the time unit of the statistics: a request counts in the month it was received
//! (in metropolitan French time).

use std::fmt;

use chrono::{DateTime, Datelike, Utc};

/// A calendar month, ordered, stored as `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(u32);

impl Month {
    /// The month `month` (1–12) of `year`.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        let year = u32::try_from(year).ok()?;
        ((1..=12).contains(&month) && (2000..=2999).contains(&year))
            .then(|| Self(year * 12 + month - 1))
    }

    /// The month of `at`, in Europe/Paris time.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&chrono_tz::Europe::Paris);
        Self::new(local.year(), local.month()).unwrap_or(Self(2000 * 12))
    }

    /// Reads `YYYY-MM` (what `<input type="month">` sends).
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        Self::new(year.parse().ok()?, month.parse().ok()?)
    }

    /// The year.
    pub fn year(self) -> u32 {
        self.0 / 12
    }

    /// The month of the year, 1–12.
    pub fn number(self) -> u32 {
        self.0 % 12 + 1
    }

    /// The next month.
    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// `n` months earlier.
    pub fn minus(self, n: u32) -> Self {
        Self(self.0.saturating_sub(n))
    }

    /// The months from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.0..=last.0).map(Month)
    }

    /// How many months from `self` to `last`, both included (0 if `last` is earlier).
    pub fn count_to(self, last: Month) -> u32 {
        (last.0 + 1).saturating_sub(self.0)
    }

    /// The short French name: `janv. 2026`.
    pub fn short_fr(self) -> String {
        const NAMES: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        format!("{} {}", NAMES[(self.number() - 1) as usize], self.year())
    }

    /// The full French name: `janvier 2026`.
    pub fn long_fr(self) -> String {
        const NAMES: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        format!("{} {}", NAMES[(self.number() - 1) as usize], self.year())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_read_and_print_as_year_dash_month() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.to_string(), "2026-01");
        assert_eq!(m.minus(1).to_string(), "2025-12");
        assert_eq!(m.next().to_string(), "2026-02");
        assert_eq!(m.minus(11).count_to(m), 12);
        for bad in ["2026-13", "2026-1", "26-01", "", "2026/01", "abcd-ef"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_request_counts_in_its_month_in_french_time() {
        let new_year_in_paris = Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(Month::of(new_year_in_paris).to_string(), "2026-01");
        assert_eq!(Month::parse("2026-03").unwrap().long_fr(), "mars 2026");
    }
}
