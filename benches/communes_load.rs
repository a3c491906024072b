//! How long the communes reference takes to load, and how fast it answers.
//!
//! `cargo bench --bench communes_load` (release build; plain timings, no statistics crate).

use std::hint::black_box;
use std::time::{Duration, Instant};

use entraide::geo::{Communes, PlaceQuery, Point, Postcode};

const LOADS: usize = 15;

fn main() {
    let mut loads: Vec<Duration> = (0..LOADS)
        .map(|_| {
            let started = Instant::now();
            let communes = Communes::load().expect("the reference loads");
            let elapsed = started.elapsed();
            black_box(communes);
            elapsed
        })
        .collect();
    loads.sort();
    println!(
        "load ({LOADS} runs): min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ms(loads[0]),
        ms(loads[LOADS / 2]),
        ms(loads[LOADS - 1])
    );

    let communes = Communes::load().expect("the reference loads");
    println!(
        "{} communes, {} former names",
        communes.len(),
        communes.alias_count()
    );

    let postcodes: Vec<Postcode> = communes
        .iter()
        .flat_map(|c| c.postcodes.iter().copied())
        .collect();
    rate("postcode lookups", 200_000, |i| {
        communes.with_postcode(postcodes[i % postcodes.len()]).len()
    });

    let prefixes = [
        "st e", "mars", "lyon", "bourg", "vitry le", "saint", "a", "paris 1", "ajac",
    ];
    rate("name prefix searches (limit 10)", 20_000, |i| {
        communes.search(prefixes[i % prefixes.len()], 10).len()
    });

    let queries: Vec<PlaceQuery> = ["51300", "513", "st etienne", "75016 Paris"]
        .iter()
        .map(|q| PlaceQuery::parse(q).expect("valid"))
        .collect();
    rate("API suggestions (limit 10)", 20_000, |i| {
        communes.suggest(&queries[i % queries.len()], 10).len()
    });

    let centres: Vec<Point> = communes.iter().step_by(97).map(|c| c.point).collect();
    rate("communes within 30 km", 2_000, |i| {
        communes.within_km(centres[i % centres.len()], 30.0).len()
    });
}

fn rate(what: &str, runs: usize, mut work: impl FnMut(usize) -> usize) {
    let started = Instant::now();
    let mut found = 0;
    for i in 0..runs {
        found += black_box(work(black_box(i)));
    }
    let elapsed = started.elapsed();
    println!(
        "{what}: {:.0}/s ({:.1} µs each, {:.1} results on average)",
        runs as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / runs as f64,
        found as f64 / runs as f64
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
