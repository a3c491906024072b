//! What staff do to a request of their scope: validate it, mark it solved, relaunch matching, or
//! propose it to a volunteer they chose. Each action checks the scope (outside it, the request
//! does not exist), then what the lifecycle allows, and does everything in one transaction: the
//! move, its timeline entry, the audit entry and the e-mails. A refused action changes nothing and
//! says why in French.

use chrono::Utc;
use entity::help_request;
use entity::states::AuditAction;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::Config;
use crate::audit::{self, Target};
use crate::error::DomainError;
use crate::lifecycle::{self, TransitionError};
use crate::matching::manual;
use crate::matching::rounds::{self, RoundOutcome};
use crate::organisations::Scope;
use crate::staff::Staff;
use entity::states::EventKind;
use entity::states::{Actor, RequestStatus};

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The request's state (or situation) does not allow it; the message says why, in French.
    #[error("refused: {0}")]
    Refused(String),
    /// Anything else: not found, a database failure…
    #[error(transparent)]
    Rule(#[from] DomainError),
}

impl From<DbErr> for ActionError {
    fn from(err: DbErr) -> Self {
        Self::Rule(err.into())
    }
}

/// The result of an action.
pub type ActionResult<T> = Result<T, ActionError>;

/// Said when someone else moved the request between the page and the click.
pub const CHANGED_MEANWHILE: &str =
    "La demande a changé entre-temps : rien n'a été modifié. Vérifiez son état ci-dessous.";

/// The request `id`, if it exists and is within `scope`.
pub async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: i64,
) -> Result<Option<help_request::Model>, DbErr> {
    help_request::Entity::find_by_id(id)
        .filter(scope.request_condition())
        .one(db)
        .await
}

/// The actions a request's state allows a staff member now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allowed {
    pub validate: bool,
    pub refuse: bool,
    pub edit: bool,
    pub propose: bool,
    pub relaunch: bool,
    pub transfer: bool,
    pub resolve: bool,
}

impl Allowed {
    /// What `actor` (a moderator or admin) may do to a request in `status`.
    pub fn of(status: RequestStatus, actor: Actor) -> Self {
        use RequestStatus::*;
        Self {
            validate: status.allows(Ouverte, actor) && status == Nouvelle,
            refuse: status.allows(Refusee, actor),
            edit: !status.is_final(),
            propose: status == Ouverte || (status == SansBenevole && status.allows(Ouverte, actor)),
            relaunch: status == SansBenevole && status.allows(Ouverte, actor),
            transfer: !status.is_final(),
            resolve: status == PriseEnCharge && status.allows(Resolue, actor),
        }
    }
}

/// Opens a transaction and reads the request within the staff member's scope, with its state.
pub(crate) async fn begin(
    db: &DatabaseConnection,
    staff: &Staff,
    id: i64,
) -> ActionResult<(
    DatabaseTransaction,
    help_request::Model,
    RequestStatus,
    Allowed,
)> {
    let txn = db.begin().await?;
    let request = find_in_scope(&txn, &staff.scope, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let status = request.status;
    let allowed = Allowed::of(status, staff.request_actor());
    Ok((txn, request, status, allowed))
}

/// The refusal of an action the request's state does not allow.
pub fn not_now(what: &str, status: RequestStatus) -> ActionError {
    ActionError::Refused(format!(
        "Impossible de {what} : cette demande est « {} ». Rien n'a été modifié.",
        status.label()
    ))
}

/// A lifecycle move that did not happen, as an action's refusal.
pub(crate) fn transition_refused(
    err: TransitionError,
    what: &str,
    status: RequestStatus,
) -> ActionError {
    match err {
        TransitionError::NotAllowed => not_now(what, status),
        TransitionError::Conflict => ActionError::Refused(CHANGED_MEANWHILE.into()),
        TransitionError::Database(err) => err.into(),
        TransitionError::Effect(err) => ActionError::Rule(*err),
    }
}

/// Matching's own refusals (the request moved meanwhile) as an action's refusal.
fn matching_refused(err: DomainError) -> ActionError {
    match err {
        DomainError::Refused(_) => ActionError::Refused(CHANGED_MEANWHILE.into()),
        other => other.into(),
    }
}

/// Writes the audit entry of an action on `request`.
pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    staff: &Staff,
    action: AuditAction,
    request: &help_request::Model,
    details: Option<String>,
) -> Result<(), DbErr> {
    audit::record(
        db,
        staff.audit_actor(),
        action,
        Target::Request(request.id),
        request.organisation_id,
        details,
    )
    .await
    .map(|_| ())
}

/// Valider: a new request opens for matching, which asks the first volunteers at once.
pub async fn validate(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
) -> ActionResult<RoundOutcome> {
    let (txn, request, status, allowed) = begin(db, staff, id).await?;
    if !allowed.validate {
        return Err(not_now("la valider", status));
    }
    let outcome = rounds::open_within(
        &txn,
        config,
        &request,
        staff.request_actor(),
        Some(staff.account.id),
        None,
    )
    .await
    .map_err(matching_refused)?;
    record(&txn, staff, AuditAction::RequestValidated, &request, None).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Marquer résolue: a request a volunteer holds is solved; the citizen is told by e-mail when
/// they gave an address.
pub async fn resolve(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
) -> ActionResult<()> {
    let (txn, request, status, allowed) = begin(db, staff, id).await?;
    if !allowed.resolve {
        return Err(not_now("la marquer résolue", status));
    }
    lifecycle::apply(
        &txn,
        config,
        &request,
        RequestStatus::Resolue,
        staff.request_actor(),
        Some(staff.account.id),
        EventKind::Resolved,
        Some("marquée résolue par l'équipe de modération".into()),
    )
    .await
    .map_err(|e| transition_refused(e, "la marquer résolue", status))?;
    record(&txn, staff, AuditAction::RequestResolved, &request, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Relancer la recherche: a request without volunteer opens again for a new series of rounds.
pub async fn relaunch(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
) -> ActionResult<RoundOutcome> {
    let (txn, request, status, allowed) = begin(db, staff, id).await?;
    if !allowed.relaunch {
        return Err(not_now("relancer la recherche", status));
    }
    let reopened = lifecycle::apply(
        &txn,
        config,
        &request,
        RequestStatus::Ouverte,
        staff.request_actor(),
        Some(staff.account.id),
        EventKind::Relaunched,
        None,
    )
    .await
    .map_err(|e| transition_refused(e, "relancer la recherche", status))?;
    let outcome = rounds::next_round(&txn, config, &reopened).await?;
    record(&txn, staff, AuditAction::MatchingRelaunched, &request, None).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Proposer à un bénévole choisi: one of the request's current candidates receives the usual
/// proposal. A request without volunteer opens again first. Returns the volunteer's first name.
pub async fn propose(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    volunteer_id: i64,
) -> ActionResult<String> {
    let (txn, request, status, allowed) = begin(db, staff, id).await?;
    if !allowed.propose {
        return Err(not_now("la proposer à un bénévole", status));
    }
    let candidates = super::detail::candidates(&txn, &request, Utc::now()).await?;
    let Some(candidate) = candidates.iter().find(|c| c.account_id == volunteer_id) else {
        return Err(ActionError::Refused(
            "Ce bénévole ne fait pas partie des candidats de cette demande : rien n'a été envoyé."
                .into(),
        ));
    };
    let open = if status == RequestStatus::SansBenevole {
        lifecycle::apply(
            &txn,
            config,
            &request,
            RequestStatus::Ouverte,
            staff.request_actor(),
            Some(staff.account.id),
            EventKind::Reopened,
            Some("proposée à un bénévole choisi par l'équipe de modération".into()),
        )
        .await
        .map_err(|e| transition_refused(e, "la proposer à un bénévole", status))?
    } else {
        request.clone()
    };
    manual::propose_chosen(
        &txn,
        config,
        &open,
        candidate,
        staff.request_actor(),
        Some(staff.account.id),
    )
    .await
    .map_err(matching_refused)?;
    record(
        &txn,
        staff,
        AuditAction::RequestProposed,
        &request,
        Some(format!("bénévole #{volunteer_id}")),
    )
    .await?;
    let prenom = entity::account::Entity::find_by_id(volunteer_id)
        .one(&txn)
        .await?
        .map(|a| a.prenom)
        .unwrap_or_default();
    txn.commit().await?;
    Ok(prenom)
}
