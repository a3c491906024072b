//! What a request's moderation page shows besides the request itself: its organisation, the
//! volunteer holding it, the proposals made so far, the ranked candidates with their score
//! explained part by part, and the person's feedback once it is resolved.

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation, proposal, volunteer_profile};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::timeline::first_names;
use crate::matching::candidates::best_candidates;
use crate::matching::score::Weights;
use crate::matching::{Breakdown, Candidate};
use crate::requests::feedback::{self, Satisfaction, Solved};

/// The most candidates a request's page lists.
pub const MAX_CANDIDATES: usize = 20;

/// The best candidates of `request` now, best first: exactly the first [`MAX_CANDIDATES`] of
/// `matching::candidates::ranked_candidates`, found without ranking everyone.
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, DbErr> {
    best_candidates(db, request, now, MAX_CANDIDATES).await
}

/// A candidate as the page shows them.
#[derive(Clone, Debug)]
pub struct CandidateView {
    pub account_id: i64,
    pub prenom: String,
    pub commune_insee: String,
    pub distance_km: f64,
    pub score: f64,
    pub parts: Vec<ScorePart>,
}

/// One part of a score, explained.
#[derive(Clone, Debug)]
pub struct ScorePart {
    pub name: &'static str,
    pub points: f64,
    pub max: f64,
    pub explanation: String,
}

/// The four parts of a score, in plain French.
pub fn explain(breakdown: &Breakdown, distance_km: f64) -> Vec<ScorePart> {
    let weights = Weights::DEFAULT;
    vec![
        ScorePart {
            name: "Sujets",
            points: breakdown.coverage,
            max: weights.coverage,
            explanation: "la part des sujets demandés que ce bénévole sait traiter".into(),
        },
        ScorePart {
            name: "Proximité",
            points: breakdown.proximity,
            max: weights.proximity,
            explanation: format!(
                "à {:.0} km : plus le bénévole est proche, plus il a de points (aucun au-delà de {:.0} km)",
                distance_km.max(1.0),
                weights.horizon_km
            ),
        },
        ScorePart {
            name: "Équité",
            points: breakdown.fairness,
            max: weights.fairness,
            explanation:
                "moins il aide de personnes en ce moment, et plus sa dernière aide est ancienne, plus il a de points"
                    .into(),
        },
        ScorePart {
            name: "Réactivité",
            points: breakdown.responsiveness,
            max: weights.responsiveness,
            explanation: "la part des propositions passées auxquelles il a répondu".into(),
        },
    ]
}

/// `candidates` with their first name and commune.
pub async fn candidate_views<C: ConnectionTrait>(
    db: &C,
    candidates: &[Candidate],
) -> Result<Vec<CandidateView>, DbErr> {
    let ids: Vec<i64> = candidates.iter().map(|c| c.account_id).collect();
    let names = first_names(db, &ids).await?;
    let profiles = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::AccountId.is_in(ids))
        .all(db)
        .await?;
    Ok(candidates
        .iter()
        .map(|c| CandidateView {
            account_id: c.account_id,
            prenom: names.get(&c.account_id).cloned().unwrap_or_default(),
            commune_insee: profiles
                .iter()
                .find(|p| p.account_id == c.account_id)
                .map(|p| p.commune_insee.clone())
                .unwrap_or_default(),
            distance_km: c.distance_km,
            score: c.score(),
            parts: explain(&c.breakdown, c.distance_km),
        })
        .collect())
}

/// A proposal as the page shows it.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub round: i32,
    pub volunteer: String,
    pub status: &'static str,
    pub score: f64,
    pub distance_km: f64,
}

/// The proposals of a request, by round and rank.
pub async fn proposals<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Vec<ProposalView>, DbErr> {
    let rows = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .order_by_asc(proposal::Column::Round)
        .order_by_asc(proposal::Column::Rank)
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.volunteer_id).collect();
    let names = first_names(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|p| ProposalView {
            round: p.round,
            volunteer: names
                .get(&p.volunteer_id)
                .cloned()
                .unwrap_or_else(|| "compte supprimé".into()),
            status: p.status.staff_label(),
            score: p.score,
            distance_km: p.distance_km,
        })
        .collect())
}

/// The people and organisation around a request.
#[derive(Clone, Debug, Default)]
pub struct Around {
    pub organisation: Option<organisation::Model>,
    pub volunteer: Option<account::Model>,
    pub entered_by: Option<account::Model>,
}

/// Reads the organisation of `request`, the volunteer holding it and who typed it in.
pub async fn around<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
) -> Result<Around, DbErr> {
    let organisation = match request.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let volunteer = match request.volunteer_id {
        Some(id) => account::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let entered_by = match request.entered_by {
        Some(id) => account::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(Around {
        organisation,
        volunteer,
        entered_by,
    })
}

/// The person's feedback on a resolved request, as the page shows it.
#[derive(Clone, Debug)]
pub struct FeedbackView {
    pub satisfaction: &'static str,
    pub solved: &'static str,
    /// Erased with the request's personal data.
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// The feedback given on `request_id`, if any.
pub async fn feedback_of<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Option<FeedbackView>, DbErr> {
    Ok(feedback::of_request(db, request_id)
        .await?
        .map(|answer| FeedbackView {
            satisfaction: Satisfaction::from_slug(&answer.satisfaction).map_or("?", |s| s.label()),
            solved: Solved::from_slug(&answer.solved).map_or("?", |s| s.label()),
            comment: answer.comment,
            at: answer.created_at,
        }))
}
