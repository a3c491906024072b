//! Dates as French people read them, in the time zone of the place concerned (overseas
//! départements have their own).

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

const MONTHS: [&str; 12] = [
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

/// The time zone of a département (mainland and Corsica: Europe/Paris).
pub fn time_zone(departement: &str) -> Tz {
    match departement {
        "971" => chrono_tz::America::Guadeloupe,
        "972" => chrono_tz::America::Martinique,
        "973" => chrono_tz::America::Cayenne,
        "974" => chrono_tz::Indian::Reunion,
        "976" => chrono_tz::Indian::Mayotte,
        _ => chrono_tz::Europe::Paris,
    }
}

/// `23 novembre 2026 à 9 h 05`, in the département's time zone.
pub fn date_time_fr(at: DateTime<Utc>, departement: &str) -> String {
    let local = at.with_timezone(&time_zone(departement));
    format!(
        "{} {} {} à {} h {:02}",
        local.day(),
        MONTHS[local.month0() as usize],
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_shown_in_local_time() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 5, 0).unwrap();
        assert_eq!(date_time_fr(at, "75"), "23 novembre 2026 à 9 h 05");
        assert_eq!(date_time_fr(at, "974"), "23 novembre 2026 à 12 h 05");
        assert_eq!(date_time_fr(at, "971"), "23 novembre 2026 à 4 h 05");
    }
}
