//! Short links for SMS: `/s/XXXXXXXX`, 8 characters from an alphabet without look-alikes (no 0/O,
//! 1/I/L), opening a request's follow-up page or a proposal's page. Only a keyed hash of the code
//! is stored (like the other tokens); the links go with the request's personal data.

use chrono::Utc;
use entity::short_link::{self, Column, Entity as ShortLink};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::tokens::{SecretKey, keyed_hash};

/// The characters of a code: digits and capitals people cannot mistake for one another.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The length of a code.
pub const LENGTH: usize = 8;

/// The path prefix of short links.
pub const PREFIX: &str = "/s/";

/// What a short link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The follow-up page of the request.
    FollowUp { request_id: i64 },
    /// The page of a proposal made to a volunteer.
    Proposal { request_id: i64, proposal_id: i64 },
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Self::FollowUp { .. } => "suivi",
            Self::Proposal { .. } => "proposition",
        }
    }
}

/// A fresh code.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    (0..LENGTH)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Whether `code` has the shape of a code (letters are taken in either case).
pub fn well_formed(code: &str) -> bool {
    code.len() == LENGTH
        && code
            .bytes()
            .all(|b| ALPHABET.contains(&b.to_ascii_uppercase()))
}

/// The stored form of `code`.
pub fn code_hash(key: &SecretKey, code: &str) -> String {
    keyed_hash(key, "short-link", &code.to_ascii_uppercase())
}

/// Writes a new short link to `target` through `db` (the caller's transaction); returns its code.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    key: &SecretKey,
    target: Target,
) -> Result<String, DbErr> {
    let code = new_code();
    let (request_id, proposal_id) = match target {
        Target::FollowUp { request_id } => (request_id, None),
        Target::Proposal {
            request_id,
            proposal_id,
        } => (request_id, Some(proposal_id)),
    };
    short_link::ActiveModel {
        code_hash: Set(code_hash(key, &code)),
        kind: Set(target.kind().to_owned()),
        request_id: Set(request_id),
        proposal_id: Set(proposal_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(code)
}

/// What the short link `code` opens, if it exists.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    key: &SecretKey,
    code: &str,
) -> Result<Option<Target>, DbErr> {
    if !well_formed(code) {
        return Ok(None);
    }
    let Some(link) = ShortLink::find()
        .filter(Column::CodeHash.eq(code_hash(key, code)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(match (link.kind.as_str(), link.proposal_id) {
        ("suivi", _) => Some(Target::FollowUp {
            request_id: link.request_id,
        }),
        ("proposition", Some(proposal_id)) => Some(Target::Proposal {
            request_id: link.request_id,
            proposal_id,
        }),
        _ => None,
    })
}

/// Deletes the short links of `request_id` (its personal data is being erased).
pub async fn erase_for_request<C: ConnectionTrait>(db: &C, request_id: i64) -> Result<u64, DbErr> {
    Ok(ShortLink::delete_many()
        .filter(Column::RequestId.eq(request_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// `text` with the codes of its short links masked (the stored copy of a sent text).
pub fn mask(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let (before, after) = rest.split_at(at + PREFIX.len());
        masked.push_str(before);
        let code: String = after.chars().take(LENGTH).collect();
        if well_formed(&code) {
            masked.push_str(&"*".repeat(LENGTH));
            rest = &after[LENGTH..];
        } else {
            rest = after;
        }
    }
    masked.push_str(rest);
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let code = new_code();
            assert!(well_formed(&code), "{code}");
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        }
        assert!(!well_formed("ABCDEFG0"));
        assert!(!well_formed("ABCDEFG"));
        assert!(well_formed("abcdefgh"));
    }

    #[test]
    fn only_a_keyed_hash_is_stored() {
        let key = SecretKey::from_bytes(b"k".repeat(32));
        let other = SecretKey::from_bytes(b"x".repeat(32));
        let hash = code_hash(&key, "ABCDEFGH");
        assert_eq!(hash, code_hash(&key, "abcdefgh"));
        assert_ne!(hash, code_hash(&other, "ABCDEFGH"));
        assert!(!hash.contains("ABCDEFGH"));
    }

    #[test]
    fn sent_copies_mask_the_codes() {
        assert_eq!(
            mask("Suivre : http://localhost:3000/s/ABCDEFGH. Merci"),
            "Suivre : http://localhost:3000/s/********. Merci"
        );
        assert_eq!(mask("rien /s/ ici"), "rien /s/ ici");
    }
}
