//! Which telephone numbers can receive an SMS: French mobile numbers, mainland (06, 07) and
//! overseas (0690/0691 Guadeloupe, 0696/0697 Martinique, 0694 Guyane, 0692/0693 La Réunion, 0639
//! Mayotte). Numbers are stored as `+33` and 9 digits; overseas ones may also come as `+590…`,
//! `+596…`, `+594…`, `+262…` or `+269…`.

/// The country code an overseas mobile number is dialled with from abroad (the ranges of the
/// national plan `06 9x`, `06 39`), or `33` for mainland numbers.
fn country_code(national: &str) -> &'static str {
    match &national[..3] {
        "690" | "691" => "590",
        "696" | "697" => "596",
        "694" => "594",
        "692" | "693" | "639" => "262",
        _ => "33",
    }
}

/// The 9 national digits (without the leading 0) of `number` when it is a French mobile number.
fn national_mobile(number: &str) -> Option<String> {
    let compact: String = number
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+33") {
        rest.to_owned()
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest.to_owned()
    } else {
        let overseas = ["+590", "+596", "+594", "+262", "+269"]
            .into_iter()
            .find_map(|code| compact.strip_prefix(code))?;
        overseas.to_owned()
    };
    let mobile = national.len() == 9
        && national.chars().all(|c| c.is_ascii_digit())
        && matches!(national.as_bytes()[0], b'6' | b'7');
    mobile.then_some(national)
}

/// Whether `number` is a French mobile number (an SMS can reach it).
pub fn is_mobile(number: &str) -> bool {
    national_mobile(number).is_some()
}

/// `number` in the stored form (`+33` and 9 digits) when it is a French mobile number.
pub fn stored_mobile(number: &str) -> Option<String> {
    national_mobile(number).map(|national| format!("+33{national}"))
}

/// The digits an SMS provider dials for the mobile `number` (international, without `+`): the
/// overseas country code for overseas mobiles, `33` otherwise.
pub fn international_digits(number: &str) -> Option<String> {
    national_mobile(number).map(|national| format!("{}{national}", country_code(&national)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_and_overseas_mobiles_can_receive_sms() {
        for number in [
            "+33612345678",
            "+33712345678",
            "0612345678",
            "+33690123456",
            "+33696123456",
            "+33694123456",
            "+33692123456",
            "+33639123456",
            "+590690123456",
            "+262692123456",
        ] {
            assert!(is_mobile(number), "{number}");
        }
    }

    #[test]
    fn landlines_and_other_countries_cannot() {
        for number in [
            "+33145678901",
            "+33326123456",
            "+33590123456",
            "+33912345678",
            "+32470123456",
            "+3361234567",
            "",
        ] {
            assert!(!is_mobile(number), "{number}");
        }
    }

    #[test]
    fn providers_dial_overseas_mobiles_with_their_own_country_code() {
        let digits = |n| international_digits(n).unwrap();
        assert_eq!(digits("+33612345678"), "33612345678");
        assert_eq!(digits("+33690123456"), "590690123456");
        assert_eq!(digits("+33697123456"), "596697123456");
        assert_eq!(digits("+33694123456"), "594694123456");
        assert_eq!(digits("+33693123456"), "262693123456");
        assert_eq!(digits("+33639123456"), "262639123456");
        assert_eq!(digits("+590690123456"), "590690123456");
        assert_eq!(
            stored_mobile("+590690123456").as_deref(),
            Some("+33690123456")
        );
    }
}
