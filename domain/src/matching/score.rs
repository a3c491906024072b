//! Who may help with a request, and how well they fit: pure functions, explained part by part
//! (../shared/PRODUCT.md §5).

use serde::{Deserialize, Serialize};

use crate::geo::Point;
use crate::reference::{CategorySet, HelpMode, ModeSet};

/// What matching knows about a request.
#[derive(Clone, Debug)]
pub struct RequestNeeds {
    pub categories: CategorySet,
    pub modes: ModeSet,
    pub point: Point,
    /// A language other than French, if asked for.
    pub langue: Option<String>,
}

/// What matching knows about a volunteer.
#[derive(Clone, Debug)]
pub struct VolunteerOffer {
    pub account_id: i64,
    pub categories: CategorySet,
    pub modes: ModeSet,
    pub point: Point,
    pub rayon_km: f64,
    /// Languages spoken besides French.
    pub langues: Vec<String>,
    pub max_demandes: i32,
    /// Requests they hold now.
    pub active: i32,
    /// Days since they last took a request (`None`: never).
    pub days_since_last: Option<f64>,
    /// Past proposals, and how many of them they answered (accepted or declined).
    pub proposals_received: u32,
    pub proposals_answered: u32,
    /// Whether a moderator vetted them for in-person help.
    pub vetted: bool,
}

/// The score's parts, each shown to moderators.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Share of the requested categories offered (0–40).
    pub coverage: f64,
    /// Closer is better, also for remote help (0–30).
    pub proximity: f64,
    /// Fewer requests held, longer since the last one (0–20).
    pub fairness: f64,
    /// Share of past proposals answered (0–10).
    pub responsiveness: f64,
}

impl Breakdown {
    /// The score out of 100.
    pub fn total(&self) -> f64 {
        self.coverage + self.proximity + self.fairness + self.responsiveness
    }
}

/// How much each part of the score weighs (the parts add up to 100), and the distance beyond which
/// proximity brings nothing: the one place the score and the search's bound
/// ([`best_possible_beyond`]) read them from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Share of the requested categories offered.
    pub coverage: f64,
    /// Closeness, also for remote help.
    pub proximity: f64,
    /// Fewer requests held, longer since the last one.
    pub fairness: f64,
    /// Share of past proposals answered.
    pub responsiveness: f64,
    /// Beyond this distance (km) proximity brings nothing.
    pub horizon_km: f64,
}

impl Weights {
    /// The weights matching uses (../shared/PRODUCT.md §5).
    pub const DEFAULT: Self = Self {
        coverage: 40.0,
        proximity: 30.0,
        fairness: 20.0,
        responsiveness: 10.0,
        horizon_km: MAX_RADIUS_KM,
    };
}

/// The largest travel radius a volunteer may set (it bounds the search box for in-person help),
/// and the distance beyond which proximity brings nothing.
pub const MAX_RADIUS_KM: f64 = 100.0;

/// A volunteer who may help, with the distance and the score's explanation.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub account_id: i64,
    pub distance_km: f64,
    pub breakdown: Breakdown,
    /// The modes both sides accept, given the distance.
    pub modes: ModeSet,
}

impl Candidate {
    /// The score out of 100.
    pub fn score(&self) -> f64 {
        self.breakdown.total()
    }
}

/// Whether `volunteer` may be proposed `request`, and if so how well they fit. `vetting_required`:
/// the organisation wants in-person help from vetted volunteers only. (Account-level conditions —
/// verified, not suspended, not paused, not already asked — are filtered before.)
pub fn evaluate(
    request: &RequestNeeds,
    volunteer: &VolunteerOffer,
    vetting_required: bool,
) -> Option<Candidate> {
    evaluate_with(&Weights::DEFAULT, request, volunteer, vetting_required)
}

/// [`evaluate`] under `weights`.
pub fn evaluate_with(
    weights: &Weights,
    request: &RequestNeeds,
    volunteer: &VolunteerOffer,
    vetting_required: bool,
) -> Option<Candidate> {
    if volunteer.active >= volunteer.max_demandes
        || !request.categories.intersects(volunteer.categories)
    {
        return None;
    }
    if let Some(langue) = &request.langue
        && !volunteer.langues.iter().any(|l| l == langue)
    {
        return None;
    }
    let distance_km = request.point.distance_km(volunteer.point);
    let shared: ModeSet = request
        .modes
        .items()
        .into_iter()
        .filter(|m| volunteer.modes.contains(*m))
        .filter(|m| {
            *m != HelpMode::Presentiel
                || (distance_km <= volunteer.rayon_km && (volunteer.vetted || !vetting_required))
        })
        .collect();
    if shared.is_empty() {
        return None;
    }
    let requested = request.categories.len() as f64;
    let covered = request
        .categories
        .items()
        .into_iter()
        .filter(|c| volunteer.categories.contains(*c))
        .count() as f64;
    let load = 1.0 - f64::from(volunteer.active) / f64::from(volunteer.max_demandes.max(1));
    let rest = volunteer
        .days_since_last
        .map_or(1.0, |days| (days / 30.0).clamp(0.0, 1.0));
    let answered = if volunteer.proposals_received == 0 {
        1.0
    } else {
        f64::from(volunteer.proposals_answered) / f64::from(volunteer.proposals_received)
    };
    let breakdown = Breakdown {
        coverage: weights.coverage * covered / requested,
        proximity: proximity(weights, distance_km),
        fairness: weights.fairness * (0.5 * load + 0.5 * rest),
        responsiveness: weights.responsiveness * answered,
    };
    Some(Candidate {
        account_id: volunteer.account_id,
        distance_km,
        breakdown,
        modes: shared,
    })
}

/// The proximity part for a volunteer `distance_km` away.
fn proximity(weights: &Weights, distance_km: f64) -> f64 {
    weights.proximity * (1.0 - distance_km / weights.horizon_km).max(0.0)
}

/// The highest score a volunteer at least `distance_km` away can reach under `weights`: every other
/// part at its maximum. The widening search stops when the k-th best found reaches it.
pub fn best_possible_beyond(weights: &Weights, distance_km: f64) -> f64 {
    weights.coverage + proximity(weights, distance_km) + weights.fairness + weights.responsiveness
}

/// A score as every page and timeline entry writes it: whole points out of 100, rounded the same
/// way everywhere (so a proposal's score reads the same in the table and in the history).
pub fn points(score: f64) -> i64 {
    score.round() as i64
}

/// Ranks candidates best first (ties: closer first, then the older account).
pub fn rank(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        b.score()
            .total_cmp(&a.score())
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.account_id.cmp(&b.account_id))
    });
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Category;

    const PARIS: Point = Point {
        lat: 48.8566,
        lon: 2.3522,
    };

    fn request(modes: &[&str]) -> RequestNeeds {
        RequestNeeds {
            categories: CategorySet::from_slugs(&["demarches", "sante"]).unwrap(),
            modes: ModeSet::from_slugs(modes).unwrap(),
            point: PARIS,
            langue: None,
        }
    }

    fn volunteer(id: i64, km_north: f64) -> VolunteerOffer {
        VolunteerOffer {
            account_id: id,
            categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
            modes: ModeSet::from_slugs(&["telephone", "presentiel"]).unwrap(),
            point: Point {
                lat: PARIS.lat + km_north / 111.2,
                lon: PARIS.lon,
            },
            rayon_km: 10.0,
            langues: vec![],
            max_demandes: 2,
            active: 0,
            days_since_last: None,
            proposals_received: 0,
            proposals_answered: 0,
            vetted: false,
        }
    }

    #[test]
    fn a_closer_volunteer_ranks_first() {
        let need = request(&["telephone", "presentiel"]);
        let near = evaluate(&need, &volunteer(2, 5.0), false).unwrap();
        let far = evaluate(&need, &volunteer(1, 40.0), false).unwrap();
        assert!((near.distance_km - 5.0).abs() < 0.2);
        let ranked = rank(vec![far, near]);
        assert_eq!(ranked[0].account_id, 2);
        assert!(ranked[0].breakdown.proximity > ranked[1].breakdown.proximity);
    }

    #[test]
    fn remote_help_ignores_the_radius_but_in_person_help_does_not() {
        let far = volunteer(1, 40.0);
        assert!(evaluate(&request(&["telephone"]), &far, false).is_some());
        assert!(evaluate(&request(&["presentiel"]), &far, false).is_none());
        let shared = evaluate(&request(&["telephone", "presentiel"]), &far, false)
            .unwrap()
            .modes;
        assert_eq!(shared.items(), vec![HelpMode::Telephone]);
        assert!(
            evaluate(&request(&["presentiel"]), &volunteer(1, 5.0), true).is_none(),
            "vetting required"
        );
    }

    #[test]
    fn full_volunteers_and_missing_languages_or_categories_are_not_eligible() {
        let need = request(&["telephone"]);
        let mut full = volunteer(1, 1.0);
        full.active = 2;
        assert!(evaluate(&need, &full, false).is_none());
        let mut speaker = volunteer(2, 1.0);
        let need_pt = RequestNeeds {
            langue: Some("pt".into()),
            ..need.clone()
        };
        assert!(evaluate(&need_pt, &speaker, false).is_none());
        speaker.langues = vec!["pt".into()];
        assert!(evaluate(&need_pt, &speaker, false).is_some());
        let mut other = volunteer(3, 1.0);
        other.categories = [Category::Emploi].into_iter().collect();
        assert!(evaluate(&need, &other, false).is_none());
    }

    #[test]
    fn the_score_is_explained_and_bounded() {
        let mut v = volunteer(1, 0.0);
        v.categories = CategorySet::from_slugs(&["demarches", "sante"]).unwrap();
        let best = evaluate(&request(&["telephone"]), &v, false).unwrap();
        assert!((best.score() - 100.0).abs() < 1e-6, "{:?}", best.breakdown);
        v.active = 1;
        v.proposals_received = 4;
        v.proposals_answered = 1;
        v.categories = CategorySet::from_slugs(&["demarches"]).unwrap();
        let b = evaluate(&request(&["telephone"]), &v, false)
            .unwrap()
            .breakdown;
        assert_eq!(b.coverage, 20.0);
        assert_eq!(b.responsiveness, 2.5);
        assert_eq!(b.fairness, 15.0);
    }

    /// Weight sets the bound must hold for: the defaults, and others that shift the balance.
    const WEIGHT_SETS: [Weights; 3] = [
        Weights::DEFAULT,
        Weights {
            coverage: 10.0,
            proximity: 70.0,
            fairness: 15.0,
            responsiveness: 5.0,
            horizon_km: 50.0,
        },
        Weights {
            coverage: 70.0,
            proximity: 5.0,
            fairness: 5.0,
            responsiveness: 20.0,
            horizon_km: 200.0,
        },
    ];

    #[test]
    fn nobody_beyond_a_distance_scores_above_the_search_bound_whatever_the_weights() {
        let need = request(&["telephone"]);
        for weights in WEIGHT_SETS {
            for km in [0.5, 5.0, 40.0, 100.0, 150.0, 500.0] {
                let mut offer = volunteer(1, km);
                offer.categories = CategorySet::from_slugs(&["demarches", "sante"]).unwrap();
                let best = evaluate_with(&weights, &need, &offer, false).unwrap();
                let distance = best.distance_km;
                // A spotless volunteer reaches the bound at their own distance…
                let bound = best_possible_beyond(&weights, distance);
                assert!((best.score() - bound).abs() < 1e-6, "{weights:?} {km}");
                // …and never exceeds the bound of any radius they lie beyond.
                for radius in [0.0, distance * 0.5, distance * 0.99] {
                    let bound = best_possible_beyond(&weights, radius);
                    assert!(best.score() <= bound + 1e-9, "{weights:?} {km} {radius}");
                }
            }
        }
    }

    #[test]
    fn the_default_weights_add_up_to_100_and_explain_the_breakdown() {
        let w = Weights::DEFAULT;
        assert_eq!(
            w.coverage + w.proximity + w.fairness + w.responsiveness,
            100.0
        );
        let need = request(&["telephone"]);
        let mut offer = volunteer(1, 0.0);
        offer.categories = CategorySet::from_slugs(&["demarches", "sante"]).unwrap();
        let best = evaluate(&need, &offer, false).unwrap();
        assert_eq!(best.breakdown.coverage, w.coverage);
        assert_eq!(best.breakdown.responsiveness, w.responsiveness);
        assert!((best.score() - best_possible_beyond(&w, 0.0)).abs() < 1e-6);
    }
}
