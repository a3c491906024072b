//! Every e-mail the service sends, as data for its template (`templates/emails/<kind>/`): the
//! catalogue ([`super::CATALOGUE`]) says who gets each one and when.

/// `impl Email` for an e-mail to the person who asked for help: it is sent because of their request
/// (named by its reference), and it carries the follow-up block (their link, whom to call). The
/// struct has `reference` and `follow_up` fields.
macro_rules! citizen_email {
    ($email:ident, $kind:literal) => {
        impl $crate::mail::Email for $email {
            const KIND: &'static str = $kind;

            fn reason(&self) -> String {
                format!(
                    "vous avez fait une demande d'aide sur Entraide (référence {})",
                    self.reference
                )
            }

            fn follow_up(&self) -> Option<&$crate::mail::follow_up::FollowUp> {
                Some(&self.follow_up)
            }
        }
    };
}

mod accounts;
mod admin;
mod citizen;
mod matching;
mod moderation;
mod requests;

pub use accounts::*;
pub use admin::*;
pub use citizen::*;
pub use matching::*;
pub use moderation::*;
pub use requests::*;
