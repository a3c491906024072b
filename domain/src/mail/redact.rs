//! Delivery errors without addresses: SMTP servers and lettre name the recipient in their
//! answers ("550 5.1.1 <marie@example.org>: Recipient address rejected"); what is stored in
//! `outbox_email.last_error` and written to the logs must not.

/// What stands for an address in a delivery error.
pub const HIDDEN: &str = "[adresse masquée]";

/// Characters that end an address written inside an error message.
fn is_boundary(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '(' | ')' | '[' | ']' | ',' | ';'
        )
}

/// `error` with `recipient` (in any letter case) and every word holding an `@` replaced by
/// [`HIDDEN`].
pub fn addresses(error: &str, recipient: &str) -> String {
    let error = replace_ignoring_case(error, recipient.trim());
    let mut out = String::with_capacity(error.len());
    let mut word = String::new();
    for c in error.chars().chain(std::iter::once(' ')) {
        if is_boundary(c) {
            out.push_str(if word.contains('@') { HIDDEN } else { &word });
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.pop();
    out
}

/// `text` with every occurrence of `needle`, ignoring ASCII letter case, replaced by [`HIDDEN`].
fn replace_ignoring_case(text: &str, needle: &str) -> String {
    if needle.is_empty() {
        return text.to_owned();
    }
    let (haystack, needle) = (text.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, _) in haystack.match_indices(&needle) {
        if start < last {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(HIDDEN);
        last = start + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_answers_lose_the_address_and_keep_the_reason() {
        let error = "SMTP delivery failed: permanent error (550): 5.1.1 <Marie.Dupont@Example.org>: \
                     Recipient address rejected";
        assert_eq!(
            addresses(error, "marie.dupont@example.org"),
            "SMTP delivery failed: permanent error (550): 5.1.1 <[adresse masquée]>: \
             Recipient address rejected"
        );
        assert_eq!(
            addresses("user marie@example.org, other=x@y unknown", "a@b.c"),
            "user [adresse masquée], [adresse masquée] unknown"
        );
        assert_eq!(
            addresses("connection refused (os error 111)", "a@b.c"),
            "connection refused (os error 111)"
        );
    }

    #[test]
    fn the_recipient_is_hidden_whatever_its_letters() {
        assert_eq!(
            addresses("rejected: ÉLÉONORE@exemple.fr", "ÉLÉONORE@exemple.fr"),
            "rejected: [adresse masquée]"
        );
    }
}
