//! What a request's moderation page shows besides the request itself: its organisation, the
//! volunteer holding it, the proposals made so far, the ranked candidates with their score
//! explained part by part, and the person's feedback once it is resolved.

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation, outbox_email, proposal, volunteer_profile};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::facts;
use super::timeline::first_names;
use crate::admin::outbox;
use crate::matching::candidates::best_candidates;
use crate::matching::history::{History, history};
use crate::matching::score::{self, Weights};
use crate::matching::{Breakdown, Candidate};
use crate::reference::{HelpMode, ModeSet, language_label};
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

/// How many candidates the explanation of an empty list counts at most.
const COUNTED: usize = 50;

/// Why `request` has no candidate, when loosening one of its conditions would find some:
/// « Aucun bénévole disponible ne parle arabe ; sans cette condition, 4 pourraient aider ».
pub async fn why_nobody<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let could = |n: usize| {
        let n = if n >= COUNTED {
            format!("{COUNTED} ou plus")
        } else {
            n.to_string()
        };
        if n == "1" {
            "1 pourrait aider".to_owned()
        } else {
            format!("{n} pourraient aider")
        }
    };
    if let Some(code) = &request.langue {
        let loosened = help_request::Model {
            langue: None,
            ..request.clone()
        };
        let n = best_candidates(db, &loosened, now, COUNTED).await?.len();
        if n > 0 {
            let language = language_label(code).unwrap_or(code.as_str());
            return Ok(Some(format!(
                "Aucun bénévole disponible ne parle {language} ; sans cette condition, {}.",
                could(n)
            )));
        }
    }
    let modes = ModeSet::from_bits(request.modes);
    if !modes.contains(HelpMode::Telephone) || !modes.contains(HelpMode::Visio) {
        let every: ModeSet = HelpMode::ALL.into_iter().collect();
        let loosened = help_request::Model {
            modes: every.bits(),
            ..request.clone()
        };
        let n = best_candidates(db, &loosened, now, COUNTED).await?.len();
        if n > 0 {
            let asked: Vec<&str> = modes.labels();
            return Ok(Some(format!(
                "Aucun bénévole disponible n'aide {} ; d'une autre façon, {}.",
                asked.join(" ni "),
                could(n)
            )));
        }
    }
    Ok(Some(
        "Aucun bénévole disponible ne traite ces sujets pour le moment : tous ceux qui le font \
         sont occupés, en pause, trop loin, ou ont déjà été sollicités pour cette demande."
            .to_owned(),
    ))
}

/// A candidate as the page shows them.
#[derive(Clone, Debug)]
pub struct CandidateView {
    pub account_id: i64,
    pub prenom: String,
    pub commune_insee: String,
    pub distance_km: f64,
    /// The score out of 100, as every page writes it ([`score::points`]).
    pub score: i64,
    /// What the moderator weighs, in facts: subjects, distance, load, history, vetting, language.
    pub facts: Vec<String>,
    pub parts: Vec<ScorePart>,
}

/// One part of a score, explained.
#[derive(Clone, Debug)]
pub struct ScorePart {
    pub name: &'static str,
    pub points: f64,
    pub max: f64,
    pub explanation: String,
    /// The whole line, e.g. "Proximité : 29 sur 30 — à 3 km : …"; for a volunteer without
    /// history, the responsiveness line says so instead of a perfect mark they did not earn.
    pub line: String,
}

/// The four parts of a score, in plain French; `history`: the volunteer's track record, when
/// known (a new volunteer's responsiveness is said to be unknown).
pub fn explain(
    breakdown: &Breakdown,
    distance_km: f64,
    history: Option<&History>,
) -> Vec<ScorePart> {
    let weights = Weights::DEFAULT;
    let mut parts = vec![
        ScorePart {
            name: "Sujets",
            points: breakdown.coverage,
            max: weights.coverage,
            explanation: "la part des sujets demandés que ce bénévole sait traiter".into(),
            line: String::new(),
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
            line: String::new(),
        },
        ScorePart {
            name: "Équité",
            points: breakdown.fairness,
            max: weights.fairness,
            explanation:
                "moins il aide de personnes en ce moment, et plus sa dernière aide est ancienne, plus il a de points"
                    .into(),
            line: String::new(),
        },
        ScorePart {
            name: "Réactivité",
            points: breakdown.responsiveness,
            max: weights.responsiveness,
            explanation: "la part des propositions passées auxquelles il a répondu".into(),
            line: String::new(),
        },
    ];
    for part in &mut parts {
        part.line = format!(
            "{} : {:.0} sur {:.0} — {}",
            part.name, part.points, part.max, part.explanation
        );
    }
    if let Some(history) = history.filter(|h| h.received == 0)
        && let Some(last) = parts.last_mut()
    {
        last.line = format!(
            "{} : nouveau, pas encore d'historique ({}, compté comme s'il répondait toujours)",
            last.name,
            facts::history_label(history)
        );
    }
    parts
}

/// `candidates` of `request` with their first name, commune, facts and track record.
pub async fn candidate_views<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    candidates: &[Candidate],
) -> Result<Vec<CandidateView>, DbErr> {
    let ids: Vec<i64> = candidates.iter().map(|c| c.account_id).collect();
    let names = first_names(db, &ids).await?;
    let histories = history(db, &ids).await?;
    let profiles = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::AccountId.is_in(ids))
        .all(db)
        .await?;
    let none = History::default();
    Ok(candidates
        .iter()
        .map(|c| {
            let profile = profiles.iter().find(|p| p.account_id == c.account_id);
            let history = histories.get(&c.account_id).unwrap_or(&none);
            CandidateView {
                account_id: c.account_id,
                prenom: names.get(&c.account_id).cloned().unwrap_or_default(),
                commune_insee: profile.map(|p| p.commune_insee.clone()).unwrap_or_default(),
                distance_km: c.distance_km,
                score: score::points(c.score()),
                facts: facts::of_candidate(request, profile, history, c.distance_km),
                parts: explain(&c.breakdown, c.distance_km, Some(history)),
            }
        })
        .collect())
}

/// A proposal as the page shows it.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub round: i32,
    /// The volunteer's account, while it exists (their name links to their page).
    pub volunteer_id: Option<i64>,
    pub volunteer: String,
    pub status: &'static str,
    /// The score out of 100 when it was proposed, as every page writes it ([`score::points`]).
    pub score: i64,
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
            volunteer_id: names
                .contains_key(&p.volunteer_id)
                .then_some(p.volunteer_id),
            volunteer: names
                .get(&p.volunteer_id)
                .cloned()
                .unwrap_or_else(|| "compte supprimé".into()),
            status: p.status.staff_label(),
            score: score::points(p.score),
            distance_km: p.distance_km,
        })
        .collect())
}

/// An e-mail about a request, as its page lists it ("je n'ai rien reçu").
#[derive(Clone, Debug)]
pub struct EmailView {
    /// In full for admins, masked for moderators ("j•••@example.org").
    pub recipient: String,
    pub subject: String,
    pub state: &'static str,
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// How many e-mails about a request its page lists (the latest).
pub const EMAILS_SHOWN: u64 = 20;

/// The latest e-mails about `request`, newest first; recipients in full when `full_addresses`
/// (admins) or when it is the person's own address (shown on the page anyway), else masked.
pub async fn emails_about<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    full_addresses: bool,
) -> Result<Vec<EmailView>, DbErr> {
    let request_id = request.id;
    use sea_orm::QuerySelect;
    let rows = outbox_email::Entity::find()
        .filter(outbox_email::Column::RequestId.eq(request_id))
        .order_by_desc(outbox_email::Column::CreatedAt)
        .order_by_desc(outbox_email::Column::Id)
        .limit(EMAILS_SHOWN)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|e| EmailView {
            recipient: if full_addresses || request.email.as_deref() == Some(e.recipient.as_str()) {
                e.recipient.clone()
            } else {
                outbox::masked(&e.recipient)
            },
            subject: e.subject,
            state: outbox::state_word(e.status),
            error: e.last_error,
            at: e.created_at,
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
    /// The safety question: `Some(true)`, the person was asked for money, a password or a code.
    pub asked_money_or_code: Option<bool>,
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
            asked_money_or_code: answer.asked_money_or_code,
            at: answer.created_at,
        }))
}
