//! Quiet hours: no SMS between `SMS_QUIET_FROM` and `SMS_QUIET_UNTIL` in the recipient's local
//! time, the time of the request's (or volunteer's) département: Europe/Paris for the mainland
//! and Corsica, the overseas zones for 971–976.

pub use crate::config::QuietHours;
pub use crate::dates::time_zone as zone;
use chrono::{DateTime, Days, TimeZone, Utc};

impl QuietHours {
    /// The earliest time at or after `now` an SMS may leave for someone in `departement`: `now`
    /// itself outside the quiet period, its end otherwise.
    pub fn next_allowed(&self, now: DateTime<Utc>, departement: Option<&str>) -> DateTime<Utc> {
        let tz = zone(departement.unwrap_or_default());
        let local = now.with_timezone(&tz);
        let time = local.time();
        let (quiet, ends_tomorrow) = if self.from == self.until {
            (false, false)
        } else if self.from < self.until {
            (time >= self.from && time < self.until, false)
        } else if time >= self.from {
            (true, true)
        } else {
            (time < self.until, false)
        };
        if !quiet {
            return now;
        }
        let day = if ends_tomorrow {
            local.date_naive() + Days::new(1)
        } else {
            local.date_naive()
        };
        let end = day.and_time(self.until);
        // A daylight-saving gap at that time: an hour later.
        tz.from_local_datetime(&end)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(end + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or(now)
    }

    /// Whether `now` is in the quiet period for someone in `departement`.
    pub fn is_quiet(&self, now: DateTime<Utc>, departement: Option<&str>) -> bool {
        self.next_allowed(now, departement) > now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::NaiveTime;

    /// The default 20:00–09:00.
    fn evenings() -> QuietHours {
        QuietHours {
            from: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
            until: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        }
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn at_23_in_paris_texts_wait_until_9_the_next_morning() {
        let quiet = evenings();
        // 23:00 in Paris in winter is 22:00 UTC.
        let at = quiet.next_allowed(utc("2026-11-30T22:00:00Z"), Some("51"));
        assert_eq!(at, utc("2026-12-01T08:00:00Z"));
        // 07:30 in Paris: until 09:00 the same day.
        let at = quiet.next_allowed(utc("2026-12-01T06:30:00Z"), Some("2A"));
        assert_eq!(at, utc("2026-12-01T08:00:00Z"));
    }

    #[test]
    fn daytime_texts_leave_at_once() {
        let quiet = evenings();
        let noon = utc("2026-11-30T11:00:00Z");
        assert_eq!(quiet.next_allowed(noon, Some("51")), noon);
        assert!(!quiet.is_quiet(noon, Some("974")));
    }

    #[test]
    fn overseas_departements_follow_their_own_clock() {
        let quiet = evenings();
        // 22:00 in La Réunion (UTC+4) is 18:00 UTC, 19:00 in Paris.
        let evening = utc("2026-11-30T18:00:00Z");
        assert!(!quiet.is_quiet(evening, Some("51")));
        assert_eq!(
            quiet.next_allowed(evening, Some("974")),
            utc("2026-12-01T05:00:00Z")
        );
        // 21:00 in Guadeloupe (UTC-4) is 01:00 UTC.
        assert_eq!(
            quiet.next_allowed(utc("2026-12-01T01:00:00Z"), Some("971")),
            utc("2026-12-01T13:00:00Z")
        );
        assert_eq!(zone("973"), chrono_tz::America::Cayenne);
        assert_eq!(zone("976"), chrono_tz::Indian::Mayotte);
        assert_eq!(zone("972"), chrono_tz::America::Martinique);
    }

    #[test]
    fn a_daytime_quiet_period_works_too() {
        let quiet = QuietHours {
            from: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            until: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        };
        assert_eq!(
            quiet.next_allowed(utc("2026-11-30T12:00:00Z"), Some("75")),
            utc("2026-11-30T13:00:00Z")
        );
    }
}
