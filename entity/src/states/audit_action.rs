//! What a moderator, an admin or the command line did, stored as its slug in `audit_log.action`,
//! with the French words the journal and the pages use.

use sea_orm::entity::prelude::*;

/// An action recorded in the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum AuditAction {
    /// Demande validée.
    #[sea_orm(string_value = "demande.valider")]
    RequestValidated,
    /// Demande refusée.
    #[sea_orm(string_value = "demande.refuser")]
    RequestRefused,
    /// Demande modifiée.
    #[sea_orm(string_value = "demande.modifier")]
    RequestEdited,
    /// Note interne ajoutée.
    #[sea_orm(string_value = "demande.noter")]
    NoteAdded,
    /// Demande proposée à un bénévole choisi.
    #[sea_orm(string_value = "demande.proposer")]
    RequestProposed,
    /// Recherche de bénévole relancée.
    #[sea_orm(string_value = "demande.relancer")]
    MatchingRelaunched,
    /// Demande transférée à une autre organisation.
    #[sea_orm(string_value = "demande.transferer")]
    RequestTransferred,
    /// Demande marquée résolue.
    #[sea_orm(string_value = "demande.resoudre")]
    RequestResolved,
    /// File des demandes exportée (CSV).
    #[sea_orm(string_value = "demandes.exporter")]
    QueueExported,
    /// Demande saisie pour une personne qui a appelé.
    #[sea_orm(string_value = "demande.saisir")]
    RequestEntered,
    /// Bénévole vérifié pour l'aide en personne.
    #[sea_orm(string_value = "benevole.verifier")]
    VolunteerVetted,
    /// Vérification d'un bénévole retirée.
    #[sea_orm(string_value = "benevole.retirer_verification")]
    VettingWithdrawn,
    /// Bénévole suspendu.
    #[sea_orm(string_value = "benevole.suspendre")]
    VolunteerSuspended,
    /// Bénévole rétabli.
    #[sea_orm(string_value = "benevole.retablir")]
    VolunteerReinstated,
    /// Organisation créée.
    #[sea_orm(string_value = "organisation.creer")]
    OrganisationCreated,
    /// Organisation modifiée.
    #[sea_orm(string_value = "organisation.modifier")]
    OrganisationEdited,
    /// Organisation désactivée.
    #[sea_orm(string_value = "organisation.desactiver")]
    OrganisationDeactivated,
    /// Organisation réactivée.
    #[sea_orm(string_value = "organisation.reactiver")]
    OrganisationReactivated,
    /// Modérateur invité.
    #[sea_orm(string_value = "moderateur.inviter")]
    ModeratorInvited,
    /// Modérateur retiré d'une organisation.
    #[sea_orm(string_value = "moderateur.retirer")]
    ModeratorRemoved,
    /// Préférences d'e-mail modifiées.
    #[sea_orm(string_value = "moderateur.preferences")]
    NotificationsChanged,
    /// E-mails en échec renvoyés.
    #[sea_orm(string_value = "email.relancer")]
    FailedEmailsRetried,
    /// Compte administrateur créé.
    #[sea_orm(string_value = "compte.creer_admin")]
    AdminCreated,
    /// Nouveau lien pour un administrateur.
    #[sea_orm(string_value = "compte.lien_admin")]
    AdminLinkIssued,
    /// La personne à rappeler a été rappelée.
    #[sea_orm(string_value = "demande.rappeler")]
    PersonCalledBack,
    /// Un e-mail renvoyé depuis la boîte d'envoi.
    #[sea_orm(string_value = "email.renvoyer")]
    EmailResent,
    /// L'invitation d'un modérateur renvoyée.
    #[sea_orm(string_value = "moderateur.renvoyer_invitation")]
    InvitationResent,
    /// Adresse de webhook enregistrée.
    #[sea_orm(string_value = "webhook.enregistrer")]
    WebhookRegistered,
    /// Secret d'un webhook renouvelé.
    #[sea_orm(string_value = "webhook.renouveler_secret")]
    WebhookSecretRotated,
    /// Adresse de webhook désactivée.
    #[sea_orm(string_value = "webhook.desactiver")]
    WebhookDisabled,
    /// Envoi de webhook relancé.
    #[sea_orm(string_value = "webhook.renvoyer")]
    WebhookRedelivered,
    /// Clé d'API créée pour une organisation.
    #[sea_orm(string_value = "cle_api.creer")]
    ApiKeyCreated,
    /// Clé d'API révoquée.
    #[sea_orm(string_value = "cle_api.revoquer")]
    ApiKeyRevoked,
    /// Appel de l'API partenaires avec une clé.
    #[sea_orm(string_value = "api.utiliser")]
    ApiUsed,
}

impl AuditAction {
    /// Every action, in the order the journal's filter lists them.
    pub const ALL: [AuditAction; 34] = [
        Self::RequestValidated,
        Self::RequestRefused,
        Self::RequestEdited,
        Self::NoteAdded,
        Self::RequestProposed,
        Self::MatchingRelaunched,
        Self::RequestTransferred,
        Self::RequestResolved,
        Self::RequestEntered,
        Self::QueueExported,
        Self::VolunteerVetted,
        Self::VettingWithdrawn,
        Self::VolunteerSuspended,
        Self::VolunteerReinstated,
        Self::OrganisationCreated,
        Self::OrganisationEdited,
        Self::OrganisationDeactivated,
        Self::OrganisationReactivated,
        Self::ModeratorInvited,
        Self::ModeratorRemoved,
        Self::NotificationsChanged,
        Self::FailedEmailsRetried,
        Self::AdminCreated,
        Self::AdminLinkIssued,
        Self::PersonCalledBack,
        Self::EmailResent,
        Self::InvitationResent,
        Self::WebhookRegistered,
        Self::WebhookSecretRotated,
        Self::WebhookDisabled,
        Self::WebhookRedelivered,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::ApiUsed,
    ];

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::RequestValidated => "demande.valider",
            Self::RequestRefused => "demande.refuser",
            Self::RequestEdited => "demande.modifier",
            Self::NoteAdded => "demande.noter",
            Self::RequestProposed => "demande.proposer",
            Self::MatchingRelaunched => "demande.relancer",
            Self::RequestTransferred => "demande.transferer",
            Self::RequestResolved => "demande.resoudre",
            Self::RequestEntered => "demande.saisir",
            Self::QueueExported => "demandes.exporter",
            Self::VolunteerVetted => "benevole.verifier",
            Self::VettingWithdrawn => "benevole.retirer_verification",
            Self::VolunteerSuspended => "benevole.suspendre",
            Self::VolunteerReinstated => "benevole.retablir",
            Self::OrganisationCreated => "organisation.creer",
            Self::OrganisationEdited => "organisation.modifier",
            Self::OrganisationDeactivated => "organisation.desactiver",
            Self::OrganisationReactivated => "organisation.reactiver",
            Self::ModeratorInvited => "moderateur.inviter",
            Self::ModeratorRemoved => "moderateur.retirer",
            Self::NotificationsChanged => "moderateur.preferences",
            Self::FailedEmailsRetried => "email.relancer",
            Self::AdminCreated => "compte.creer_admin",
            Self::AdminLinkIssued => "compte.lien_admin",
            Self::PersonCalledBack => "demande.rappeler",
            Self::EmailResent => "email.renvoyer",
            Self::InvitationResent => "moderateur.renvoyer_invitation",
            Self::WebhookRegistered => "webhook.enregistrer",
            Self::WebhookSecretRotated => "webhook.renouveler_secret",
            Self::WebhookDisabled => "webhook.desactiver",
            Self::WebhookRedelivered => "webhook.renvoyer",
            Self::ApiKeyCreated => "cle_api.creer",
            Self::ApiKeyRevoked => "cle_api.revoquer",
            Self::ApiUsed => "api.utiliser",
        }
    }

    /// The action stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// What the audit journal and a request's timeline say.
    pub const fn label(self) -> &'static str {
        match self {
            Self::RequestValidated => "Demande validée",
            Self::RequestRefused => "Demande refusée",
            Self::RequestEdited => "Demande modifiée",
            Self::NoteAdded => "Note interne ajoutée",
            Self::RequestProposed => "Demande proposée à un bénévole choisi",
            Self::MatchingRelaunched => "Recherche de bénévole relancée",
            Self::RequestTransferred => "Demande transférée à une autre organisation",
            Self::RequestResolved => "Demande marquée résolue",
            Self::RequestEntered => "Demande saisie pour une personne qui a appelé",
            Self::QueueExported => "File des demandes exportée (CSV)",
            Self::VolunteerVetted => "Bénévole vérifié pour l'aide en personne",
            Self::VettingWithdrawn => "Vérification d'un bénévole retirée",
            Self::VolunteerSuspended => "Bénévole suspendu",
            Self::VolunteerReinstated => "Bénévole rétabli",
            Self::OrganisationCreated => "Organisation créée",
            Self::OrganisationEdited => "Organisation modifiée",
            Self::OrganisationDeactivated => "Organisation désactivée",
            Self::OrganisationReactivated => "Organisation réactivée",
            Self::ModeratorInvited => "Modérateur invité",
            Self::ModeratorRemoved => "Modérateur retiré d'une organisation",
            Self::NotificationsChanged => "Préférences d'e-mail modifiées",
            Self::FailedEmailsRetried => "E-mails en échec renvoyés",
            Self::AdminCreated => "Compte administrateur créé",
            Self::AdminLinkIssued => "Nouveau lien pour un administrateur",
            Self::PersonCalledBack => "Personne rappelée",
            Self::EmailResent => "E-mail renvoyé",
            Self::InvitationResent => "Invitation de modérateur renvoyée",
            Self::WebhookRegistered => "Adresse de webhook enregistrée",
            Self::WebhookSecretRotated => "Secret de webhook renouvelé",
            Self::WebhookDisabled => "Adresse de webhook désactivée",
            Self::WebhookRedelivered => "Envoi de webhook relancé",
            Self::ApiKeyCreated => "Clé d'API créée",
            Self::ApiKeyRevoked => "Clé d'API révoquée",
            Self::ApiUsed => "Appel de l'API partenaires",
        }
    }

    /// What a request's timeline says of an action on it (the request is the subject already).
    pub const fn timeline_label(self) -> &'static str {
        match self {
            Self::RequestValidated => "validation",
            Self::RequestRefused => "refus",
            Self::RequestEdited => "modification",
            Self::RequestProposed => "proposition à un bénévole choisi",
            Self::MatchingRelaunched => "relance de la recherche",
            Self::RequestTransferred => "transfert",
            Self::RequestResolved => "marquée résolue",
            Self::RequestEntered => "saisie pour une personne qui a appelé",
            Self::PersonCalledBack => "la personne a été rappelée",
            other => other.label(),
        }
    }

    /// What a volunteer's page says of an action about them (shorter: the page is theirs).
    pub const fn volunteer_page_label(self) -> &'static str {
        match self {
            Self::VolunteerVetted => "Vérifié pour l'aide en personne",
            Self::VettingWithdrawn => "Vérification retirée",
            Self::VolunteerSuspended => "Suspendu",
            Self::VolunteerReinstated => "Rétabli",
            _ => "Autre action",
        }
    }
}
