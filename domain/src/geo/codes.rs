//! The codes that name French places: INSEE commune codes and postcodes. Both are strings of five
//! characters (`2A004` is a commune of Corsica, `01000` a postcode of Bourg-en-Bresse), never
//! numbers; they can only be built by parsing, so a value of these types is always well formed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::departements::DepartementCode;

/// Why a code was refused, in words a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not five characters of the right kind.
    #[error(
        "Un code INSEE compte 5 caractères : 5 chiffres, ou 2A ou 2B suivis de 3 chiffres en Corse (par exemple 75056 ou 2A004)."
    )]
    InseeFormat,
    /// Well formed, but its first characters name no French département.
    #[error("Ce code INSEE ne correspond à aucun département français.")]
    InseeDepartement,
    /// Not five digits.
    #[error("Un code postal compte 5 chiffres, par exemple 51300.")]
    PostcodeFormat,
    /// Five digits, but not those of a French postcode.
    #[error("Ce code postal ne correspond à aucun département français. Vérifiez-le.")]
    PostcodeArea,
    /// Not the code of a French département.
    #[error("Ce code de département n'existe pas. Exemples : 01, 2A, 75, 974.")]
    Departement,
}

/// The INSEE code of a commune (Code officiel géographique): `75056`, `2A004`, `97411`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InseeCode([u8; 5]);

impl InseeCode {
    /// Reads a code, accepting surrounding spaces and a lowercase `2a`/`2b`.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let mut bytes: [u8; 5] = text
            .trim()
            .as_bytes()
            .try_into()
            .map_err(|_| CodeError::InseeFormat)?;
        bytes.make_ascii_uppercase();
        let corsica = bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B');
        let digits_from = if corsica { 2 } else { 0 };
        if !bytes[digits_from..].iter().all(u8::is_ascii_digit) {
            return Err(CodeError::InseeFormat);
        }
        let code = Self(bytes);
        DepartementCode::parse(code.departement_part()).map_err(|_| CodeError::InseeDepartement)?;
        Ok(code)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes get in, through `parse`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The département the code belongs to (three characters overseas: `97411` → `974`).
    pub fn departement(&self) -> DepartementCode {
        DepartementCode::parse(self.departement_part())
            .expect("the département was checked when the code was parsed")
    }

    fn departement_part(&self) -> &str {
        let len = if self.0.starts_with(b"97") { 3 } else { 2 };
        &self.as_str()[..len]
    }
}

/// A French postcode (La Poste): five digits, `01000` to `95999` and `97100` to `97699`. A postcode
/// may cover several communes and a commune may have several postcodes: it is never a key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode([u8; 5]);

impl Postcode {
    /// Reads a postcode, accepting surrounding spaces and spaces between the digits (`51 300`).
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        let bytes: [u8; 5] = match text.as_bytes().try_into() {
            Ok(bytes) => bytes,
            Err(_) => {
                let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                digits
                    .as_bytes()
                    .try_into()
                    .map_err(|_| CodeError::PostcodeFormat)?
            }
        };
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(CodeError::PostcodeFormat);
        }
        let area = (bytes[0] - b'0') * 10 + (bytes[1] - b'0');
        let known_area = match area {
            1..=95 => true,
            97 => matches!(bytes[2], b'1'..=b'4' | b'6'),
            _ => false,
        };
        if known_area {
            Ok(Self(bytes))
        } else {
            Err(CodeError::PostcodeArea)
        }
    }

    /// The postcode as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits get in, through `parse`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

macro_rules! text_code {
    ($type:ty) => {
        impl FromStr for $type {
            type Err = CodeError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($type), self.as_str())
            }
        }

        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_code!(InseeCode);
text_code!(Postcode);
text_code!(DepartementCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insee_codes_are_strings_with_corsica_and_overseas() {
        assert_eq!(InseeCode::parse("75056").unwrap().as_str(), "75056");
        assert_eq!(InseeCode::parse(" 2a004 ").unwrap().as_str(), "2A004");
        assert_eq!(
            InseeCode::parse("01001").unwrap().as_str(),
            "01001",
            "the leading 0 stays"
        );
        assert_eq!(
            InseeCode::parse("2A004").unwrap().departement().as_str(),
            "2A"
        );
        assert_eq!(
            InseeCode::parse("2B033").unwrap().departement().as_str(),
            "2B"
        );
        assert_eq!(
            InseeCode::parse("97411").unwrap().departement().as_str(),
            "974"
        );
        assert_eq!(
            InseeCode::parse("75116").unwrap().departement().as_str(),
            "75"
        );
    }

    #[test]
    fn malformed_insee_codes_are_refused_in_french() {
        for bad in [
            "", "7505", "750560", "75O56", "2C004", "2AB04", "A2004", "é5056",
        ] {
            assert_eq!(InseeCode::parse(bad), Err(CodeError::InseeFormat), "{bad}");
        }
        for bad in [
            "00001", "20004", "96001", "97501", "97701", "98801", "99999",
        ] {
            assert_eq!(
                InseeCode::parse(bad),
                Err(CodeError::InseeDepartement),
                "{bad}"
            );
        }
        assert!(
            CodeError::InseeFormat
                .to_string()
                .starts_with("Un code INSEE compte 5 caractères")
        );
    }

    #[test]
    fn postcodes_are_five_digits_of_a_french_area() {
        assert_eq!(Postcode::parse("01000").unwrap().as_str(), "01000");
        assert_eq!(Postcode::parse(" 51 300 ").unwrap().as_str(), "51300");
        assert_eq!(
            Postcode::parse("20000").unwrap().as_str(),
            "20000",
            "Corsica"
        );
        assert_eq!(Postcode::parse("97400").unwrap().as_str(), "97400");
        assert_eq!(Postcode::parse("97600").unwrap().as_str(), "97600");
        for bad in ["", "5130", "513000", "5130a", "2A000"] {
            assert_eq!(
                Postcode::parse(bad),
                Err(CodeError::PostcodeFormat),
                "{bad}"
            );
        }
        for bad in ["00100", "96000", "97500", "98000", "99999"] {
            assert_eq!(Postcode::parse(bad), Err(CodeError::PostcodeArea), "{bad}");
        }
        assert_eq!(
            CodeError::PostcodeFormat.to_string(),
            "Un code postal compte 5 chiffres, par exemple 51300."
        );
    }

    #[test]
    fn codes_travel_as_json_strings_and_are_checked_on_the_way_in() {
        let code = InseeCode::parse("2A004").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), r#""2A004""#);
        let back: InseeCode = serde_json::from_str(r#""2A004""#).unwrap();
        assert_eq!(back, code);
        let refused = serde_json::from_str::<Postcode>(r#""5130""#).unwrap_err();
        assert!(refused.to_string().contains("5 chiffres"), "{refused}");
    }
}
