//! What every simulated person shares: a browser of its own (cookies kept, redirects seen as
//! such), an address of its own in `X-Forwarded-For`, and reading the pages it gets.

use std::net::Ipv4Addr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use goose::metrics::GooseRequestMetric;
use goose::prelude::*;
use regex::Regex;

/// The result of a step of a journey.
pub type Step<T> = Result<T, Box<TransactionError>>;

/// Addresses handed out so far, from 10.0.0.0/8. A run starts at an offset of its own so that a
/// second run within the hour does not meet the first one's per-address counts.
static ADDRESSES: LazyLock<AtomicU32> = LazyLock::new(|| {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    AtomicU32::new((seconds % 1_000) as u32 * 16_000)
});

/// A run's own tag, in the e-mail addresses the citizens give.
pub static RUN: LazyLock<u64> = LazyLock::new(|| {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
});

/// What a simulated person keeps between the steps of its journey.
#[derive(Clone)]
pub struct Visitor {
    /// Its number, unique in the run.
    pub number: u32,
    /// Its address, sent as `X-Forwarded-For`.
    pub ip: Ipv4Addr,
    /// The time stamp of the request form it opened, and when it opened it.
    pub form: Option<(String, Instant)>,
    /// The account it logs in with, and whether its last login went through.
    pub account: Option<(String, bool)>,
}

impl Visitor {
    /// A person never seen before.
    pub fn new() -> Self {
        let number = ADDRESSES.fetch_add(1, Ordering::Relaxed) % 0x00ff_fffe;
        Self {
            number,
            ip: Ipv4Addr::from(0x0a00_0001 + number),
            form: None,
            account: None,
        }
    }
}

/// A page (or redirect) received, with its metric so that a step can mark it failed when it does
/// not hold what the journey needs.
pub struct Page {
    /// The body, as text.
    pub body: String,
    /// Where a redirect leads.
    pub location: Option<String>,
    metric: GooseRequestMetric,
}

impl Page {
    /// Marks the request failed (`why` names the reason in goose's error table).
    pub fn fail<T>(mut self, user: &mut GooseUser, why: &str) -> Step<T> {
        user.set_failure(why, &mut self.metric, None, Some(&self.body))?;
        Err(Box::new(TransactionError::Custom(why.to_owned())))
    }

    /// The first capture of `pattern` on each of its matches, in page order.
    pub fn captures(&self, pattern: &Regex) -> Vec<String> {
        pattern
            .captures_iter(&self.body)
            .filter_map(|c| c.get(1).map(|m| m.as_str().to_owned()))
            .collect()
    }
}

/// First step of every journey: a browser that keeps cookies and does not follow redirects (each
/// page is measured on its own), and an address.
pub async fn arrive(user: &mut GooseUser) -> TransactionResult {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .user_agent("entraide-load");
    user.set_client_builder(client).await?;
    user.set_session_data(Visitor::new());
    Ok(())
}

/// The person's state (set by [`arrive`]).
pub fn visitor(user: &mut GooseUser) -> &mut Visitor {
    user.get_session_data_mut::<Visitor>()
        .expect("arrive() runs first")
}

/// `GET path` expecting 200, counted under `name`.
pub async fn get(user: &mut GooseUser, path: &str, name: &str) -> Step<Page> {
    send(user, GooseMethod::Get, path, name, None, 200).await
}

/// A form posted from one of the service's pages, expecting a redirect (303).
pub async fn post(
    user: &mut GooseUser,
    path: &str,
    name: &str,
    form: &[(&str, String)],
) -> Step<Page> {
    send(user, GooseMethod::Post, path, name, Some(form), 303).await
}

/// Follows the redirect `page` is, as a browser would, counting the page under `name`.
pub async fn follow(user: &mut GooseUser, page: Page, name: &str) -> Step<Page> {
    match page.location.clone() {
        Some(location) if location.starts_with('/') => get(user, &location, name).await,
        _ => page.fail(user, "a redirect without a local location"),
    }
}

async fn send(
    user: &mut GooseUser,
    method: GooseMethod,
    path: &str,
    name: &str,
    form: Option<&[(&str, String)]>,
    status: u16,
) -> Step<Page> {
    let ip = visitor(user).ip.to_string();
    let mut builder = user
        .get_request_builder(&method, path)?
        .header("x-forwarded-for", ip);
    if let Some(form) = form {
        // What a browser sends with a form of the same site.
        builder = builder.header("sec-fetch-site", "same-origin").form(form);
    }
    let request = GooseRequest::builder()
        .method(method)
        .path(path)
        .name(name)
        .expect_status_code(status)
        .set_request_builder(builder)
        .build();
    let goose = user.request(request).await?;
    let mut metric = goose.request;
    let response = match goose.response {
        Ok(response) if metric.success => response,
        // Goose counted the failure already (wrong status, or no answer).
        _ => {
            return Err(Box::new(TransactionError::RequestFailed {
                raw_request: Box::new(metric),
            }));
        }
    };
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    match response.text().await {
        Ok(body) => Ok(Page {
            body,
            location,
            metric,
        }),
        Err(err) => {
            user.set_failure(&format!("body not read: {err}"), &mut metric, None, None)?;
            Err(Box::new(TransactionError::Custom("body not read".into())))
        }
    }
}

/// A pattern of the pages, compiled once.
pub fn pattern(source: &'static str) -> Regex {
    Regex::new(source).expect("a valid pattern")
}

/// Logs in with `email` and the seeded password from the login page, landing on `next`.
pub async fn log_in(user: &mut GooseUser, journey: &str, email: &str, next: &str) -> Step<Page> {
    visitor(user).account = Some((email.to_owned(), false));
    get(user, "/connexion", &format!("{journey}: /connexion")).await?;
    let form = [
        ("email", email.to_owned()),
        ("password", crate::seed::PASSWORD.to_owned()),
        ("suivant", next.to_owned()),
    ];
    let logged_in = post(user, "/connexion", &format!("{journey}: /connexion"), &form).await?;
    let landed = follow(user, logged_in, &format!("{journey}: {next}")).await?;
    visitor(user).account = Some((email.to_owned(), true));
    Ok(landed)
}

/// Logs in again when the last login did not go through (a person tries again), so that one
/// failed login does not turn every later page into a redirect to the login page.
pub async fn stay_logged_in(user: &mut GooseUser, journey: &str, next: &str) -> Step<()> {
    if let Some((email, false)) = visitor(user).account.clone() {
        log_in(user, journey, &email, next).await?;
    }
    Ok(())
}

/// Opens `path` and, when the page offers the button posting to `{path}/{action}`, presses it:
/// the redirect it answers, or `None` when the page no longer offers it (someone was quicker).
pub async fn press(
    user: &mut GooseUser,
    path: &str,
    page_name: &str,
    action: &str,
    action_name: &str,
) -> Step<Option<Page>> {
    let page = get(user, path, page_name).await?;
    let target = format!("{path}/{action}");
    if !page.body.contains(&format!("action=\"{target}\"")) {
        return Ok(None);
    }
    post(user, &target, action_name, &[]).await.map(Some)
}
