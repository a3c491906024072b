//! Bar charts as inline SVG, drawn on the server: each has a `<title>` and a `<desc>`, and the page
//! shows the same figures in a table next to it. The two series of the monthly chart differ by
//! colour and by pattern (plain and hatched), so colour never carries the meaning alone.

use std::fmt::Write;

use super::dashboard::MonthFigures;
use crate::reference::Category;

/// Escapes text for SVG content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Dark blue: the requests received (contrast 8.6:1 on white).
pub const RECEIVED: &str = "#1d4f91";
/// Dark green, hatched: the requests resolved (contrast 6.4:1 on white).
pub const RESOLVED: &str = "#1e6b36";
const AXIS: &str = "#4a4a4a";

/// A rounded-up top of scale and its step, for `max`.
fn scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let magnitude = 10u64.pow(max.ilog10());
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| max.div_ceil(*step) <= 5)
        .unwrap_or(magnitude * 10);
    (max.div_ceil(step) * step, step)
}

/// Requests received and resolved per month, as grouped vertical bars.
pub fn months(figures: &[MonthFigures], title: &str) -> String {
    let (width, height, left, bottom, top) = (720.0, 310.0, 56.0, 60.0, 16.0);
    let max = figures
        .iter()
        .map(|f| f.recues.max(f.resolues))
        .max()
        .unwrap_or(0);
    let (top_value, step) = scale(max);
    let plot_h = height - bottom - top;
    let y = |v: u64| top + plot_h - plot_h * v as f64 / top_value as f64;
    let slot = (width - left - 8.0) / figures.len().max(1) as f64;
    let bar = (slot * 0.38).min(22.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="graphique" viewBox="0 0 {width} {height}" role="img" aria-labelledby="graphique-mois-titre graphique-mois-desc" xmlns="http://www.w3.org/2000/svg"><title id="graphique-mois-titre">{}</title><desc id="graphique-mois-desc">Barres pleines : demandes reçues ; barres hachurées : demandes résolues. Les chiffres sont dans le tableau qui suit.</desc>"#,
        escape(title)
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="hachures-resolues" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{RESOLVED}"/></pattern></defs>"##
    );
    let mut value = 0;
    while value <= top_value {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{}" stroke-width="{}"/><text x="{}" y="{:.1}" text-anchor="end" font-size="12" fill="{AXIS}">{value}</text>"#,
            width - 8.0,
            if value == 0 { AXIS } else { "#d0d0d0" },
            if value == 0 { 1.0 } else { 0.5 },
            left - 6.0,
            y(value) + 4.0,
            y = y(value),
        );
        value += step;
    }
    for (i, f) in figures.iter().enumerate() {
        let x = left + slot * i as f64 + slot / 2.0;
        let _ = write!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="{RECEIVED}"><title>{} : {} reçues</title></rect>"#,
            x - bar,
            y(f.recues),
            y(0) - y(f.recues),
            f.month.long_fr(),
            f.recues
        );
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="url(#hachures-resolues)" stroke="{RESOLVED}" stroke-width="1"><title>{} : {} résolues</title></rect>"#,
            y(f.resolues),
            y(0) - y(f.resolues),
            f.month.long_fr(),
            f.resolues
        );
        let every = figures.len().div_ceil(13);
        if i % every == 0 {
            let short = f.month.short_fr();
            let (name, year) = short.split_once(' ').unwrap_or((&short, ""));
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{AXIS}">{}<tspan x="{x:.1}" dy="13">{year}</tspan></text>"#,
                height - bottom + 14.0,
                escape(name),
            );
        }
    }
    let legend_y = height - 12.0;
    let _ = write!(
        svg,
        r#"<rect x="{left}" y="{:.1}" width="14" height="14" fill="{RECEIVED}"/><text x="{}" y="{legend_y:.1}" font-size="12" fill="{AXIS}">Reçues</text><rect x="{}" y="{:.1}" width="14" height="14" fill="url(#hachures-resolues)" stroke="{RESOLVED}"/><text x="{}" y="{legend_y:.1}" font-size="12" fill="{AXIS}">Résolues</text></svg>"#,
        legend_y - 11.0,
        left + 20.0,
        left + 100.0,
        legend_y - 11.0,
        left + 120.0,
    );
    svg
}

/// Requests per category, as horizontal bars with the label above each.
pub fn categories(figures: &[(Category, u64)], title: &str) -> String {
    let (width, row) = (720.0, 44.0);
    let height = row * figures.len() as f64 + 8.0;
    let max = figures.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let plot_w = width - 80.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="graphique" viewBox="0 0 {width} {height}" role="img" aria-labelledby="graphique-categories-titre" xmlns="http://www.w3.org/2000/svg"><title id="graphique-categories-titre">{}</title>"#,
        escape(title)
    );
    for (i, (category, n)) in figures.iter().enumerate() {
        let top = row * i as f64 + 4.0;
        let w = plot_w * *n as f64 / max as f64;
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="13" fill="#1a1a1a">{}</text><rect x="0" y="{:.1}" width="{w:.1}" height="16" fill="{RECEIVED}"/><text x="{:.1}" y="{:.1}" font-size="13" fill="#1a1a1a">{n}</text>"##,
            top + 14.0,
            escape(category.label()),
            top + 20.0,
            w + 6.0,
            top + 33.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(42), (50, 10));
        assert_eq!(scale(1234), (2000, 1000));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("Côte-d'Or <&>"), "Côte-d&#39;Or &lt;&amp;&gt;");
    }
}
