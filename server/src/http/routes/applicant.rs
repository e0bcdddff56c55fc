//! The applicant's own actions (docs/staff-api.md, "Applicant actions"): a one-time code sent by
//! SMS to the request's mobile opens a short session for that one request, in which the student
//! sees the timeline, takes a withdrawal back, corrects a returned exemption or files a
//! justification (paying the service fee in that session is `payments.rs`).

use api::applicant::{
    ApplicantMove, ApplicantSession, ApplicantTimelineRow, ApplicantView, CodeCheck as Who,
    CodeSent, PaymentDue,
};
use api::labelled::{Labelled, LabelledAction};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use rules::contract::{decode_raw, InputError};
use rules::requests::{check_exemption, ClearanceOffice, RawExemptionRequest};
use rules::workflow::{state_label, Action, ActionData, Role, State as Step};
use rules::JalaliDate;
use serde_json::{json, Value};

use crate::domain::accounts::{same_secret, token_hash};
use crate::domain::clock::now_unix;
use crate::domain::codes::{masked, parse_code, CODE_SECONDS};
use crate::domain::universities::{check_exemption_university, University};
use crate::domain::workflow::{self, context, Actor, Stored};
use crate::domain::{required, submission};
use crate::http::answer::{audit_rows, deadlines, grouped, private_json, refunds};
use crate::http::applicant::{
    applicant_request, not_theirs, session_required, whose, Applicant, SESSION_SECONDS,
};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::limit::{client_ip, limited};
use crate::http::moves::{parse_action, refused, stale};
use crate::http::state::AppState;
use crate::services::codes;
use crate::store::applicant::{CodeCheck, CodeFor};
use crate::store::workflow::Decision;

/// The body `{tracking_code, national_id, code?}` and the request it names, or the one "not
/// found" for both mistakes; every attempt counts against the client's rate limit.
async fn own_request(state: &AppState, request: Request) -> Result<(Who, Stored), ApiError> {
    limited(&state.lookups, client_ip(request.extensions()))?;
    let raw: Who = json_body(request).await?;
    let (code, id) = whose(raw.tracking_code.as_deref(), raw.national_id.as_deref())?;
    match state.store.stored_request(code.digits()).await? {
        Some(r) if same_secret(&r.national_id, id.as_str()) => Ok((raw, r)),
        _ => Err(not_theirs()),
    }
}

/// `POST /api/v1/applicant/code`.
pub async fn send_code(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (_, found) = own_request(&state, request).await?;
    let Some(mobile) = found.mobile.clone() else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "NO_MOBILE",
            "this request has no mobile number to send a code to; visit the office in person.",
            "برای این درخواست شماره همراهی ثبت نشده است؛ حضوری مراجعه کنید.",
        ));
    };
    let grouped = grouped(&found.tracking_code);
    codes::send_code(
        &state.store,
        &state.secret,
        CodeFor::Request(found.id),
        &mobile,
        (
            &format!("کد یکبار مصرف درخواست {grouped}"),
            &format!("one-time code for request {grouped}"),
        ),
        now_unix(),
    )
    .await?;
    state.notify.notify_one();
    Ok(private_json(
        StatusCode::ACCEPTED,
        &CodeSent {
            sent_to: masked(&mobile),
            expires_in: CODE_SECONDS as u64,
        },
    ))
}

/// `POST /api/v1/applicant/session`.
pub async fn open_session(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (raw, found) = own_request(&state, request).await?;
    let code = parse_code(raw.code.as_deref())?;
    let token = crate::random_hex(32);
    let now = now_unix();
    let check = state
        .store
        .check_code(
            found.id,
            &CodeFor::Request(found.id).mac(&state.secret, &code),
            now,
            &token_hash(&token),
            now + SESSION_SECONDS,
        )
        .await?;
    match check {
        CodeCheck::Valid => Ok(private_json(
            StatusCode::OK,
            &ApplicantSession {
                token,
                expires_in: SESSION_SECONDS as u64,
            },
        )),
        CodeCheck::Invalid => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "CODE_INVALID",
            "code: this is not the code we sent.",
            "code: این کد با کد فرستاده‌شده یکی نیست.",
        )
        .with_field("code")),
        CodeCheck::Expired => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "CODE_EXPIRED",
            "code: the code has expired or was tried too often; ask for a new one.",
            "code: کد منقضی شده یا بیش از حد امتحان شده است؛ کد تازه بگیرید.",
        )
        .with_field("code")),
    }
}

/// The actions the applicant may take now (the table's applicant rows in this state).
fn applicant_actions(request: &Stored, offices: &[ClearanceOffice]) -> Vec<Action> {
    workflow::actions_now(&Role::Applicant, request, offices)
}

/// The applicant's view of the request: its state, timeline (made of the audit rows), deadlines,
/// what they may do now and the fee while it is due.
async fn view_answer(state: &AppState, request: &Stored) -> Result<ApplicantView, ApiError> {
    let offices = state.store.offices_for(request).await?;
    let revocations = state.store.revocations_used(&request.national_id).await?;
    let timeline = audit_rows(&state.store, request.id, &offices)
        .await?
        .into_iter()
        .map(|row| {
            let to = row.to.unwrap_or_default();
            let label = Step::parse(&to).map(|s| state_label(&s, &offices));
            let (to_fa, to_en) = label.map_or((None, None), |l| (Some(l.fa), Some(l.en)));
            ApplicantTimelineRow {
                at: row.at,
                action: row.action,
                to: Labelled::new(to, to_fa, to_en),
                note: row.note,
            }
        })
        .collect();
    let mut actions: Vec<LabelledAction> = applicant_actions(request, &offices)
        .into_iter()
        .map(Labelled::action)
        .collect();
    // Paying is the applicant's step too, though the machine's move is the system's.
    let payment = if request.state == Step::AwaitingPayment {
        let latest = state.store.latest_payment(request.id).await?;
        actions.push(Labelled::pay());
        Some(PaymentDue {
            amount_rials: state.exemption_fee_rials,
            status: latest.map_or("none".to_owned(), |p| p.status),
        })
    } else {
        None
    };
    Ok(ApplicantView {
        tracking_code: grouped(&request.tracking_code),
        kind: request.kind.clone(),
        process: request.process.id().to_owned(),
        state: Labelled::state(&request.state, &offices),
        version: request.version,
        // The form's own answers (an exemption keeps them as filed, for a correction).
        answers: request
            .body
            .get("raw")
            .unwrap_or(&request.body["answers"])
            .clone(),
        timeline,
        deadlines: deadlines(request, revocations, &offices, now_unix()),
        actions,
        payment,
        refunds: refunds(&state.store, request.id, false).await?,
        // An issued exemption's last day: the column's own derivation from the body.
        exemption_until: (request.state == Step::Issued)
            .then(|| submission::copied(&request.kind, &request.body, None, None).exemption_until)
            .flatten(),
    })
}

/// `GET /api/v1/applicant/request`.
pub async fn view(State(state): State<AppState>, who: Applicant) -> Result<Response, ApiError> {
    let request = applicant_request(&state, &who).await?;
    Ok(private_json(
        StatusCode::OK,
        &view_answer(&state, &request).await?,
    ))
}

/// The request's body after a correction (`resubmit`) or a justification, checked by `rules`.
fn new_body(
    request: &Stored,
    action: Action,
    raw: &ApplicantMove,
    today: JalaliDate,
    universities: &[University],
) -> Result<Option<Value>, ApiError> {
    match action {
        Action::Resubmit => {
            let Some(mut answers) = raw.answers.clone().filter(Value::is_object) else {
                return Err(ApiError::invalid(vec![InputError::new(
                    Some("answers"),
                    "answers: the corrected answers are required.",
                    "answers: پاسخ‌های اصلاح‌شده لازم است.",
                )]));
            };
            // Filed by a signed-in person with a mobile: the codes stay on it (as at filing).
            submission::bind_mobile(&mut answers, request.identity_mobile.as_deref());
            let parsed: RawExemptionRequest = decode_raw(answers.clone())?;
            let (checked, precheck) = check_exemption(parsed, today).map_err(ApiError::invalid)?;
            check_exemption_university(universities, answers["university"].as_str())
                .map_err(|e| ApiError::invalid(vec![e]))?;
            if !same_secret(checked.national_id.as_str(), &request.national_id) {
                return Err(ApiError::invalid(vec![InputError::new(
                    Some("national_id"),
                    "national_id: a correction cannot change the applicant.",
                    "national_id: با اصلاح نمی‌توان متقاضی را عوض کرد.",
                )]));
            }
            let mut body = request.body.clone();
            body["answers"] = json!(checked);
            body["precheck"] = json!(precheck);
            body["raw"] = answers;
            Ok(Some(body))
        }
        Action::FileJustification => {
            let text = raw.justification.as_deref().map(str::trim).unwrap_or("");
            if text.is_empty() || text.chars().count() > 2000 {
                return Err(ApiError::invalid(vec![InputError::new(
                    Some("justification"),
                    "justification: required, at most 2,000 characters.",
                    "justification: متن توجیه لازم است (حداکثر ۲۰۰۰ نویسه).",
                )]));
            }
            let mut body = request.body.clone();
            body["answers"]["justification"] = json!(text);
            Ok(Some(body))
        }
        _ => Ok(None),
    }
}

/// `POST /api/v1/applicant/request/actions`.
pub async fn act(
    State(state): State<AppState>,
    who: Applicant,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: ApplicantMove = json_body(request).await?;
    let action = parse_action(raw.action.clone())?;
    let version = required("version", raw.version)?;
    let now = now_unix();
    let today = JalaliDate::today_in_tehran(now);
    let universities = state.store.universities().await?;
    let moved = state
        .store
        .move_request(&who.code_digits, now, |request, revocations, offices| {
            if request.version != version {
                return Err(stale(request.version));
            }
            let ctx = context(request, revocations, offices, now);
            let moves = workflow::plan(
                request,
                action,
                &Actor::applicant(),
                &ActionData::default(),
                &ctx,
                now,
            )
            .map_err(refused)?;
            let body = new_body(request, action, &raw, today, &universities)?;
            Ok(Decision {
                moves,
                body,
                ..Decision::default()
            })
        })
        .await?
        .ok_or_else(session_required)??;
    state.notify.notify_one();
    Ok(private_json(
        StatusCode::OK,
        &view_answer(&state, &moved).await?,
    ))
}
