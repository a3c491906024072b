//! After goose's own report (per request and per transaction): one line per journey, from the
//! requests named `journey: path` — requests and requests/s, p50, p99 and the slowest,
//! errors, and the rounds of the journey completed.

use std::collections::BTreeMap;

use goose::prelude::*;

#[derive(Default)]
struct Journey {
    requests: usize,
    errors: usize,
    slowest_us: u64,
    /// How many times fell in each of goose's buckets (their fastest time, µs).
    times: BTreeMap<u64, usize>,
}

impl Journey {
    fn add(&mut self, other: &Journey) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.slowest_us = self.slowest_us.max(other.slowest_us);
        for (bucket, count) in &other.times {
            *self.times.entry(*bucket).or_default() += count;
        }
    }

    /// The time under which `share` of the requests fell, in milliseconds.
    fn percentile_ms(&self, share: f64) -> f64 {
        let total: usize = self.times.values().sum();
        let rank = ((total as f64) * share).ceil().max(1.0) as usize;
        let mut seen = 0;
        for (bucket, count) in &self.times {
            seen += count;
            if seen >= rank {
                return *bucket as f64 / 1000.0;
            }
        }
        self.slowest_us as f64 / 1000.0
    }
}

/// Prints the journeys' table.
pub fn print(metrics: &GooseMetrics) {
    let mut journeys: BTreeMap<String, Journey> = BTreeMap::new();
    for (name, request) in &metrics.requests {
        // Goose keys a request by its method and name: "GET citizen: /demande".
        let named = name
            .split_once(' ')
            .map_or(name.as_str(), |(_, named)| named);
        let journey = named.split(':').next().unwrap_or(named).to_owned();
        let data = &request.raw_data;
        let one = Journey {
            requests: request.success_count + request.fail_count,
            errors: request.fail_count,
            slowest_us: data.maximum_time_us,
            times: data.times_us.iter().map(|(b, c)| (*b, *c)).collect(),
        };
        journeys.entry(journey).or_default().add(&one);
    }
    let rounds: BTreeMap<String, usize> = metrics
        .scenarios
        .iter()
        .map(|s| (s.name.to_string(), s.run_times.counter))
        .collect();
    let seconds = metrics.duration.max(1) as f64;
    println!(
        "\n=== Journeys ({} s, {} users) ===",
        metrics.duration, metrics.maximum_users
    );
    println!(
        "{:<10} {:>9} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7}",
        "journey", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "rounds"
    );
    let mut all = Journey::default();
    for (name, journey) in &journeys {
        all.add(journey);
        line(
            name,
            journey,
            seconds,
            rounds.get(name).copied().unwrap_or(0),
        );
    }
    line("all", &all, seconds, rounds.values().sum());
}

fn line(name: &str, journey: &Journey, seconds: f64, rounds: usize) {
    println!(
        "{:<10} {:>9} {:>8.1} {:>8.1} {:>8.1} {:>9.1} {:>7} {:>7}",
        name,
        journey.requests,
        journey.requests as f64 / seconds,
        journey.percentile_ms(0.50),
        journey.percentile_ms(0.99),
        journey.slowest_us as f64 / 1000.0,
        journey.errors,
        rounds
    );
}
