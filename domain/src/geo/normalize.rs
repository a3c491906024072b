//! Name normalisation, so that what people type finds the official name: `st etienne`,
//! `SAINT-ÉTIENNE` and `Saint Etienne` all become `saint etienne`.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The comparable form of a name: lowercase, no accents, `œ`→`oe`, hyphens, apostrophes and other
/// punctuation turned into single spaces, and the abbreviations `St`/`Ste` written out as
/// `saint`/`sainte`.
pub fn normalize(name: &str) -> String {
    let folded = fold(name);
    if !folded.split(' ').any(|word| expand(word) != word) {
        return folded;
    }
    let words: Vec<&str> = folded.split(' ').map(expand).collect();
    words.join(" ")
}

/// The normalised forms under which to look for names starting with what was typed.
///
/// Usually one; two when the text ends with an unfinished `st` or `ste`, which may be the
/// abbreviation of `saint`/`sainte` or the start of a name such as `Strasbourg` or `Stenay`.
pub fn prefix_forms(typed: &str) -> Vec<String> {
    let full = normalize(typed);
    let folded = fold(typed);
    let unfinished = typed.ends_with(char::is_alphanumeric);
    match folded
        .rsplit_once(' ')
        .map_or(folded.as_str(), |(_, last)| last)
    {
        last if unfinished && expand(last) != last => {
            let cut = full.len() - expand(last).len();
            vec![full.clone(), format!("{}{last}", &full[..cut])]
        }
        _ => vec![full],
    }
}

/// `text` in lowercase letters and digits without accents, words separated by single spaces.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = false;
    let mut push = |c: char, folded: &mut String| {
        if c.is_alphanumeric() {
            if space && !folded.is_empty() {
                folded.push(' ');
            }
            space = false;
            if c.is_ascii() {
                folded.push(c.to_ascii_lowercase());
            } else {
                folded.extend(c.to_lowercase());
            }
        } else {
            space = true;
        }
    };
    for c in text.chars() {
        match c {
            'œ' | 'Œ' => "oe".chars().for_each(|c| push(c, &mut folded)),
            'æ' | 'Æ' => "ae".chars().for_each(|c| push(c, &mut folded)),
            'ß' => "ss".chars().for_each(|c| push(c, &mut folded)),
            c if c.is_ascii() => push(c, &mut folded),
            c => decompose_canonical(c, |part| {
                if !is_combining_mark(part) {
                    push(part, &mut folded);
                }
            }),
        }
    }
    folded
}

fn expand(word: &str) -> &str {
    match word {
        "st" => "saint",
        "ste" => "sainte",
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_punctuation_do_not_matter() {
        assert_eq!(normalize("Saint-Étienne"), "saint etienne");
        assert_eq!(normalize("  SAINT   ETIENNE "), "saint etienne");
        assert_eq!(normalize("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(
            normalize("L’Île-Bouchard"),
            "l ile bouchard",
            "typographic apostrophe"
        );
        assert_eq!(normalize("Œuilly"), "oeuilly");
        assert_eq!(
            normalize("Bors (Canton de Charente-Sud)"),
            "bors canton de charente sud"
        );
        assert_eq!(
            normalize("Paris 16e Arrondissement"),
            "paris 16e arrondissement"
        );
    }

    #[test]
    fn saint_and_sainte_may_be_abbreviated() {
        assert_eq!(normalize("st etienne"), "saint etienne");
        assert_eq!(normalize("St-Étienne"), normalize("Saint-Étienne"));
        assert_eq!(normalize("Ste-Maxime"), "sainte maxime");
        assert_eq!(normalize("Saint-Maur-des-Fossés"), "saint maur des fosses");
        assert_eq!(
            normalize("Stains"),
            "stains",
            "only whole words are abbreviations"
        );
        assert_eq!(normalize("Aix-en-Provence"), "aix en provence");
    }

    #[test]
    fn an_unfinished_st_is_also_the_start_of_a_word() {
        assert_eq!(prefix_forms("St"), ["saint", "st"]);
        assert_eq!(prefix_forms("ste"), ["sainte", "ste"]);
        assert_eq!(prefix_forms("st "), ["saint"], "a space ends the word");
        assert_eq!(prefix_forms("st-"), ["saint"]);
        assert_eq!(prefix_forms("st et"), ["saint et"]);
        assert_eq!(prefix_forms("Lyon"), ["lyon"]);
    }
}
