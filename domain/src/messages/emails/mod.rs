//! Every e-mail the service sends, as data for its template (`templates/emails/<kind>/`): the
//! catalogue ([`super::CATALOGUE`]) says who gets each one and when.

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
