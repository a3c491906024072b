//! What people type to say where they are — a postcode, a commune name, or both as on an envelope
//! (`51300 Vitry-le-François`) — understood, and the communes it designates.

use super::codes::{CodeError, Postcode};
use super::normalize::prefix_forms;
use super::{Communes, Found};

/// The longest text accepted to designate a commune (the longest name has 45 characters).
pub const MAX_QUERY_CHARS: usize = 100;

/// A text designating a commune, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaceQuery {
    /// A postcode alone: `51300`.
    Postcode(Postcode),
    /// Only digits, but not a postcode: the start of one (`513`) or a mistake (`513000`).
    Digits {
        /// The digits, without spaces.
        digits: String,
        /// Why they are not a postcode.
        error: CodeError,
    },
    /// A name, or the start of one.
    Name(String),
    /// A postcode and a name: `51300 Vitry-le-François`, `Vitry-le-François (51300)`.
    PostcodeAndName(Postcode, String),
}

/// Why a text cannot designate a commune.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing was typed.
    #[error("Indiquez votre code postal ou le nom de votre commune.")]
    Empty,
    /// Far longer than any commune name.
    #[error("Ce texte est trop long : indiquez seulement le code postal ou le nom de la commune.")]
    TooLong,
}

impl PlaceQuery {
    /// Understands `text`.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
        {
            return Ok(match Postcode::parse(text) {
                Ok(postcode) => Self::Postcode(postcode),
                Err(error) => Self::Digits {
                    digits: text.split_whitespace().collect(),
                    error,
                },
            });
        }
        let postcode_first = text
            .split_once(char::is_whitespace)
            .and_then(|(head, rest)| Some((postcode_token(head)?, rest)));
        let postcode_last = || {
            text.rsplit_once(char::is_whitespace)
                .and_then(|(rest, tail)| Some((postcode_token(tail)?, rest)))
        };
        match postcode_first.or_else(postcode_last) {
            Some((postcode, name)) if name.chars().any(char::is_alphabetic) => {
                Ok(Self::PostcodeAndName(postcode, name.trim().to_owned()))
            }
            _ => Ok(Self::Name(text.to_owned())),
        }
    }
}

/// A postcode standing alone in a longer text, possibly in parentheses.
fn postcode_token(token: &str) -> Option<Postcode> {
    let token = token.strip_prefix('(').unwrap_or(token);
    let token = token.strip_suffix(')').unwrap_or(token);
    (token.len() == 5 && token.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Postcode::parse(token).ok())
        .flatten()
}

impl Communes {
    /// At most `limit` communes for what is being typed, best first: the communes of a postcode
    /// (biggest first), of the postcodes starting with some digits, or whose name starts with the
    /// text (exact names first, then biggest first).
    pub fn suggest(&self, query: &PlaceQuery, limit: usize) -> Vec<Found<'_>> {
        match query {
            PlaceQuery::Postcode(postcode) => self
                .with_postcode(*postcode)
                .into_iter()
                .take(limit)
                .map(Found::from)
                .collect(),
            PlaceQuery::Digits { digits, .. } if digits.len() < 5 => self
                .with_postcode_prefix(digits)
                .into_iter()
                .take(limit)
                .map(Found::from)
                .collect(),
            PlaceQuery::Digits { .. } => Vec::new(),
            PlaceQuery::Name(name) => self.search(name, limit),
            PlaceQuery::PostcodeAndName(postcode, name) => {
                let mut found = self.in_postcode_named(*postcode, name);
                found.truncate(limit);
                found.into_iter().map(|(_, found)| found).collect()
            }
        }
    }

    /// The communes of `postcode` whose name, former name or city name starts with `name`, best
    /// first, each marked `true` when the name matched whole.
    pub fn in_postcode_named(&self, postcode: Postcode, name: &str) -> Vec<(bool, Found<'_>)> {
        let forms = prefix_forms(name);
        let mut found: Vec<_> = self
            .with_postcode(postcode)
            .into_iter()
            .filter_map(|commune| self.match_commune(commune, &forms))
            .collect();
        // `with_postcode` gives the biggest first; a stable sort keeps that within each group.
        found.sort_by_key(|m| !m.exact);
        found.into_iter().map(|m| (m.exact, m.found)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postcode(text: &str) -> Postcode {
        Postcode::parse(text).unwrap()
    }

    #[test]
    fn what_people_type_is_understood() {
        assert_eq!(
            PlaceQuery::parse(" 51300 "),
            Ok(PlaceQuery::Postcode(postcode("51300")))
        );
        assert_eq!(
            PlaceQuery::parse("51 300"),
            Ok(PlaceQuery::Postcode(postcode("51300")))
        );
        assert_eq!(
            PlaceQuery::parse("513"),
            Ok(PlaceQuery::Digits {
                digits: "513".into(),
                error: CodeError::PostcodeFormat
            })
        );
        assert_eq!(
            PlaceQuery::parse("98000"),
            Ok(PlaceQuery::Digits {
                digits: "98000".into(),
                error: CodeError::PostcodeArea
            })
        );
        assert_eq!(
            PlaceQuery::parse("Saint-Étienne"),
            Ok(PlaceQuery::Name("Saint-Étienne".into()))
        );
        assert_eq!(
            PlaceQuery::parse("Paris 16"),
            Ok(PlaceQuery::Name("Paris 16".into()))
        );
        let envelope = Ok(PlaceQuery::PostcodeAndName(
            postcode("51300"),
            "Vitry-le-François".into(),
        ));
        assert_eq!(PlaceQuery::parse("51300 Vitry-le-François"), envelope);
        assert_eq!(PlaceQuery::parse("Vitry-le-François 51300"), envelope);
        assert_eq!(PlaceQuery::parse("Vitry-le-François (51300)"), envelope);
    }

    #[test]
    fn empty_and_overlong_texts_are_refused_in_french() {
        assert_eq!(PlaceQuery::parse("  "), Err(QueryError::Empty));
        assert_eq!(
            PlaceQuery::parse(&"a".repeat(MAX_QUERY_CHARS + 1)),
            Err(QueryError::TooLong)
        );
        assert!(
            PlaceQuery::parse(&"é".repeat(MAX_QUERY_CHARS)).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            QueryError::Empty.to_string(),
            "Indiquez votre code postal ou le nom de votre commune."
        );
    }
}
