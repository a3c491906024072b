//! Citizens' help requests: the lifecycle (one table of allowed moves, every move logged), the
//! public form's checks and anti-abuse rules, the follow-up page's actions, and their e-mails.

pub mod anti_abuse;
pub mod events;
pub mod feedback;
pub mod follow;
pub mod intake;
pub mod lookup;
pub mod reference_code;
pub mod retention;
pub mod stale;
pub mod status;

pub use events::EventKind;
pub use status::{Actor, RequestStatus};
