//! Logs, read from the real binary (so with the real subscriber) through a whole journey: with
//! `LOG_FORMAT=json` every line is a flat JSON object a collector can index, and in either format
//! no line carries an e-mail address, a telephone number, a password or a link's token.

use regex::Regex;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::accounts::{PASSWORD, link_in, signup_form};
use crate::requests::valid_form;

pub mod service;

use service::{Service, wait_for_outbox};

const CITIZEN: &str = "josette.martin@example.org";
const VOLUNTEER: &str = "marie.journal@example.net";
const WRONG_PASSWORD: &str = "pas le bon mot de passe";

/// The telephone of `valid_form`, as people type it and as it may be stored or shown.
const TELEPHONES: [&str; 5] = [
    "06 12 34 56 78",
    "0612345678",
    "+33612345678",
    "+33 6 12 34 56 78",
    "06.12.34.56.78",
];

/// Drives a whole journey over HTTP and returns the secrets it met (the private tokens of the
/// links, the form's signed stamp).
async fn journey(service: &Service) -> Vec<String> {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let url = |path: &str| format!("{}{path}", service.base);
    let location =
        |response: &reqwest::Response| response.headers()["location"].to_str().unwrap().to_owned();
    let mut secrets = Vec::new();

    let page = client.get(url("/demande")).send().await.unwrap();
    let page = page.text().await.unwrap();
    let stamp = Regex::new(r#"name="debut" value="([^"]+)""#)
        .unwrap()
        .captures(&page)
        .expect("the form has a time stamp")[1]
        .to_owned();
    secrets.push(stamp.clone());
    let filed = client
        .post(url("/demande"))
        .form(&valid_form(&stamp))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let follow = location(&filed).trim_end_matches("?bienvenue=1").to_owned();
    secrets.push(follow.trim_start_matches("/suivi/").to_owned());
    let page = client
        .get(url(&format!("{follow}?bienvenue=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    let signed_up = client
        .post(url("/benevole/inscription"))
        .form(&signup_form(VOLUNTEER))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), StatusCode::OK);
    let mail = service.mail();
    let confirm = mail
        .wait_for(VOLUNTEER, |e| e.subject.contains("Confirmez"))
        .await;
    let link = link_in(&confirm, "/verifier-email/");
    secrets.push(link.trim_start_matches("/verifier-email/").to_owned());
    let verified = client.get(url(&link)).send().await.unwrap();
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);

    let log_in = |password: &'static str| {
        client
            .post(url("/connexion"))
            .form(&[("email", VOLUNTEER), ("password", password)])
            .send()
    };
    assert_eq!(
        log_in(WRONG_PASSWORD).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        log_in(PASSWORD).await.unwrap().status(),
        StatusCode::SEE_OTHER
    );

    let asked = client
        .post(url("/mot-de-passe-oublie"))
        .form(&[("email", VOLUNTEER)])
        .send()
        .await
        .unwrap();
    assert!(asked.status().is_success() || asked.status().is_redirection());
    let reset = mail
        .wait_for(VOLUNTEER, |e| e.subject.contains("nouveau mot de passe"))
        .await;
    let link = link_in(&reset, "/mot-de-passe/");
    secrets.push(link.trim_start_matches("/mot-de-passe/").to_owned());
    assert_eq!(
        client.get(url(&link)).send().await.unwrap().status(),
        StatusCode::OK
    );

    let cancel = url(&format!("{follow}/annuler"));
    assert_eq!(
        client.get(&cancel).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        client.post(&cancel).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        client.get(url(&follow)).send().await.unwrap().status(),
        StatusCode::OK
    );

    wait_for_outbox(service, CITIZEN).await;
    secrets
}

/// Panics on the first log line that shows personal data or a secret of the journey.
fn assert_no_personal_data(logs: &str, secrets: &[String]) {
    let email =
        Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").unwrap();
    let hex_token = Regex::new(r"[0-9a-fA-F]{64}").unwrap();
    let mut forbidden: Vec<&str> = vec![
        CITIZEN,
        VOLUNTEER,
        PASSWORD,
        WRONG_PASSWORD,
        "Josette",
        "Dupont",
    ];
    forbidden.extend(TELEPHONES);
    forbidden.extend(secrets.iter().map(String::as_str));
    for line in logs.lines() {
        for word in &forbidden {
            assert!(!line.contains(word), "{word:?} in the log line {line}");
        }
        let digits: String = line.chars().filter(|c| !" .-()".contains(*c)).collect();
        assert!(
            !digits.contains("612345678"),
            "a telephone in the log line {line}"
        );
        assert!(
            !email.is_match(line),
            "an e-mail address in the log line {line}"
        );
        assert!(!hex_token.is_match(line), "a token in the log line {line}");
    }
}

#[tokio::test]
async fn json_logs_are_flat_objects_and_carry_no_personal_data() {
    let service = Service::start("json").await;
    let secrets = journey(&service).await;
    let logs = service.stop();
    assert_no_personal_data(&logs, &secrets);

    let mut responses = 0;
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON object ({e}): {line}"));
        for key in ["timestamp", "level", "target"] {
            assert!(object.contains_key(key), "no {key} in {line}");
        }
        if object.get("message").and_then(|m| m.as_str()) == Some("finished processing request") {
            responses += 1;
            assert!(object["status"].is_u64(), "{line}");
            assert!(object["latency_ms"].is_f64(), "{line}");
            assert!(object["route"].is_string(), "{line}");
            assert_eq!(
                object["request_id"].as_str().map(str::len),
                Some(36),
                "{line}"
            );
        }
    }
    assert!(responses >= 12, "{responses} response lines in {logs}");
    let received = logs
        .lines()
        .find(|l| l.contains("help request received"))
        .expect("the request was logged");
    let received: serde_json::Value = serde_json::from_str(received).unwrap();
    assert_eq!(
        received["route"], "/demande",
        "events inside a request carry its fields"
    );
    assert!(received["request_id"].is_string());
}

#[tokio::test]
async fn text_logs_carry_no_personal_data() {
    let service = Service::start("text").await;
    let secrets = journey(&service).await;
    let logs = service.stop();
    assert_no_personal_data(&logs, &secrets);
    assert!(logs.contains("finished processing request"), "{logs}");
    assert!(logs.contains(r#"route="/suivi/{token}""#), "{logs}");
}
