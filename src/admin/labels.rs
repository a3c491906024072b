//! The French words for the audit log's slugs: actions, actor roles, target types.

use crate::accounts::Role;

/// The French label of an action slug (the slug itself when unknown).
pub fn action_label(action: &str) -> String {
    let label = match action {
        "organisation.creer" => "Organisation créée",
        "organisation.modifier" => "Organisation modifiée",
        "organisation.desactiver" => "Organisation désactivée",
        "organisation.reactiver" => "Organisation réactivée",
        "moderateur.inviter" => "Modérateur invité",
        "moderateur.retirer" => "Modérateur retiré d'une organisation",
        "moderateur.preferences" => "Préférences d'e-mail modifiées",
        "email.relancer" => "E-mails en échec renvoyés",
        "compte.creer_admin" => "Compte administrateur créé",
        "compte.lien_admin" => "Nouveau lien pour un administrateur",
        "demande.valider" => "Demande validée",
        "demande.refuser" => "Demande refusée",
        "demande.modifier" => "Demande modifiée",
        "demande.noter" | "demande.note" => "Note interne ajoutée",
        "demande.proposer" => "Demande proposée à un bénévole choisi",
        "demande.relancer" => "Recherche de bénévole relancée",
        "demande.transferer" => "Demande transférée à une autre organisation",
        "demande.resoudre" => "Demande marquée résolue",
        "demande.saisir" => "Demande saisie pour une personne qui a appelé",
        "benevole.verifier" => "Bénévole vérifié pour l'aide en personne",
        "benevole.retirer_verification" => "Vérification d'un bénévole retirée",
        "benevole.suspendre" => "Bénévole suspendu",
        "benevole.retablir" => "Bénévole rétabli",
        "demandes.exporter" => "File des demandes exportée (CSV)",
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// The actor roles one may filter on: (slug, French label).
pub const ROLES: [(&str, &str); 3] = [
    (Role::Moderateur.slug(), "Modération"),
    (Role::Admin.slug(), "Administration"),
    (crate::requests::Actor::Systeme.slug(), "Ligne de commande"),
];

/// The target types one may filter on: (slug, French label).
pub const TARGETS: [(&str, &str); 5] = {
    use crate::audit::TargetKind as K;
    [
        (K::Request.slug(), K::Request.label()),
        (K::Organisation.slug(), K::Organisation.label()),
        (K::Account.slug(), K::Account.label()),
        (K::Volunteer.slug(), K::Volunteer.label()),
        (K::Email.slug(), K::Email.label()),
    ]
};
