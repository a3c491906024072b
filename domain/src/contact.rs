//! Contact details that parse: an e-mail address (trimmed, domain lower-cased), a French
//! telephone number (normalised to +33…) and the first name people are called by, with French
//! error messages.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use validator::ValidateEmail;

/// A syntactically valid e-mail address, trimmed, with its domain in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses what a person typed.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Indiquez une adresse e-mail.");
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(
                "Cette adresse e-mail n'est pas complète : il manque le signe @ (par exemple marie.dupont@exemple.fr).",
            );
        };
        let normalised = format!("{local}@{}", domain.to_lowercase());
        if normalised.chars().count() > 254 || !normalised.validate_email() || !domain.contains('.')
        {
            return Err(
                "Cette adresse e-mail ne semble pas correcte. Vérifiez-la (par exemple marie.dupont@exemple.fr).",
            );
        }
        Ok(Self(normalised))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A French telephone number in international form (+33 followed by 9 digits), or an overseas
/// one (+262, +590, +594, +596, +269 for Mayotte's 0269/0639 numbers).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses what a person typed: spaces, dots, dashes and brackets are ignored; `0X XX XX XX XX`,
    /// `+33 X…` and `0033 X…` are accepted.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        if compact.is_empty() {
            return Err("Indiquez un numéro de téléphone.");
        }
        let national = if let Some(rest) = compact.strip_prefix("+33") {
            rest.strip_prefix('0').unwrap_or(rest).to_owned()
        } else if let Some(rest) = compact.strip_prefix("0033") {
            rest.strip_prefix('0').unwrap_or(rest).to_owned()
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest.to_owned()
        } else {
            return Err(
                "Ce numéro ne semble pas être un numéro français. Indiquez-le avec ses 10 chiffres, par exemple 06 12 34 56 78.",
            );
        };
        let valid = national.len() == 9
            && national.chars().all(|c| c.is_ascii_digit())
            && matches!(national.as_bytes()[0], b'1'..=b'7' | b'9');
        if !valid {
            return Err(
                "Ce numéro de téléphone n'est pas complet. Il doit avoir 10 chiffres, par exemple 06 12 34 56 78.",
            );
        }
        Ok(Self(format!("+33{national}")))
    }

    /// The number in international form, e.g. `+33612345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as people read it aloud in France: `06 12 34 56 78`.
    pub fn display_fr(&self) -> String {
        display_fr(&self.0)
    }
}

/// The longest first name, in characters.
pub const FIRST_NAME_MAX: usize = 50;

/// A first name, as it goes into pages and e-mails: letters of any script (accents and other
/// marks included), spaces, hyphens and apostrophes (straight or typographic), starting with a
/// letter, 1 to [`FIRST_NAME_MAX`] characters; NFC-normalised, spaces trimmed and single.
/// Every first name read from a form or the command line (volunteers, citizens and the relatives
/// they ask for, staff) goes through it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FirstName(String);

/// Why a typed first name is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstNameError {
    /// Nothing was typed (callers may say whose first name is missing).
    Missing,
    /// More than [`FIRST_NAME_MAX`] characters.
    TooLong,
    /// A character a first name does not have (digit, symbol, control character…).
    NotAName,
}

impl FirstNameError {
    /// What to show next to the field.
    pub fn message(self) -> &'static str {
        match self {
            Self::Missing => "Indiquez un prénom.",
            Self::TooLong => "Ce prénom est trop long : 50 caractères au plus.",
            Self::NotAName => {
                "Un prénom ne peut contenir que des lettres, des espaces, des traits d'union et des \
                 apostrophes, et commence par une lettre (par exemple Jean-Édouard ou N'Diaye)."
            }
        }
    }
}

impl fmt::Display for FirstNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for FirstNameError {}

impl FirstName {
    /// Parses what a person typed.
    pub fn parse(input: &str) -> Result<Self, FirstNameError> {
        if input.chars().any(char::is_control) {
            return Err(FirstNameError::NotAName);
        }
        let name = input
            .nfc()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut chars = name.chars();
        match chars.next() {
            None => return Err(FirstNameError::Missing),
            Some(first) if !first.is_alphabetic() => return Err(FirstNameError::NotAName),
            Some(_) => {}
        }
        let allowed = |c: char| {
            c.is_alphabetic()
                || is_combining_mark(c)
                || matches!(c, ' ' | '-' | '\u{2010}' | '\'' | '\u{2019}')
        };
        if !chars.all(allowed) {
            return Err(FirstNameError::NotAName);
        }
        if name.chars().count() > FIRST_NAME_MAX {
            return Err(FirstNameError::TooLong);
        }
        Ok(Self(name))
    }

    /// The first name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first name, to store.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for FirstName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `+33612345678` as `06 12 34 56 78`; other strings unchanged.
pub fn display_fr(international: &str) -> String {
    match international.strip_prefix("+33") {
        Some(rest) if rest.len() == 9 => {
            let digits = format!("0{rest}");
            digits
                .as_bytes()
                .chunks(2)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => international.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_trimmed_and_their_domain_lower_cased() {
        assert_eq!(
            EmailAddress::parse("  Marie.Dupont@Exemple.FR ")
                .unwrap()
                .as_str(),
            "Marie.Dupont@exemple.fr"
        );
        assert!(EmailAddress::parse("marie").is_err());
        assert!(EmailAddress::parse("marie@exemple").is_err());
        assert!(EmailAddress::parse("").is_err());
    }

    #[test]
    fn french_numbers_are_normalised() {
        for typed in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "0033612345678",
            "+33 (0)6 12 34 56 78",
        ] {
            assert_eq!(
                PhoneNumber::parse(typed).unwrap().as_str(),
                "+33612345678",
                "{typed}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("0612345678").unwrap().display_fr(),
            "06 12 34 56 78"
        );
        assert!(PhoneNumber::parse("06 12 34").is_err());
        assert!(PhoneNumber::parse("+44 20 7946 0958").is_err());
        assert!(
            PhoneNumber::parse("08 00 12 34 56").is_err(),
            "no premium or free numbers as a contact"
        );
    }

    #[test]
    fn first_names_of_any_script_are_accepted_and_tidied() {
        for (typed, kept) in [
            ("Jean-Édouard", "Jean-Édouard"),
            ("N'Diaye", "N'Diaye"),
            ("N\u{2019}Diaye", "N\u{2019}Diaye"),
            ("Zoe\u{308}", "Zoë"),
            ("  Marie   Claire ", "Marie Claire"),
            ("Marie\u{a0}Claire", "Marie Claire"),
            ("Åsa", "Åsa"),
            ("Владимир", "Владимир"),
            ("محمد", "محمد"),
            ("美玲", "美玲"),
            ("अंकित", "अंकित"),
            ("Ngũgĩ", "Ngũgĩ"),
            (&"é".repeat(FIRST_NAME_MAX), &"é".repeat(FIRST_NAME_MAX)),
        ] {
            assert_eq!(
                FirstName::parse(typed).map(FirstName::into_string),
                Ok(kept.to_owned()),
                "{typed}"
            );
        }
    }

    #[test]
    fn what_is_not_a_first_name_is_refused() {
        assert_eq!(FirstName::parse("  "), Err(FirstNameError::Missing));
        assert_eq!(
            FirstName::parse(&"a".repeat(FIRST_NAME_MAX + 1)),
            Err(FirstNameError::TooLong)
        );
        for typed in [
            "<script>",
            "http://x.fr",
            "Marie2",
            "007",
            "Jean\nPaul",
            "Jean\tPaul",
            "Marie\u{200b}",
            "-Marie",
            "'",
            "Marie@exemple.fr",
            "Marie (maman)",
            "Marie.",
            "Marie;DROP",
            "Marie\u{202e}",
            "😀",
        ] {
            assert_eq!(
                FirstName::parse(typed),
                Err(FirstNameError::NotAName),
                "{typed:?}"
            );
        }
    }
}
