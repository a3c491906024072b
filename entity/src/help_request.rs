//! A citizen's request for help.

use sea_orm::entity::prelude::*;

/// One request: what is needed, where, how to reach the person, and where it stands.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "help_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The short public reference read aloud on the phone, e.g. `ENT-7K3F9Q`.
    #[sea_orm(unique)]
    pub reference: String,
    /// SHA-256 of the private follow-up link's token.
    #[sea_orm(unique)]
    pub follow_token_hash: String,
    /// Where it stands in its lifecycle.
    pub status: crate::states::RequestStatus,
    /// Requested categories, as a `CategorySet` bit mask.
    pub categories: i32,
    /// Accepted modes of help, as a `ModeSet` bit mask.
    pub modes: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub commune_insee: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    pub prenom: String,
    pub email: Option<String>,
    /// In international form, `+33…`.
    pub telephone: Option<String>,
    /// A language other than French, if asked for.
    pub langue: Option<String>,
    pub pour_un_proche: bool,
    pub prenom_proche: Option<String>,
    /// Reachable by telephone only: moderators must call back.
    pub a_rappeler: bool,
    /// Keyed hash of the submitter's IP address, for the per-address limit; erased with the rest.
    pub submitter_key: Option<String>,
    pub consent_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The volunteer (account) holding the request, while one does.
    pub volunteer_id: Option<i64>,
    /// When the request reached a final state (resolved, refused, cancelled).
    pub closed_at: Option<DateTimeUtc>,
    /// The organisation whose moderators triage it (none: the admins do).
    pub organisation_id: Option<i64>,
    /// The moderator who typed it in for someone who phoned.
    pub entered_by: Option<i64>,
    /// When its personal data was erased, the retention period after it ended.
    pub erased_at: Option<DateTimeUtc>,
    /// What a moderator wants the volunteer to know before calling (erased with the rest).
    #[sea_orm(column_type = "Text", nullable)]
    pub message_benevole: Option<String>,
    /// The follow-up link's secret, sealed under a key derived from SECRET_KEY (e-mails carry the
    /// link; the reference and telephone digits open it); erased with the rest.
    pub follow_token_sealed: Option<String>,
    /// For a relative: their telephone, in international form, if any.
    pub telephone_proche: Option<String>,
    /// For a relative: who the requester is to them (`fille`, `voisin`…, see `reference::Kin`).
    pub lien_proche: Option<String>,
    /// For a relative: the volunteer calls the relative (else the requester).
    pub contacter_proche: bool,
    /// The trust word drawn when a volunteer takes the request (a new one for each volunteer),
    /// said at the start of the first call; erased with the rest.
    pub mot_de_confiance: Option<String>,
    /// The person gave an e-mail address and a mobile number and asked to be told by SMS too.
    pub sms_aussi: bool,
    /// The partner API key it was filed with, when a partner filed it for someone who called.
    pub api_key_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::request_event::Entity")]
    Events,
}

impl Related<super::request_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
