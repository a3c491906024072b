//! The reminder to a volunteer still holding a request `VOLUNTEER_REMINDER_DAYS` after taking it:
//! once per taking, whatever the number of jobs, and never for a request no longer theirs.

use chrono::Utc;
use entity::proposal;
use entity::states::RequestStatus;
use entraide::matching::{answers, reminders};
use entraide::requests::follow;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{accepted_days_ago, opened_request, take, volunteer};
use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;

/// One volunteer asked at a time (the tests run the jobs themselves).
async fn app() -> TestApp {
    spawn_app_with(|c| c.matching.proposals_per_round = 1).await
}

/// One run of the reminder job, now.
async fn run(app: &TestApp) -> usize {
    reminders::send_due(&app.db, &app.config, Utc::now())
        .await
        .unwrap()
}

async fn reminded_at(app: &TestApp, proposal_id: i64) -> Option<chrono::DateTime<Utc>> {
    proposal::Entity::find_by_id(proposal_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .reminded_at
}

#[tokio::test]
async fn the_reminder_goes_once_after_the_delay() {
    let app = app().await;
    let marie = volunteer(&app, "Marie", 2).await;
    let request = opened_request(&app, "Josette").await;
    let taken = take(&app, request.request.id).await;
    assert_eq!(run(&app).await, 0, "just taken");
    accepted_days_ago(&app, taken.id, 6).await;
    assert_eq!(run(&app).await, 0, "six days are not seven");

    accepted_days_ago(&app, taken.id, 7).await;
    assert_eq!(run(&app).await, 1);
    assert!(reminded_at(&app, taken.id).await.is_some());
    assert_eq!(run(&app).await, 0, "once");
    let later = Utc::now() + chrono::Duration::days(30);
    assert_eq!(
        reminders::send_due(&app.db, &app.config, later)
            .await
            .unwrap(),
        0,
        "not again later either"
    );

    let email = app
        .mailbox
        .delivered(&marie.email, |e| {
            e.subject.contains("Où en est la demande de Josette ?")
        })
        .await;
    for part in [&email.text, &email.html] {
        assert!(part.contains("Bonjour Marie"), "{part}");
        assert!(part.contains(&request.request.reference));
        assert!(part.contains("/benevole/demandes"));
        assert!(part.contains("C'est résolu") || part.contains("C&#39;est résolu"));
        assert!(part.contains("Je ne peux plus aider"));
        assert!(part.contains("modération"));
    }
    assert_eq!(app.outbox_rows("volunteer_reminder", None).await.len(), 1);
}

#[tokio::test]
async fn reminder_jobs_running_at_the_same_time_remind_each_volunteer_once() {
    let app = app().await;
    let mut taken = Vec::new();
    for (volunteer_name, citizen) in [("Anne", "Josette"), ("Bruno", "Paul"), ("Chloé", "Lucien")]
    {
        volunteer(&app, volunteer_name, 1).await;
        let request = opened_request(&app, citizen).await;
        taken.push(take(&app, request.request.id).await);
    }
    for p in &taken {
        accepted_days_ago(&app, p.id, 8).await;
    }
    let (a, b, c, d) = tokio::join!(run(&app), run(&app), run(&app), run(&app));
    assert_eq!(a + b + c + d, 3, "each taking claimed by exactly one job");
    assert_eq!(run(&app).await, 0);
    let sent = app.outbox_rows("volunteer_reminder", None).await;
    assert_eq!(sent.len(), 3);
    for p in &taken {
        assert!(reminded_at(&app, p.id).await.is_some());
    }
}

#[tokio::test]
async fn no_reminder_for_a_request_resolved_cancelled_or_given_back() {
    let app = app().await;
    for name in ["Anne", "Bruno", "Chloé", "David"] {
        volunteer(&app, name, 2).await;
    }
    let resolved = opened_request(&app, "Josette").await;
    let p = take(&app, resolved.request.id).await;
    assert!(
        answers::mark_solved_by_volunteer(
            &app.db,
            &app.config,
            resolved.request.id,
            p.volunteer_id,
        )
        .await
        .unwrap()
    );
    let cancelled = opened_request(&app, "Paul").await;
    take(&app, cancelled.request.id).await;
    let current = kit::request(&app, cancelled.request.id).await;
    follow::cancel(&app.db, &app.config, &current)
        .await
        .unwrap();
    let given_back = opened_request(&app, "Lucien").await;
    let p = take(&app, given_back.request.id).await;
    assert!(
        answers::give_back(&app.db, &app.config, given_back.request.id, p.volunteer_id)
            .await
            .unwrap()
    );
    assert_eq!(
        kit::request(&app, given_back.request.id).await.status,
        RequestStatus::Ouverte
    );

    let answered = proposal::Entity::find()
        .filter(proposal::Column::AnsweredAt.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    assert!(answered.len() >= 3);
    for p in &answered {
        accepted_days_ago(&app, p.id, 30).await;
    }
    assert_eq!(run(&app).await, 0);
    assert!(app.outbox_rows("volunteer_reminder", None).await.is_empty());
    let resolved_taking = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(resolved.request.id))
        .filter(proposal::Column::Status.eq("acceptee"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        resolved_taking.reminded_at.is_some(),
        "a finished taking is set aside, so the job does not look at it again"
    );
}

#[tokio::test]
async fn the_next_volunteer_to_take_a_request_given_back_gets_their_own_reminder() {
    let app = app().await;
    volunteer(&app, "Anne", 2).await;
    volunteer(&app, "Bruno", 2).await;
    let request = opened_request(&app, "Josette").await;
    let first = take(&app, request.request.id).await;
    accepted_days_ago(&app, first.id, 8).await;
    assert_eq!(run(&app).await, 1);
    assert!(
        answers::give_back(&app.db, &app.config, request.request.id, first.volunteer_id)
            .await
            .unwrap()
    );

    let second = take(&app, request.request.id).await;
    assert_ne!(second.volunteer_id, first.volunteer_id);
    assert_eq!(run(&app).await, 0, "the new holder just took it");
    accepted_days_ago(&app, second.id, 8).await;
    assert_eq!(run(&app).await, 1);
    let mut recipients: Vec<String> = app
        .outbox_rows("volunteer_reminder", None)
        .await
        .into_iter()
        .map(|e| e.recipient)
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 2, "one reminder each");
}

#[tokio::test]
async fn the_periodic_jobs_send_the_reminder() {
    let app = app().await;
    let marie = volunteer(&app, "Marie", 2).await;
    let request = opened_request(&app, "Josette").await;
    let taken = take(&app, request.request.id).await;
    accepted_days_ago(&app, taken.id, 8).await;
    assert_eq!(
        app.run_due_jobs(Utc::now()).await.of("volunteer-reminders"),
        1
    );
    app.mailbox
        .delivered(&marie.email, |e| e.subject.contains("Où en est la demande"))
        .await;
    assert_eq!(app.outbox_rows("volunteer_reminder", None).await.len(), 1);
}

#[tokio::test]
async fn no_reminder_at_all_when_volunteer_reminder_days_is_0() {
    let app = spawn_app_with(|c| {
        c.matching.proposals_per_round = 1;
        c.matching.reminder_days = 0;
    })
    .await;
    volunteer(&app, "Marie", 2).await;
    let request = opened_request(&app, "Josette").await;
    let taken = take(&app, request.request.id).await;
    accepted_days_ago(&app, taken.id, 365).await;
    assert_eq!(run(&app).await, 0);
    let in_a_year = Utc::now() + chrono::Duration::days(365);
    assert_eq!(
        app.run_due_jobs(in_a_year).await.of("volunteer-reminders"),
        0
    );
    assert!(app.outbox_rows("volunteer_reminder", None).await.is_empty());
    assert!(reminded_at(&app, taken.id).await.is_none());
}
