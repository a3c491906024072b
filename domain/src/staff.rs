//! Who acts among the staff: a moderator or an admin, with the reach of their role. The domain's
//! rules take a `&Staff`; the web layer reads one from the session (`web::auth::CurrentStaff`).

use entity::account;

use crate::audit::AuditActor;
use crate::organisations::Scope;
use entity::states::Actor;
use entity::states::Role;

/// A moderator or admin acting, with what they may see.
#[derive(Clone, Debug)]
pub struct Staff {
    /// The account, as stored now.
    pub account: account::Model,
    /// Moderator or admin.
    pub role: Role,
    /// The organisations whose requests they see (admins: all).
    pub scope: Scope,
}

impl Staff {
    /// Who acts, for the audit log.
    pub fn audit_actor(&self) -> AuditActor {
        AuditActor::Staff {
            account_id: self.account.id,
            role: self.role,
        }
    }

    /// The actor of request events.
    pub fn request_actor(&self) -> Actor {
        match self.role {
            Role::Admin => Actor::Admin,
            _ => Actor::Moderateur,
        }
    }
}
