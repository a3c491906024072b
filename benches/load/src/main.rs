//! `entraide-load`: a load test of Entraide's real journeys with goose, against a running server.
//!
//! - `entraide-load seed` writes what the journeys need into the server's database (an
//!   organisation of the Marne, its moderators, volunteers around Reims, all with one password).
//! - `entraide-load --host http://127.0.0.1:8080 --users 200 --increase-rate 50 --run-time 60s`
//!   (any goose option) runs four journeys in fixed proportions: the public reading pages and the
//!   communes API, citizens filing requests, volunteers answering proposals, moderators validating
//!   requests; then prints goose's report and one line per journey.
//!
//! The server must run with `TRUST_PROXY=true`: every simulated person has its own address in
//! `X-Forwarded-For`, so the per-address limits hold per person as in real life.

mod browser;
mod citizen;
mod moderator;
mod public;
mod seed;
mod summary;
mod volunteer;

use clap::Parser;
use goose::prelude::*;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("seed") {
        let options = seed::Options::parse_from(std::env::args().skip(1));
        return seed::run(&options).await;
    }
    let metrics = GooseAttack::initialize()?
        .register_scenario(public::scenario()?)
        .register_scenario(citizen::scenario()?)
        .register_scenario(volunteer::scenario()?)
        .register_scenario(moderator::scenario()?)
        .set_default(GooseDefault::Host, "http://127.0.0.1:8080")?
        .execute()
        .await?;
    summary::print(&metrics);
    Ok(())
}
