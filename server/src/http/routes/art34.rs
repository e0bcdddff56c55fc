//! Art. 34 for the conscription office: everyone whose withdrawal ruling, drop-out, expulsion
//! or graduation was recorded, with the presentation deadline (`rules.md` §4,
//! `presentation_deadline_art34_n1`), as JSON or CSV; and recording an expulsion, drop-out or
//! graduation — each within the clerk's scope (a scoped clerk's: the people with a stored
//! request in it, docs/staff-api.md).

use api::staff::{Art34, Art34Event, Art34Query, Art34Row};
use axum::extract::{Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rules::contract::InputError;
use rules::level::StudyEnd;
use rules::presentation::{presentation_deadline_art34_n1, PresentationInput};
use rules::tracking::TrackingCode;
use rules::{JalaliDate, NationalId};

use crate::domain::accounts::Staff;
use crate::domain::clock::now_unix;
use crate::domain::invalid;
use crate::domain::universities::Scope;
use crate::http::answer::private_json;
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::state::AppState;

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        "your role does not use the Art. 34 list.",
        "فهرست ماده ۳۴ در حوزه کاری نقش شما نیست.",
    )
}

/// 403 `OUT_OF_SCOPE` (field `national_id`): a scoped clerk records only for people with a
/// stored request in their scope.
fn out_of_scope(scope: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "OUT_OF_SCOPE",
        format!(
            "national_id: this person has no request in your scope ({scope}); \
             you record Art. 34 events for your own students only."
        ),
        format!(
            "national_id: این شخص درخواستی در حوزه کاری شما ({scope}) ندارد؛ \
             رویداد ماده ۳۴ را فقط برای دانشجویان حوزه خود ثبت می‌کنید."
        ),
    )
    .with_field("national_id")
}

fn study_end(id: &str) -> Option<StudyEnd> {
    StudyEnd::ALL.into_iter().find(|e| e.id() == id)
}

/// One row of the list.
struct Row {
    national_id: String,
    event: StudyEnd,
    event_date: JalaliDate,
    present_by: JalaliDate,
    overdue: bool,
    tracking_code: Option<String>,
    handle: Option<String>,
}

impl Row {
    fn into_answer(self) -> Art34Row {
        Art34Row {
            national_id: self.national_id,
            event: self.event,
            event_fa: self.event.name_fa().to_owned(),
            event_date: self.event_date.to_machine(),
            present_by: self.present_by.to_machine(),
            overdue: self.overdue,
            tracking_code: self.tracking_code,
            handle: self.handle,
        }
    }
}

/// `GET /api/v1/staff/art34[?format=csv]`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Art34Query>,
) -> Result<Response, ApiError> {
    if !staff.role.reads_art34() {
        return Err(forbidden());
    }
    let today = JalaliDate::today_in_tehran(now_unix());
    let mut rows: Vec<Row> = state
        .store
        .art34_events(&staff.scope)
        .await?
        .into_iter()
        .filter_map(|e| {
            let event = study_end(&e.event)?;
            let event_date = JalaliDate::parse(&e.event_date).ok()?;
            let outcome = presentation_deadline_art34_n1(&PresentationInput {
                today,
                event,
                event_date,
            });
            Some(Row {
                national_id: e.national_id,
                event,
                event_date,
                present_by: outcome.present_by,
                overdue: outcome.overdue,
                tracking_code: e
                    .tracking_code
                    .and_then(|c| TrackingCode::parse(&c).ok())
                    .map(|c| c.grouped()),
                handle: e.handle,
            })
        })
        .collect();
    rows.sort_by_key(|r| r.present_by);
    if q.format.as_deref() == Some("csv") {
        return Ok(csv(&rows, today));
    }
    let rows = rows.into_iter().map(Row::into_answer).collect();
    Ok(private_json(
        StatusCode::OK,
        &Art34 {
            today: today.to_machine(),
            rows,
        },
    ))
}

/// The list as CSV: UTF-8 with a BOM (so spreadsheets read the Persian), Latin digits.
fn csv(rows: &[Row], today: JalaliDate) -> Response {
    let mut out = String::from(
        "\u{feff}national_id,event,event_fa,event_date,present_by,overdue,tracking_code\r\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\r\n",
            r.national_id,
            r.event.id(),
            r.event.name_fa(),
            r.event_date.to_machine(),
            r.present_by.to_machine(),
            r.overdue,
            r.tracking_code.as_deref().unwrap_or("")
        ));
    }
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"art34-{}.csv\"", today.to_machine()),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response()
}

/// `POST /api/v1/staff/art34/events`.
pub async fn record(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, ApiError> {
    if !staff.role.records_art34() {
        return Err(forbidden());
    }
    let raw: Art34Event = json_body(request).await?;
    let mut errors = Vec::new();
    let id = match NationalId::parse(raw.national_id.as_deref().unwrap_or("")) {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(invalid("national_id", e.message_en(), e.message_fa()));
            None
        }
    };
    let event = raw
        .event
        .as_deref()
        .and_then(study_end)
        .filter(|e| *e != StudyEnd::Withdrawal);
    if event.is_none() {
        errors.push(InputError::new(
            Some("event"),
            "event: expulsion, dropout or graduation (a withdrawal is recorded by its ruling).",
            "event: اخراج، ترک تحصیل یا فراغت از تحصیل (انصراف با صدور حکم آن ثبت می‌شود).",
        ));
    }
    let today = JalaliDate::today_in_tehran(now_unix());
    let date = match JalaliDate::parse(raw.event_date.as_deref().unwrap_or("")) {
        Ok(d) if d <= today => Some(d),
        Ok(_) => {
            errors.push(InputError::new(
                Some("event_date"),
                "event_date: cannot be in the future.",
                "event_date: تاریخ رویداد نمی‌تواند در آینده باشد.",
            ));
            None
        }
        Err(e) => {
            errors.push(invalid("event_date", e.message_en(), e.message_fa()));
            None
        }
    };
    let (Some(id), Some(event), Some(date)) = (id, event, date) else {
        return Err(ApiError::invalid(errors));
    };
    if staff.scope != Scope::National
        && !state
            .store
            .person_in_scope(id.as_str(), &staff.scope)
            .await?
    {
        let universities = state.store.universities().await?;
        return Err(out_of_scope(&staff.scope.label(&universities)));
    }
    state
        .store
        .add_art34_event(
            id.as_str(),
            event.id(),
            &date.to_machine(),
            &staff.username,
            now_unix(),
        )
        .await?;
    let present_by = presentation_deadline_art34_n1(&PresentationInput {
        today,
        event,
        event_date: date,
    });
    let row = Row {
        national_id: id.as_str().to_owned(),
        event,
        event_date: date,
        present_by: present_by.present_by,
        overdue: present_by.overdue,
        tracking_code: None,
        handle: None,
    };
    Ok(private_json(StatusCode::CREATED, &row.into_answer()))
}
