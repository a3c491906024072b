//! One cell of the statistics: the counts of a set of requests (the measures, listed once in
//! [`Measure`], with their column names and French descriptions) and the distributions of their
//! delays, in whole hours.

use std::collections::BTreeMap;

/// What a cell counts, in the order of the open-data file's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Recues,
    Ouvertes,
    Prises,
    Resolues,
    SansBenevole,
    Refusees,
    Annulees,
    TelephoneSeulement,
    ModeTelephone,
    ModeVisio,
    ModePresentiel,
    Avis,
    AvisSatisfaits,
    AvisRegles,
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 14] = [
        Self::Recues,
        Self::Ouvertes,
        Self::Prises,
        Self::Resolues,
        Self::SansBenevole,
        Self::Refusees,
        Self::Annulees,
        Self::TelephoneSeulement,
        Self::ModeTelephone,
        Self::ModeVisio,
        Self::ModePresentiel,
        Self::Avis,
        Self::AvisSatisfaits,
        Self::AvisRegles,
    ];

    /// The column of the open-data file (stable: published).
    pub fn column(self) -> &'static str {
        match self {
            Self::Recues => "demandes_recues",
            Self::Ouvertes => "demandes_ouvertes",
            Self::Prises => "demandes_prises_en_charge",
            Self::Resolues => "demandes_resolues",
            Self::SansBenevole => "demandes_sans_benevole",
            Self::Refusees => "demandes_refusees",
            Self::Annulees => "demandes_annulees",
            Self::TelephoneSeulement => "demandes_telephone_seulement",
            Self::ModeTelephone => "demandes_mode_telephone",
            Self::ModeVisio => "demandes_mode_visio",
            Self::ModePresentiel => "demandes_mode_presentiel",
            Self::Avis => "avis",
            Self::AvisSatisfaits => "avis_satisfaits",
            Self::AvisRegles => "avis_probleme_regle",
        }
    }

    /// The short French label of the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            Self::Recues => "Demandes reçues",
            Self::Ouvertes => "Demandes validées (ouvertes aux bénévoles)",
            Self::Prises => "Demandes prises en charge par un bénévole",
            Self::Resolues => "Demandes résolues",
            Self::SansBenevole => "Demandes restées sans bénévole",
            Self::Refusees => "Demandes refusées",
            Self::Annulees => "Demandes annulées",
            Self::TelephoneSeulement => "Demandes sans e-mail (contact par téléphone seulement)",
            Self::ModeTelephone => "par téléphone",
            Self::ModeVisio => "en appel vidéo",
            Self::ModePresentiel => "en personne",
            Self::Avis => "Avis reçus",
            Self::AvisSatisfaits => "Avis satisfaits",
            Self::AvisRegles => "Avis « problème réglé »",
        }
    }

    /// The description in the Table Schema.
    pub fn description(self) -> &'static str {
        match self {
            Self::Recues => "Nombre de demandes d'aide reçues dans le mois.",
            Self::Ouvertes => {
                "Parmi les demandes reçues, celles qui ont été validées et ouvertes à la recherche d'un bénévole."
            }
            Self::Prises => {
                "Parmi les demandes reçues, celles qu'un bénévole a acceptées au moins une fois."
            }
            Self::Resolues => "Parmi les demandes reçues, celles qui sont résolues.",
            Self::SansBenevole => {
                "Parmi les demandes reçues, celles pour lesquelles aucun bénévole n'a été trouvé à un moment (« sans bénévole »)."
            }
            Self::Refusees => "Parmi les demandes reçues, celles qui ont été refusées.",
            Self::Annulees => "Parmi les demandes reçues, celles que la personne a annulées.",
            Self::TelephoneSeulement => {
                "Demandes laissant un numéro de téléphone et aucune adresse e-mail."
            }
            Self::ModeTelephone => "Demandes acceptant une aide par téléphone.",
            Self::ModeVisio => "Demandes acceptant une aide en appel vidéo.",
            Self::ModePresentiel => "Demandes acceptant une aide en personne.",
            Self::Avis => "Demandes résolues dont la personne a donné son avis.",
            Self::AvisSatisfaits => "Avis « très » ou « plutôt » satisfaits de l'aide reçue.",
            Self::AvisRegles => "Avis répondant « oui » à « Le problème est-il réglé ? ».",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How many requests waited how long, in whole hours (hours → requests).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durations(BTreeMap<u32, u64>);

impl Durations {
    /// Adds one request that waited `hours`.
    pub fn add(&mut self, hours: u32) {
        *self.0.entry(hours).or_default() += 1;
    }

    /// Adds every duration of `other`.
    pub fn merge(&mut self, other: &Durations) {
        for (hours, n) in &other.0 {
            *self.0.entry(*hours).or_default() += n;
        }
    }

    /// How many durations.
    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }

    /// The `percent`-th percentile by nearest rank (the smallest duration that at least
    /// `percent` % of the requests did not exceed); none without durations.
    pub fn percentile(&self, percent: u64) -> Option<u32> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = (total * percent).div_ceil(100).max(1);
        let mut seen = 0;
        for (hours, n) in &self.0 {
            seen += n;
            if seen >= rank {
                return Some(*hours);
            }
        }
        None
    }

    /// The stored form: `hours:count` pairs separated by spaces.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|(h, n)| format!("{h}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads the stored form (malformed pairs are skipped).
    pub fn from_stored(text: &str) -> Self {
        let mut durations = Self::default();
        for pair in text.split_whitespace() {
            if let Some((h, n)) = pair.split_once(':')
                && let (Ok(h), Ok(n)) = (h.parse::<u32>(), n.parse::<u64>())
            {
                *durations.0.entry(h).or_default() += n;
            }
        }
        durations
    }
}

/// Durations being added up, as a dense array indexed by hour: adding a cell's durations costs one
/// array addition per distinct value, where merging maps would insert into a tree.
#[derive(Clone, Debug, Default)]
pub struct DurationSum(Vec<u64>);

impl DurationSum {
    /// Adds every duration of `durations`.
    pub fn add(&mut self, durations: &Durations) {
        for (hours, n) in &durations.0 {
            let i = *hours as usize;
            if i >= self.0.len() {
                self.0.resize(i + 1, 0);
            }
            self.0[i] += n;
        }
    }

    /// The sum, as durations.
    pub fn finish(&self) -> Durations {
        Durations(
            self.0
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(h, n)| (h as u32, *n))
                .collect(),
        )
    }
}

/// The figures of a set of requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    counts: [u64; 14],
    /// From opening to the first acceptance by a volunteer.
    pub delai_prise: Durations,
    /// From the (last) acceptance to the resolution.
    pub delai_resolution: Durations,
}

impl Cell {
    /// The value of `measure`.
    pub fn get(&self, measure: Measure) -> u64 {
        self.counts[measure.index()]
    }

    /// Adds `n` to `measure`.
    pub fn add(&mut self, measure: Measure, n: u64) {
        self.counts[measure.index()] += n;
    }

    /// Adds the counts of `other`, not its durations.
    pub fn merge_counts(&mut self, other: &Cell) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
    }

    /// Adds every figure of `other`.
    pub fn merge(&mut self, other: &Cell) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
        self.delai_prise.merge(&other.delai_prise);
        self.delai_resolution.merge(&other.delai_resolution);
    }

    /// How many requests the cell was computed from.
    pub fn requests(&self) -> u64 {
        self.get(Measure::Recues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_by_nearest_rank() {
        let mut d = Durations::default();
        for h in [1, 2, 3, 4, 10] {
            d.add(h);
        }
        assert_eq!(d.percentile(50), Some(3));
        assert_eq!(d.percentile(90), Some(10));
        d.add(5);
        assert_eq!(d.percentile(50), Some(3));
        assert_eq!(Durations::default().percentile(50), None);
    }

    #[test]
    fn durations_round_trip_through_their_stored_form() {
        let mut d = Durations::default();
        d.add(3);
        d.add(3);
        d.add(48);
        assert_eq!(d.to_stored(), "3:2 48:1");
        assert_eq!(Durations::from_stored(&d.to_stored()), d);
    }
}
