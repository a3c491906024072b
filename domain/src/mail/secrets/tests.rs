//! Sealing and restoring link secrets, and scrubbing e-mails queued before sealing.

use super::*;
use crate::tokens::SecretKey;

fn key(byte: u8) -> LinkKey {
    LinkKey::derive(&SecretKey::from_bytes(vec![byte; 32]))
}

fn row(subject: &str, text: &str, html: &str, headers: &str) -> outbox_email::Model {
    let now = chrono::Utc::now();
    outbox_email::Model {
        id: 1,
        kind: "test".into(),
        recipient: "marie@example.org".into(),
        subject: subject.into(),
        body_text: text.into(),
        body_html: html.into(),
        headers: headers.into(),
        message_id: "<m1@localhost>".into(),
        dedupe_key: "k".into(),
        status: entity::states::OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        locked_by: None,
        locked_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
        request_id: None,
        account_id: None,
        link_secrets: None,
    }
}

fn sealed_row(key: &LinkKey, original: &outbox_email::Model) -> outbox_email::Model {
    let mut stored = original.clone();
    stored.link_secrets = seal(
        key,
        &stored.message_id,
        &stored.recipient,
        [
            &mut stored.subject,
            &mut stored.body_text,
            &mut stored.body_html,
            &mut stored.headers,
        ],
    )
    .unwrap();
    stored
}

#[test]
fn tokens_leave_the_stored_copy_and_come_back_exactly_with_the_key() {
    let (a, b) = ("ab".repeat(32), "0f".repeat(32));
    let original = row(
        "Votre demande",
        &format!("Suivi : https://x.fr/suivi/{a}\nAvis : https://x.fr/avis/{b}?n=1\nRef cafe42"),
        &format!(r#"<a href="https://x.fr/suivi/{a}">https://x.fr/suivi/{a}</a>"#),
        &format!(r#"[["List-Unsubscribe","<https://x.fr/stop/{b}>"]]"#),
    );
    let stored = sealed_row(&key(1), &original);
    let all = format!(
        "{}{}{}{}{}",
        stored.subject,
        stored.body_text,
        stored.body_html,
        stored.headers,
        stored.link_secrets.as_deref().unwrap()
    );
    assert!(!all.contains(&a) && !all.contains(&b), "{all}");
    assert!(
        stored
            .body_text
            .contains("https://x.fr/suivi/[lien retiré ")
    );
    assert!(stored.body_text.contains("Ref cafe42"), "short hex stays");
    assert_eq!(
        unseal(&key(1), &stored).unwrap().body_text,
        original.body_text
    );
    let open = unseal(&key(1), &stored).unwrap();
    assert_eq!(
        (open.body_html, open.headers, open.link_secrets),
        (original.body_html, original.headers, None)
    );
}

#[test]
fn another_key_or_another_recipient_cannot_open_the_secrets() {
    let original = row(
        "s",
        &format!("https://x.fr/suivi/{}", "cd".repeat(32)),
        "",
        "[]",
    );
    let stored = sealed_row(&key(1), &original);
    assert!(unseal(&key(2), &stored).is_err());
    let mut moved = stored.clone();
    moved.recipient = "intrus@example.org".into();
    assert!(unseal(&key(1), &moved).is_err());
}

#[test]
fn an_email_without_secrets_is_stored_as_it_is() {
    let original = row(
        "s",
        "Bonjour, rendez-vous sur https://x.fr/benevole",
        "<p>x</p>",
        "[]",
    );
    let stored = sealed_row(&key(1), &original);
    assert_eq!(stored, original);
    assert_eq!(unseal(&key(2), &stored).unwrap(), original);
}

#[test]
fn a_placeholder_typed_by_a_user_is_left_alone() {
    let token = "ef".repeat(32);
    let original = row(
        "s",
        &format!("[lien retiré 0-0] https://x.fr/suivi/{token}"),
        "",
        "[]",
    );
    let open = unseal(&key(1), &sealed_row(&key(1), &original)).unwrap();
    assert_eq!(open.body_text, original.body_text);
}

#[test]
fn old_emails_are_scrubbed_without_a_key() {
    let token = "12".repeat(32);
    assert_eq!(
        scrub(&format!("https://x.fr/mot-de-passe/{token}.")).as_deref(),
        Some("https://x.fr/mot-de-passe/[lien retiré].")
    );
    assert_eq!(scrub("rien à retirer"), None);
}
