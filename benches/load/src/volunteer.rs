//! Volunteers: they log in once (as from the link of a proposal e-mail, which leads to the login
//! page first), then come back to their desk, open the proposal waiting there (the same page as
//! the e-mail's link, `/benevole/propositions/{id}`) and accept it, and mark as solved the
//! requests they took. The desk page is where the journey reads its links: it lists exactly the
//! proposals still open, whatever the outbox's delay in sending the e-mails.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use goose::prelude::*;
use regex::Regex;

use crate::browser::{arrive, follow, get, log_in, pattern, post, press, stay_logged_in};
use crate::seed;

/// The links to the proposals of the desk.
static PROPOSALS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"href="/benevole/propositions/(\d+)""#));
/// The links "C'est résolu" of the requests held.
static SOLVED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"href="/benevole/demandes/(\d+)/resolue""#));

/// Seeded volunteers taken so far (two simulated users may share one account, as two devices).
static TAKEN: AtomicU32 = AtomicU32::new(0);

/// The volunteers' journey.
pub fn scenario() -> Result<Scenario, GooseError> {
    Ok(scenario!("volunteer")
        .set_weight(2)?
        .set_wait_time(Duration::from_secs(2), Duration::from_secs(5))?
        .register_transaction(transaction!(arrive).set_on_start())
        .register_transaction(transaction!(sign_in).set_name("log in").set_on_start())
        .register_transaction(transaction!(answer_proposal).set_name("answer a proposal"))
        .register_transaction(transaction!(close_request).set_name("mark a request solved")))
}

async fn sign_in(user: &mut GooseUser) -> TransactionResult {
    let n = TAKEN.fetch_add(1, Ordering::Relaxed) % seed::volunteers();
    log_in(
        user,
        "volunteer",
        &seed::volunteer_email(n),
        "/benevole/espace",
    )
    .await?;
    Ok(())
}

/// Opens the first proposal of the desk (the first to expire) and accepts it. Another volunteer
/// may have taken it first: the page then says so, which is no error.
async fn answer_proposal(user: &mut GooseUser) -> TransactionResult {
    stay_logged_in(user, "volunteer", "/benevole/espace").await?;
    let desk = get(user, "/benevole/espace", "volunteer: /benevole/espace").await?;
    let Some(id) = desk.captures(&PROPOSALS).into_iter().next() else {
        return Ok(());
    };
    let path = format!("/benevole/propositions/{id}");
    let Some(accepted) = press(
        user,
        &path,
        "volunteer: /benevole/propositions/{id}",
        "accepter",
        "volunteer: /benevole/propositions/{id}/accepter",
    )
    .await?
    else {
        return Ok(());
    };
    let name = match accepted.location.as_deref() {
        Some("/benevole/demandes") => "volunteer: /benevole/demandes",
        _ => "volunteer: /benevole/propositions/{id}",
    };
    follow(user, accepted, name).await?;
    Ok(())
}

/// Marks the request held longest as solved, through its confirmation page.
async fn close_request(user: &mut GooseUser) -> TransactionResult {
    stay_logged_in(user, "volunteer", "/benevole/espace").await?;
    let held = get(user, "/benevole/demandes", "volunteer: /benevole/demandes").await?;
    let Some(id) = held.captures(&SOLVED).into_iter().next() else {
        return Ok(());
    };
    let path = format!("/benevole/demandes/{id}/resolue");
    get(user, &path, "volunteer: /benevole/demandes/{id}/resolue").await?;
    let done = post(
        user,
        &path,
        "volunteer: /benevole/demandes/{id}/resolue",
        &[],
    )
    .await?;
    follow(user, done, "volunteer: /benevole/demandes").await?;
    Ok(())
}
