//! The French words for the audit log's filters: actor roles and target types (actions carry
//! their own: `entity::states::AuditAction`).

use entity::states::Role;

/// The actor roles one may filter on: (slug, French label).
pub const ROLES: [(&str, &str); 4] = [
    (Role::Moderateur.slug(), "Modération"),
    (Role::Admin.slug(), "Administration"),
    (entity::states::Actor::Systeme.slug(), "Ligne de commande"),
    (crate::audit::API_KEY_ROLE, "Clé d'API d'un partenaire"),
];

/// The target types one may filter on: (slug, French label).
pub const TARGETS: [(&str, &str); 6] = {
    use crate::audit::TargetKind as K;
    [
        (K::Request.slug(), K::Request.label()),
        (K::Organisation.slug(), K::Organisation.label()),
        (K::Account.slug(), K::Account.label()),
        (K::Volunteer.slug(), K::Volunteer.label()),
        (K::Email.slug(), K::Email.label()),
        (K::ApiKey.slug(), K::ApiKey.label()),
    ]
};
