//! Public references of requests: short, easy to read aloud and to type, e.g. `ENT-7K3F9Q`.

use rand::Rng;

/// Letters and digits that cannot be mistaken for one another (no 0/O, no 1/I).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A new random reference (32⁶ ≈ one billion possibilities; the database's unique constraint
/// catches the rare collision and the caller draws again).
pub fn new_reference() -> String {
    let mut rng = rand::rng();
    let code: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("ENT-{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_avoid_ambiguous_characters() {
        for _ in 0..1000 {
            let reference = new_reference();
            assert_eq!(reference.len(), 10);
            assert!(reference.starts_with("ENT-"));
            assert!(
                !reference[4..].contains(['0', 'O', '1', 'I']),
                "{reference}"
            );
        }
    }
}
