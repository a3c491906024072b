//! `POST /moderation/export`: the queue as CSV, with the filters the moderator has on screen and
//! the fields of the list. Contact details (e-mail, telephone) only when "avec coordonnées" is
//! ticked, and only for requests of the staff member's organisations (the queue's scope). Every
//! export is written to the audit log, saying whether it held contact details.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use chrono::Utc;
use serde::Deserialize;

use crate::AppState;
use crate::audit::{self, Target};
use crate::contact::display_fr;
use crate::error::AppResult;
use crate::moderation::queue::{self, Filter};
use crate::organisations::Scope;
use crate::reference::{CategorySet, ModeSet};
use crate::web::auth::CurrentStaff;
use entity::states::AuditAction;

/// The audit log's action for an export.
pub const ACTION: AuditAction = AuditAction::QueueExported;

/// `/moderation/export`.
pub fn router() -> Router<AppState> {
    Router::new().route("/moderation/export", post(export))
}

/// The form: the queue's filters, and the explicit choice of contact details.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExportForm {
    statut: String,
    categorie: String,
    departement: String,
    age: String,
    /// `oui` when "avec coordonnées" is ticked.
    coordonnees: String,
}

async fn export(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(form): Form<ExportForm>,
) -> AppResult<Response> {
    let filter = Filter::parse(&form.statut, &form.categorie, &form.departement, &form.age);
    let with_contacts = form.coordonnees == "oui";
    let now = Utc::now();
    let mut header_row = vec![
        "reference",
        "etat",
        "prenom",
        "commune",
        "departement",
        "categories",
        "modes",
        "recue_le",
        "a_traiter_en_priorite",
        "a_rappeler",
    ];
    if with_contacts {
        header_row.extend(["email", "telephone"]);
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header_row).map_err(anyhow::Error::from)?;
    let mut number = 1;
    let mut exported = 0u64;
    loop {
        let page = queue::page(&state.db, &staff.scope, &filter, number, now).await?;
        for entry in &page.entries {
            let r = &entry.request;
            // The queue is already limited to the scope; checked again before any contact.
            if !staff.scope.covers_request(r) {
                continue;
            }
            let yes_no = |b: bool| if b { "oui" } else { "non" };
            let mut record = vec![
                r.reference.clone(),
                r.status.label().to_owned(),
                r.prenom.clone(),
                state.communes.name_of(&r.commune_insee),
                r.departement.clone(),
                CategorySet::from_bits(r.categories).labels().join(" ; "),
                ModeSet::from_bits(r.modes).labels().join(" ; "),
                r.created_at
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                yes_no(entry.priority).to_owned(),
                yes_no(r.a_rappeler).to_owned(),
            ];
            if with_contacts {
                record.push(r.email.clone().unwrap_or_default());
                record.push(r.telephone.as_deref().map(display_fr).unwrap_or_default());
            }
            out.write_record(&record).map_err(anyhow::Error::from)?;
            exported += 1;
        }
        if number >= page.pages {
            break;
        }
        number += 1;
    }
    let organisation = match &staff.scope {
        Scope::Organisations(ids) => ids.first().copied(),
        Scope::All => None,
    };
    let details = format!(
        "export CSV de la file : {exported} demande(s), {} ; filtres : état « {} », sujet « {} », département « {} », ancienneté « {} »",
        if with_contacts {
            "avec coordonnées"
        } else {
            "sans coordonnées"
        },
        filter.status.slug(),
        filter.category.map_or("", |c| c.slug()),
        filter.departement.as_deref().unwrap_or(""),
        filter.age.map_or("", |a| a.slug()),
    );
    audit::record(
        &state.db,
        staff.audit_actor(),
        ACTION,
        Target::Account(staff.account.id),
        organisation,
        Some(details),
    )
    .await?;
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    let name = format!(
        "attachment; filename=\"entraide-demandes-{}.csv\"",
        now.format("%Y-%m-%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
