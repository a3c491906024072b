//! SMS, the second channel: plain French texts ([`segments`] counts what they cost), a durable
//! outbox written in the same transaction as the change that causes a text ([`outbox`], claimed
//! like the e-mails through [`crate::outbox_claim`]), quiet hours in the recipient's local time
//! ([`quiet`]), short links ([`links`]), and the worker that hands texts to the provider (Brevo)
//! or writes them into a folder ([`transport`], [`worker`]).
//!
//! Domain code does not call this module directly: `messages` queues every SMS of the catalogue.

pub mod links;
pub mod numbers;
pub mod outbox;
pub mod quiet;
pub mod segments;
pub mod transport;
pub mod worker;

/// A rendered text, ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sms {
    /// The template's name.
    pub kind: &'static str,
    /// The recipient's mobile number, in the stored form (`+336…`).
    pub to: String,
    /// The text.
    pub body: String,
}

/// What a text is about: the request (erased with it, and whose département sets the quiet
/// hours) or the account it goes to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The request it is about.
    pub request_id: Option<i64>,
    /// The account it is addressed to.
    pub account_id: Option<i64>,
    /// The recipient's département, for the local time.
    pub departement: Option<String>,
}
