//! A person's sign-in from the roster (`/api/v1/signin/…`, docs/signin.md): a 6-digit code by
//! SMS to the mobile the roster has (never one the visitor typed), with one answer for people on
//! the roster and people not on it; the code opens a 30-minute person session (the
//! `pishkhan_person` cookie, its CSRF token). For every person session, however it began: `me`,
//! and sign-out (with the OpenID provider's end-session URL). And which ways to sign in this
//! deployment offers (`methods`).

use api::signin::{
    PersonSession, SignedInPerson, SignedOut, SigninCode, SigninCodeSent, SigninMethods,
    SigninProvider, SigninVerify, UniversityQuery,
};
use axum::extract::{Query, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::accounts::{random_token, token_hash};
use crate::domain::clock::{now_unix, stamp};
use crate::domain::codes::{parse_code, CODE_SECONDS};
use crate::domain::roster::{Identity, Person, SESSION_SECONDS};
use crate::domain::submission::kind_of;
use crate::domain::universities::{by_code, University, UniversityId, DEFAULT_UNIVERSITY};
use crate::http::answer::private_json;
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::limit::{client_ip, limited};
use crate::http::person::{person_cookie, person_token, sign_in_required};
use crate::http::state::AppState;
use crate::services::codes::send_code;
use crate::store::applicant::{CodeCheck, CodeFor};
use crate::store::roster::NewPersonSession;

/// The one answer for a wrong, expired, used-up or never-sent code, and for someone not on the
/// roster.
fn code_refused() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "CODE_INVALID",
        "code: the code is wrong, has expired or was tried too often; check it, or ask for a new one.",
        "code: کد نادرست است، منقضی شده یا بیش از حد امتحان شده است؛ آن را بررسی کنید یا کد تازه بگیرید.",
    )
    .with_field("code")
}

/// `GET /api/v1/signin/methods[?university=CODE]`: the roster's code sign-in when the roster
/// (that university's) has anyone, and the configured OpenID providers (those that serve that
/// university) with their names, processes and universities.
pub async fn methods(
    State(state): State<AppState>,
    Query(q): Query<UniversityQuery>,
) -> Result<Response, ApiError> {
    let university = match q.university.as_deref() {
        Some(code) => {
            let universities = state.store.universities().await?;
            Some(
                by_code(&universities, code)
                    .map_err(|e| ApiError::invalid(vec![e]))?
                    .clone(),
            )
        }
        None => None,
    };
    let providers = state
        .oidc
        .providers()
        .iter()
        .filter(|p| university.as_ref().is_none_or(|u| p.serves(&u.code)))
        .map(|p| SigninProvider {
            id: p.id.clone(),
            name_fa: p.name_fa.clone(),
            name_en: p.name_en.clone(),
            processes: p.processes.iter().filter_map(|k| kind_of(k)).collect(),
            universities: p.universities.clone(),
        })
        .collect();
    Ok(private_json(
        StatusCode::OK,
        &SigninMethods {
            roster: state.store.roster_size(university.map(|u| u.id)).await? > 0,
            providers,
        },
    ))
}

/// The university a student number is asked at: the body's `university` (a code), else the
/// default one; a code no university has is refused naming `university` (the list is public, so
/// this tells nothing of anyone on a roster).
async fn university_of(state: &AppState, code: Option<&str>) -> Result<UniversityId, ApiError> {
    match code {
        Some(code) => {
            let universities = state.store.universities().await?;
            Ok(by_code(&universities, code)
                .map_err(|e| ApiError::invalid(vec![e]))?
                .id)
        }
        None => Ok(DEFAULT_UNIVERSITY),
    }
}

/// `POST /api/v1/signin/code`: `{national_id}` or `{student_number}` → 202, the same body for
/// everyone. Counted per client address (with the lookups) and per person; the code and its SMS
/// are written after the answer is sent, so that its time does not tell whether the person is on
/// the roster either.
pub async fn send(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    limited(&state.lookups, client_ip(request.extensions()))?;
    let raw: SigninCode = json_body(request).await?;
    let university = university_of(&state, raw.university.as_deref()).await?;
    let who = Identity::from_fields(
        raw.national_id.as_deref(),
        raw.student_number.as_deref(),
        university,
    )?;
    let person = state.store.roster_person(&who).await?;
    // Counted by the roster's national ID when the person is on it (whichever way they asked),
    // else by what was typed.
    let key = person
        .as_ref()
        .map_or_else(|| who.key(), |p| format!("national_id:{}", p.national_id));
    limited(&state.person_codes, key)?;
    if let Some(p) = person {
        let now = now_unix();
        tokio::spawn(async move {
            let sent = send_code(
                &state.store,
                &state.secret,
                CodeFor::Person(&p.national_id),
                &p.mobile,
                ("کد ورود شما", "your sign-in code"),
                now,
            )
            .await;
            match sent {
                Ok(()) => state.notify.notify_one(),
                Err(e) => tracing::error!(error = %e, "cannot send a sign-in code"),
            }
        });
    }
    Ok(private_json(
        StatusCode::ACCEPTED,
        &SigninCodeSent {
            expires_in: CODE_SECONDS as u64,
        },
    ))
}

/// The person as the API shows them: the mobile masked.
async fn person_view(state: &AppState, person: &Person) -> Result<SignedInPerson, ApiError> {
    let level = match person.level.as_deref() {
        Some(id) => Some(
            rules::Level::from_id(id)
                .ok_or_else(|| ApiError::internal(format!("unknown level {id:?}")))?,
        ),
        None => None,
    };
    Ok(SignedInPerson {
        national_id: person.national_id.clone(),
        student_number: person.student_number.clone(),
        faculty: person.faculty.clone(),
        level,
        mobile_masked: person.mobile.as_deref().map(crate::domain::codes::masked),
        source: person.source,
        provider: person.provider.clone(),
        expires_at: stamp(person.expires_at),
        university: match person.university {
            Some(id) => state
                .store
                .universities()
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .map(University::entry),
            None => None,
        },
    })
}

/// `{csrf_token, person}`, never cached.
async fn session_answer(state: &AppState, person: &Person) -> Result<Response, ApiError> {
    Ok(private_json(
        StatusCode::OK,
        &PersonSession {
            csrf_token: person.csrf_token.clone(),
            person: person_view(state, person).await?,
        },
    ))
}

/// `POST /api/v1/signin/verify`: who and the code → the person session and its cookie; one
/// 401 `CODE_INVALID` (field `code`) for every code that does not open one. Counted per client
/// address with the lookups; a code allows 5 tries.
pub async fn verify(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    limited(&state.lookups, client_ip(request.extensions()))?;
    let raw: SigninVerify = json_body(request).await?;
    let university = university_of(&state, raw.university.as_deref()).await?;
    let who = Identity::from_fields(
        raw.national_id.as_deref(),
        raw.student_number.as_deref(),
        university,
    );
    let code = parse_code(raw.code.as_deref());
    let (who, code) = match (who, code) {
        (Ok(who), Ok(code)) => (who, code),
        (who, code) => {
            return Err(ApiError::invalid(
                [who.err(), code.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let person = state.store.roster_person(&who).await?;
    // Someone not on the roster goes through the same check, under a key no code is kept by.
    let owner = person
        .as_ref()
        .map_or_else(|| who.key(), |p| p.national_id.clone());
    let token = random_token().map_err(ApiError::internal)?;
    let csrf_token = random_token().map_err(ApiError::internal)?;
    let now = now_unix();
    let signed_in = person
        .as_ref()
        .map(|p| Person::from_roster(p, csrf_token, now + SESSION_SECONDS));
    let token_sha256 = token_hash(&token);
    let session = signed_in.as_ref().map(|person| NewPersonSession {
        token_sha256: &token_sha256,
        now,
        person,
        end_session_url: None,
    });
    let check = state
        .store
        .check_person_code(
            &owner,
            &CodeFor::Person(&owner).mac(&state.secret, &code),
            now,
            session.as_ref(),
        )
        .await?;
    let (CodeCheck::Valid, Some(signed_in)) = (check, signed_in) else {
        return Err(code_refused());
    };
    let mut response = session_answer(&state, &signed_in).await?;
    response.headers_mut().insert(
        SET_COOKIE,
        person_cookie(&token, SESSION_SECONDS, state.secure_cookies),
    );
    Ok(response)
}

/// `GET /api/v1/signin/me`: the signed-in person and the session's CSRF token.
pub async fn me(State(state): State<AppState>, person: Person) -> Result<Response, ApiError> {
    session_answer(&state, &person).await
}

/// `POST /api/v1/signin/logout`: ends the session on the server and clears the cookie; when an
/// OpenID provider that offers RP-initiated logout signed the person in, the answer says where
/// to end its session too.
pub async fn logout(
    State(state): State<AppState>,
    _person: Person,
    parts: Parts,
) -> Result<Response, ApiError> {
    let token = person_token(&parts).ok_or_else(sign_in_required)?;
    let end_session_url = state
        .store
        .end_person_session(&token_hash(&token), now_unix())
        .await?;
    let mut response = private_json(StatusCode::OK, &SignedOut { end_session_url });
    response
        .headers_mut()
        .insert(SET_COOKIE, person_cookie("", 0, state.secure_cookies));
    Ok(response)
}
