//! The public, not logged in: the home page, the public statistics, the pages that explain
//! (privacy, the volunteers' charter, how to find one's request, which commune a postcode is),
//! and the communes API a partner's form or the "where" field calls.

use std::time::Duration;

use goose::prelude::*;
use rand::seq::IndexedRandom;

use crate::browser::{arrive, get};

/// The pages that explain, with the name each is counted under.
const HELP_PAGES: [(&str, &str); 4] = [
    ("/confidentialite", "public: /confidentialite"),
    ("/charte-benevole", "public: /charte-benevole"),
    ("/suivi", "public: /suivi"),
    ("/commune?commune=51100", "public: /commune?commune=…"),
];

/// What people type in a commune field: postcodes, starts of names, with and without accents.
const QUERIES: [&str; 10] = [
    "51100", "75016", "69", "reims", "saint-", "epern", "Châlons", "mar", "13001", "lyon 3",
];

/// The public's journey.
pub fn scenario() -> Result<Scenario, GooseError> {
    Ok(scenario!("public")
        .set_weight(12)?
        .set_wait_time(Duration::from_secs(1), Duration::from_secs(3))?
        .register_transaction(transaction!(arrive).set_on_start())
        .register_transaction(transaction!(home).set_name("home").set_weight(3)?)
        .register_transaction(transaction!(statistics).set_name("statistics"))
        .register_transaction(
            transaction!(help_page)
                .set_name("a help page")
                .set_weight(2)?,
        )
        .register_transaction(
            transaction!(communes)
                .set_name("communes API")
                .set_weight(3)?,
        ))
}

async fn home(user: &mut GooseUser) -> TransactionResult {
    get(user, "/", "public: /").await?;
    Ok(())
}

async fn statistics(user: &mut GooseUser) -> TransactionResult {
    get(user, "/statistiques", "public: /statistiques").await?;
    Ok(())
}

async fn help_page(user: &mut GooseUser) -> TransactionResult {
    let (path, name) = *HELP_PAGES.choose(&mut rand::rng()).expect("pages");
    get(user, path, name).await?;
    Ok(())
}

async fn communes(user: &mut GooseUser) -> TransactionResult {
    let q = QUERIES.choose(&mut rand::rng()).expect("queries");
    get(
        user,
        &format!("/api/v1/communes?q={q}"),
        "public: /api/v1/communes",
    )
    .await?;
    Ok(())
}
