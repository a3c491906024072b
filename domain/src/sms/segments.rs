//! How many SMS segments a text takes: GSM 03.38 7-bit when every character is in that alphabet
//! (160 characters in one SMS, 153 per part of a longer one; the extension characters such as `€`
//! or `[` count twice), otherwise UCS-2 (70 UTF-16 units, 67 per part).

/// How a text is encoded on the air.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// The GSM 03.38 default alphabet, 7 bits a character.
    Gsm7,
    /// UCS-2, 16 bits a character (any character outside the GSM alphabet forces it).
    Ucs2,
}

/// The GSM 03.38 default alphabet (one septet each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table (an escape septet, then one: two septets each).
const EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// The septets `c` takes in GSM 03.38, or `None` when it is not in the alphabet.
fn septets(c: char) -> Option<usize> {
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The encoding `text` needs and how many segments it takes.
pub fn segments(text: &str) -> (Encoding, usize) {
    let gsm: Option<usize> = text.chars().map(septets).sum();
    match gsm {
        Some(length) => (Encoding::Gsm7, parts(length, 160, 153)),
        None => (Encoding::Ucs2, parts(text.encode_utf16().count(), 70, 67)),
    }
}

/// `text` in the GSM alphabet: its characters outside it replaced by the nearest ones inside
/// (`ê` → `e`, `ç` → `c`, `’` → `'`, `«` → `"`, `œ` → `oe`…), so that a text with a commune or a
/// first name such as « Châlons » or « Jérôme » stays in 7 bits.
pub fn to_gsm(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if septets(c).is_some() {
            out.push(c);
            continue;
        }
        match c {
            '’' | '‘' | 'ʼ' => out.push('\''),
            '«' | '»' | '“' | '”' => out.push('"'),
            '–' | '—' | '‐' => out.push('-'),
            '…' => out.push_str("..."),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            '\u{a0}' | '\u{202f}' | '\t' => out.push(' '),
            _ => {
                let base: String = c
                    .to_string()
                    .nfd()
                    .filter(|d| septets(*d).is_some())
                    .collect();
                if base.is_empty() {
                    out.push('?');
                } else {
                    out.push_str(&base);
                }
            }
        }
    }
    out
}

fn parts(length: usize, single: usize, per_part: usize) -> usize {
    if length <= single {
        1
    } else {
        length.div_ceil(per_part)
    }
}

#[cfg(test)]
mod tests {
    use super::{Encoding, segments, to_gsm};

    #[test]
    fn french_accents_of_the_gsm_alphabet_stay_in_seven_bits() {
        assert_eq!(segments("é è à ù ì ò É Ç"), (Encoding::Gsm7, 1));
        assert_eq!(segments(""), (Encoding::Gsm7, 1));
    }

    #[test]
    fn circumflexes_and_the_small_cedilla_need_ucs2() {
        for c in ["ê", "â", "î", "ô", "û", "ç", "«", "’"] {
            assert_eq!(segments(&format!("Bonjour {c}")).0, Encoding::Ucs2, "{c}");
        }
    }

    #[test]
    fn one_segment_holds_160_septets_then_parts_hold_153() {
        assert_eq!(segments(&"a".repeat(160)), (Encoding::Gsm7, 1));
        assert_eq!(segments(&"a".repeat(161)), (Encoding::Gsm7, 2));
        assert_eq!(segments(&"a".repeat(306)), (Encoding::Gsm7, 2));
        assert_eq!(segments(&"a".repeat(307)), (Encoding::Gsm7, 3));
    }

    #[test]
    fn extension_characters_count_twice() {
        assert_eq!(segments(&"€".repeat(80)), (Encoding::Gsm7, 1));
        assert_eq!(
            segments(&format!("{}€", "a".repeat(159))),
            (Encoding::Gsm7, 2)
        );
    }

    #[test]
    fn values_are_brought_into_the_gsm_alphabet() {
        assert_eq!(
            to_gsm("Châlons-en-Champagne, Jérôme, François « ça » l’œuf"),
            "Chalons-en-Champagne, Jérome, Francois \" ca \" l'oeuf"
        );
        assert_eq!(segments(&to_gsm("Île-d’Yeu")).0, Encoding::Gsm7);
    }

    #[test]
    fn ucs2_holds_70_then_67_per_part() {
        let text = format!("ç{}", "a".repeat(69));
        assert_eq!(segments(&text), (Encoding::Ucs2, 1));
        assert_eq!(segments(&format!("{text}a")), (Encoding::Ucs2, 2));
        assert_eq!(
            segments(&format!("ç{}", "a".repeat(133))),
            (Encoding::Ucs2, 2)
        );
        assert_eq!(
            segments(&format!("ç{}", "a".repeat(134))),
            (Encoding::Ucs2, 3)
        );
    }
}
