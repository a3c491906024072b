//! Moderators of the seeded organisation: they log in once, then open the queue of new requests,
//! open one of them (at random, so that two moderators seldom pick the same) and validate it,
//! which proposes it to volunteers; now and then they look at the whole queue.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use goose::prelude::*;
use rand::seq::IndexedRandom;
use regex::Regex;

use crate::browser::{arrive, follow, get, log_in, pattern, press, stay_logged_in};
use crate::seed;

/// The links to the requests of the queue.
static REQUESTS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"href="/moderation/demandes/(\d+)""#));

/// Seeded moderators taken so far.
static TAKEN: AtomicU32 = AtomicU32::new(0);

/// The moderators' journey.
pub fn scenario() -> Result<Scenario, GooseError> {
    Ok(scenario!("moderator")
        .set_weight(1)?
        .set_wait_time(Duration::from_secs(2), Duration::from_secs(5))?
        .register_transaction(transaction!(arrive).set_on_start())
        .register_transaction(transaction!(sign_in).set_name("log in").set_on_start())
        .register_transaction(
            transaction!(validate_request)
                .set_name("validate a new request")
                .set_weight(3)?,
        )
        .register_transaction(transaction!(whole_queue).set_name("look at the queue")))
}

async fn sign_in(user: &mut GooseUser) -> TransactionResult {
    let n = TAKEN.fetch_add(1, Ordering::Relaxed) % seed::moderators();
    log_in(user, "moderator", &seed::moderator_email(n), "/moderation").await?;
    Ok(())
}

/// The new requests, one of them, and its validation.
async fn validate_request(user: &mut GooseUser) -> TransactionResult {
    stay_logged_in(user, "moderator", "/moderation").await?;
    let queue = get(
        user,
        "/moderation?statut=nouvelle",
        "moderator: /moderation?statut=nouvelle",
    )
    .await?;
    let ids = queue.captures(&REQUESTS);
    let Some(id) = ids.choose(&mut rand::rng()) else {
        return Ok(());
    };
    let path = format!("/moderation/demandes/{id}");
    let Some(validated) = press(
        user,
        &path,
        "moderator: /moderation/demandes/{id}",
        "valider",
        "moderator: /moderation/demandes/{id}/valider",
    )
    .await?
    else {
        // Another moderator was quicker.
        return Ok(());
    };
    follow(user, validated, "moderator: /moderation/demandes/{id}").await?;
    Ok(())
}

async fn whole_queue(user: &mut GooseUser) -> TransactionResult {
    stay_logged_in(user, "moderator", "/moderation").await?;
    get(user, "/moderation", "moderator: /moderation").await?;
    Ok(())
}
