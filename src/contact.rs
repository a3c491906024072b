//! Contact details that parse: an e-mail address (trimmed, domain lower-cased) and a French
//! telephone number (normalised to +33…), with French error messages.

use std::fmt;

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
}
