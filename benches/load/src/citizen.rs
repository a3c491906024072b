//! Citizens filing a help request, as a person does it in a browser: the home page, the form
//! (whose signed time stamp goes back with it), the commune suggestions the form's script asks
//! for while they type, the form sent, then their follow-up page. Every round is a new person:
//! a new address, new contact details. Four in ten give a telephone only, four in ten an e-mail
//! only, two in ten both.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use goose::prelude::*;
use regex::Regex;

use crate::browser::{self, Page, Step, arrive, follow, get, post, visitor};

/// Communes of the Marne, where the seeded organisation and volunteers are: (what the person
/// types, the INSEE code the suggestion fills in, the start typed for the suggestions).
const PLACES: [(&str, &str, &str); 6] = [
    ("Reims", "51454", "reim"),
    ("Reims", "51454", "51100"),
    ("Tinqueux", "51573", "tinq"),
    ("Bétheny", "51055", "béth"),
    ("Cormontreuil", "51172", "corm"),
    ("Épernay", "51230", "eper"),
];

const FIRST_NAMES: [&str; 8] = [
    "Josette", "Marcel", "Huguette", "Gérard", "Monique", "Lucien", "Simone", "André",
];

const NEEDS: [(&[&str], &str); 5] = [
    (
        &["demarches"],
        "Je n'arrive pas à déclarer mes impôts en ligne.",
    ),
    (
        &["email", "appareil"],
        "Je voudrais envoyer des photos à mes petits-enfants depuis ma tablette.",
    ),
    (
        &["sante"],
        "Je dois prendre rendez-vous chez le médecin sur internet.",
    ),
    (
        &["securite"],
        "J'ai reçu un message bizarre de ma banque, je ne sais pas si c'est une arnaque.",
    ),
    (
        &["proches", "internet"],
        "Je voudrais faire un appel vidéo avec ma famille.",
    ),
];

/// The form's signed time stamp.
static STAMP: LazyLock<Regex> =
    LazyLock::new(|| browser::pattern(r#"name="debut" value="([^"]+)""#));

/// The form refuses what is sent within `REQUEST_FORM_MIN_SECONDS` (3 by default, counted in
/// whole seconds) of its display: a person takes longer.
const FILLING_TIME: Duration = Duration::from_millis(4_100);

/// The citizens' journey.
pub fn scenario() -> Result<Scenario, GooseError> {
    Ok(scenario!("citizen")
        .set_weight(5)?
        .set_wait_time(Duration::from_secs(2), Duration::from_secs(4))?
        .register_transaction(transaction!(arrive).set_on_start())
        .register_transaction(transaction!(open_form).set_name("open the form"))
        .register_transaction(transaction!(find_commune).set_name("find the commune"))
        .register_transaction(transaction!(send_form).set_name("send the form")))
}

/// A new person comes to the home page, then opens the form.
async fn open_form(user: &mut GooseUser) -> TransactionResult {
    *visitor(user) = browser::Visitor::new();
    get(user, "/", "citizen: /").await?;
    let page = get(user, "/demande", "citizen: /demande").await?;
    let Some(stamp) = page.captures(&STAMP).into_iter().next() else {
        return page.fail(user, "the form has no time stamp");
    };
    visitor(user).form = Some((stamp, Instant::now()));
    Ok(())
}

/// What the commune field's suggestions ask for while the person types.
async fn find_commune(user: &mut GooseUser) -> TransactionResult {
    let (_, _, typed) = PLACES[visitor(user).number as usize % PLACES.len()];
    let path = format!("/api/v1/communes?q={typed}");
    get(user, &path, "citizen: /api/v1/communes").await?;
    Ok(())
}

/// Sends the form, then reads the follow-up page it leads to.
async fn send_form(user: &mut GooseUser) -> TransactionResult {
    let Some((stamp, opened)) = visitor(user).form.take() else {
        return Ok(());
    };
    if let Some(rest) = FILLING_TIME.checked_sub(opened.elapsed()) {
        tokio::time::sleep(rest).await;
    }
    let form = answers(visitor(user).number, stamp);
    let sent = post(user, "/demande", "citizen: /demande", &form).await?;
    follow_up(user, sent).await
}

async fn follow_up(user: &mut GooseUser, sent: Page) -> Step<()> {
    if !sent
        .location
        .as_deref()
        .is_some_and(|l| l.starts_with("/suivi/"))
    {
        return sent.fail(user, "the request was not received");
    }
    follow(user, sent, "citizen: /suivi/{token}").await?;
    Ok(())
}

/// The answers of person `n`.
fn answers(n: u32, stamp: String) -> Vec<(&'static str, String)> {
    let (commune, insee, _) = PLACES[n as usize % PLACES.len()];
    let (categories, description) = NEEDS[n as usize % NEEDS.len()];
    let telephone = format!(
        "06 {:02} {:02} {:02} {:02}",
        n / 1_000_000 % 100,
        n / 10_000 % 100,
        n / 100 % 100,
        n % 100
    );
    let email = format!("citoyen-{}-{n}@example.org", *browser::RUN);
    let (telephone, email) = match n % 10 {
        0..4 => (telephone, String::new()),
        4..8 => (String::new(), email),
        _ => (telephone, email),
    };
    let mut form: Vec<(&'static str, String)> = categories
        .iter()
        .map(|c| ("categories", (*c).to_owned()))
        .collect();
    form.push(("modes", "telephone".to_owned()));
    if n.is_multiple_of(4) {
        form.push(("modes", "presentiel".to_owned()));
    }
    form.extend([
        ("pour_un_proche", "non".to_owned()),
        ("commune", commune.to_owned()),
        ("commune_insee", insee.to_owned()),
        (
            "prenom",
            FIRST_NAMES[n as usize % FIRST_NAMES.len()].to_owned(),
        ),
        ("telephone", telephone),
        ("email", email),
        ("description", description.to_owned()),
        ("langue", String::new()),
        ("consentement", "oui".to_owned()),
        ("site_web", String::new()),
        ("debut", stamp),
    ]);
    form
}
