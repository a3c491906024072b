//! The map of France by département as inline SVG: mainland and Corsica, and the five overseas
//! départements as insets under it, from the outline converted once by
//! `scripts/gen_departements_map.py` (`data/departements-carte.tsv`; @svg-maps by Victor Cazanave,
//! CC BY 4.0). Each département is shaded by class and carries its name and figure in a `<title>`;
//! the page lists the same figures in a table. Départements without a published figure are hatched.

use std::fmt::Write;
use std::sync::LazyLock;

use super::charts::escape;
use super::dashboard::PlaceFigures;
use crate::geo::DepartementCode;

const OUTLINE: &str = include_str!("../../data/departements-carte.tsv");
/// Light to dark blue (ColorBrewer « Blues »); every class is outlined in dark grey.
const PALETTE: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// What the map shades.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indicator {
    /// The share of requests left without volunteer.
    WithoutVolunteer,
    /// Requests per 10,000 inhabitants.
    Rate,
}

impl Indicator {
    /// Reads the `carte` parameter (default: without volunteer).
    pub fn parse(text: &str) -> Self {
        if text == "taux" {
            Self::Rate
        } else {
            Self::WithoutVolunteer
        }
    }

    /// The `carte` parameter.
    pub fn slug(self) -> &'static str {
        match self {
            Self::WithoutVolunteer => "sans-benevole",
            Self::Rate => "taux",
        }
    }

    /// What the map shows, in French.
    pub fn label(self) -> &'static str {
        match self {
            Self::WithoutVolunteer => "Part des demandes restées sans bénévole",
            Self::Rate => "Demandes pour 10 000 habitants",
        }
    }

    /// The département's figure.
    pub fn value(self, place: &PlaceFigures) -> Option<f64> {
        match self {
            Self::WithoutVolunteer => place.share_without_volunteer(),
            Self::Rate => place.per_10k().filter(|_| place.recues > 0),
        }
    }

    /// The figure as written.
    pub fn format(self, value: f64) -> String {
        match self {
            Self::WithoutVolunteer => format!("{} %", format_fr(value, 0)),
            Self::Rate => format_fr(value, 2),
        }
    }
}

/// A number with a decimal comma.
pub fn format_fr(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

fn outline() -> &'static [(DepartementCode, &'static str)] {
    static PATHS: LazyLock<Vec<(DepartementCode, &'static str)>> = LazyLock::new(|| {
        OUTLINE
            .lines()
            .skip(1)
            .filter_map(|line| {
                let (code, path) = line.split_once('\t')?;
                Some((DepartementCode::parse(code).ok()?, path))
            })
            .collect()
    });
    &PATHS
}

/// The class limits: fixed for shares, quintiles of the figures for rates.
pub fn breaks(indicator: Indicator, values: &[f64]) -> [f64; 4] {
    match indicator {
        Indicator::WithoutVolunteer => [10.0, 20.0, 30.0, 50.0],
        Indicator::Rate => {
            let mut sorted: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
            sorted.sort_by(f64::total_cmp);
            if sorted.is_empty() {
                return [1.0, 2.0, 3.0, 4.0];
            }
            let at = |q: usize| {
                let v = sorted[(sorted.len() * q / 5).min(sorted.len() - 1)];
                (v * 100.0).round() / 100.0
            };
            [at(1), at(2), at(3), at(4)]
        }
    }
}

fn class(value: f64, breaks: &[f64; 4]) -> usize {
    breaks.iter().filter(|b| value >= **b).count()
}

/// One line of the map's legend.
pub struct LegendEntry {
    pub colour: &'static str,
    pub text: String,
}

/// The legend of the classes.
pub fn legend(indicator: Indicator, breaks: &[f64; 4]) -> Vec<LegendEntry> {
    let f = |v: f64| indicator.format(v);
    let mut entries = vec![LegendEntry {
        colour: PALETTE[0],
        text: format!("moins de {}", f(breaks[0])),
    }];
    for i in 0..3 {
        entries.push(LegendEntry {
            colour: PALETTE[i + 1],
            text: format!("de {} à moins de {}", f(breaks[i]), f(breaks[i + 1])),
        });
    }
    entries.push(LegendEntry {
        colour: PALETTE[4],
        text: format!("{} ou plus", f(breaks[3])),
    });
    entries.push(LegendEntry {
        colour: "url(#carte-sans-donnee)",
        text: "hachuré : pas de chiffre publié".to_owned(),
    });
    entries
}

/// The map, shaded by `indicator`, with `breaks` from [`breaks`].
pub fn render(places: &[PlaceFigures], indicator: Indicator, breaks: &[f64; 4]) -> String {
    let mut svg = String::new();
    let title = format!(
        "Carte des départements : {}",
        indicator.label().to_lowercase()
    );
    let _ = write!(
        svg,
        r##"<svg class="carte" viewBox="0 0 613 704" role="img" aria-labelledby="carte-titre" xmlns="http://www.w3.org/2000/svg"><title id="carte-titre">{}</title><defs><pattern id="carte-sans-donnee" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="1.5" height="6" fill="#8a8a8a"/></pattern></defs>"##,
        escape(&title)
    );
    for (departement, path) in outline() {
        let place = places.iter().find(|p| p.departement == *departement);
        let value = place.and_then(|p| indicator.value(p));
        let (fill, figure) = match value {
            Some(v) => (PALETTE[class(v, breaks)].to_owned(), indicator.format(v)),
            None => (
                "url(#carte-sans-donnee)".to_owned(),
                "pas de chiffre publié".to_owned(),
            ),
        };
        let _ = write!(
            svg,
            r##"<path d="{path}" fill="{fill}" stroke="#3a3a3a" stroke-width="0.6"><title>{} ({}) : {}</title></path>"##,
            escape(departement.nom()),
            departement.as_str(),
            escape(&figure)
        );
    }
    for (i, name) in [
        "Guadeloupe",
        "Martinique",
        "Guyane",
        "La Réunion",
        "Mayotte",
    ]
    .iter()
    .enumerate()
    {
        let x = i as f64 * 122.5;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="600" width="110" height="84" fill="none" stroke="#8a8a8a" stroke-width="0.8"/><text x="{:.1}" y="698" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x + 55.0,
            escape(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_has_every_departement() {
        assert_eq!(outline().len(), 101);
        for d in DepartementCode::all() {
            assert!(outline().iter().any(|(c, _)| *c == d), "{}", d.as_str());
        }
    }

    #[test]
    fn classes_follow_the_breaks() {
        let b = [10.0, 20.0, 30.0, 50.0];
        assert_eq!(class(0.0, &b), 0);
        assert_eq!(class(10.0, &b), 1);
        assert_eq!(class(49.9, &b), 3);
        assert_eq!(class(80.0, &b), 4);
    }
}
