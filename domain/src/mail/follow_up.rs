//! The block the shared layout adds to every e-mail to a citizen about their request: the way
//! back to the follow-up page and a human to call (filled by `messages::emails::FollowUp::load`).

/// Who a person may call about their request: the organisation that triages it, or, without one
/// (or without a number), the operator from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helpline {
    /// Who answers (« Entraide Numérique Paris »).
    pub name: String,
    /// The number as read aloud (`01 45 …`).
    pub telephone: String,
    /// The number for a `tel:` link (`+33145…`).
    pub tel_uri: String,
    /// When someone answers, in words.
    pub hours: Option<String>,
}

/// The block every e-mail to a citizen ends with: "Suivre ma demande", and whom to call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// The request's reference, to give on the phone.
    pub reference: String,
    /// The follow-up page.
    pub follow_url: String,
    /// Whom to call, if anyone.
    pub helpline: Option<Helpline>,
}
