//! The administrators' API over staff accounts, clearance offices and faculties
//! (`/api/v1/admin/users`, `/api/v1/admin/offices`, `/api/v1/admin/universities/{university}/offices`
//! and `…/faculties`, docs/staff-api.md: the national admin's for every university, or a
//! university's admin's within that university — another university is a 404, as if missing)
//! and universities (`POST /api/v1/admin/universities`, the national admin's); the checks are
//! the domain's (`domain::accounts`, `domain::universities`), shared with `pishkhan user …` and
//! `pishkhan university …`; disabling an account or a new password ends its sessions.

use api::common::{Faculties, FacultyEntry, NewFaculty, NewUniversity};
use api::staff::{AdminUser, NewUser, Offices, Users};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rules::requests::ClearanceOffice;
use rules::workflow::Role;
use serde::Deserialize;

use crate::domain::accounts::{
    check_display_name, check_offices, check_password, hash_password, keep,
};
use crate::domain::clock::now_unix;
use crate::domain::invalid;
use crate::domain::required;
use crate::domain::universities::{
    check_faculty, check_university, Faculty, University, UniversityId, DEFAULT_UNIVERSITY,
};
use crate::http::answer::staff_user;
use crate::http::auth::{Admin, Administrator};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::state::AppState;
use crate::services::accounts::{add_user, check_new_user};
use crate::store::accounts::{User, UserChange};
use crate::store::offices::{OfficeBook, OfficeInUse};

/// An account as the admin sees it: [`staff_user`] with `active` and `locked_until` (Unix
/// seconds while locked, else null); `offices` are the account's university's (its role's
/// name).
fn admin_user(user: &User, offices: &[ClearanceOffice], universities: &[University]) -> AdminUser {
    AdminUser {
        user: staff_user(
            user.id,
            &user.username,
            &user.display_name,
            &user.role,
            &user.scope,
            offices,
            universities,
        ),
        active: user.active,
        locked_until: user.locked_until.filter(|&t| t > now_unix()),
        second_factor_enrolled: user.second_factor,
    }
}

fn username_taken(username: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "USERNAME_TAKEN",
        format!("the username {username:?} is taken."),
        format!("نام کاربری «{username}» پیش‌تر گرفته شده است."),
    )
    .with_field("username")
}

/// The university `/api/v1/admin/offices` acts on: the administrator's own, or the default
/// one for the national admin (as before `…/universities/{university}/offices`).
fn managed(admin: &Administrator) -> UniversityId {
    admin.university.unwrap_or(DEFAULT_UNIVERSITY)
}

/// The university of the account's scope (the default one for a national or county scope):
/// the list its office role is named from.
fn university_of(user: &User) -> UniversityId {
    user.scope.university().unwrap_or(DEFAULT_UNIVERSITY)
}

/// The university with this code, if the administrator manages it: the national admin every
/// one, a university's admin their own (another is a 404, as if missing).
async fn managed_university(
    state: &AppState,
    admin: &Administrator,
    code: &str,
) -> Result<University, ApiError> {
    state
        .store
        .universities()
        .await?
        .into_iter()
        .find(|u| u.code == code && admin.university.is_none_or(|own| own == u.id))
        .ok_or_else(|| ApiError::not_found("university"))
}

/// One account as the admin sees it, its role named from its university's offices.
async fn answer_user(state: &AppState, user: &User) -> Result<AdminUser, ApiError> {
    let offices = state.store.offices_of(university_of(user)).await?;
    let universities = state.store.universities().await?;
    Ok(admin_user(user, &offices, &universities))
}

/// Whether an administrator manages this account: the national admin every one, a
/// university's admin those of their university.
fn manages(admin: &Administrator, user: &User) -> bool {
    admin
        .university
        .is_none_or(|u| user.scope.university() == Some(u))
}

/// The account with this id, if the administrator manages it (else 404, as if missing).
async fn managed_user(state: &AppState, admin: &Administrator, id: i64) -> Result<User, ApiError> {
    match state.store.user(id).await? {
        Some(user) if manages(admin, &user) => Ok(user),
        _ => Err(ApiError::not_found("user")),
    }
}

/// `GET /api/v1/admin/users`: every account (a university's admin: their university's).
pub async fn list_users(
    admin: Administrator,
    State(state): State<AppState>,
) -> Result<Json<Users>, ApiError> {
    let universities = state.store.universities().await?;
    let mut book = OfficeBook::default();
    let mut users = Vec::new();
    for user in state.store.users().await? {
        if manages(&admin, &user) {
            let offices = book.of(&state.store, university_of(&user)).await?;
            users.push(admin_user(&user, offices, &universities));
        }
    }
    Ok(Json(Users { users }))
}

/// `POST /api/v1/admin/users` → 201 the account, checked against the offices and faculties of
/// the university it is for (`university`, else the administrator's, else the default). A
/// university's admin adds clerks of their university only (its code is the default
/// `university`; another university, a national or a county scope, and the administrators'
/// roles are refused naming the field).
pub async fn create_user(
    admin: Administrator,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let mut raw: NewUser = json_body(request).await?;
    if let Some(own) = admin.university {
        let universities = state.store.universities().await?;
        if let Some(own) = universities.iter().find(|x| x.id == own) {
            raw.university.get_or_insert_with(|| own.code.clone());
        }
    }
    let (directory, checked) = check_new_user(&state.store, raw, managed(&admin)).await?;
    let checked = checked.map_err(ApiError::invalid)?;
    if let Some(u) = admin.university {
        if matches!(checked.role, Role::Admin | Role::UniversityAdmin) {
            return Err(ApiError::invalid(vec![invalid(
                "role",
                "a university's administrator adds clerks, not administrators.",
                "مدیر دانشگاه کارشناس می‌افزاید، نه مدیر.",
            )]));
        }
        if checked.scope.university() != Some(u) {
            return Err(ApiError::invalid(vec![invalid(
                "university",
                "a university's administrator adds clerks of that university only.",
                "مدیر دانشگاه فقط کارشناسان همان دانشگاه را می‌افزاید.",
            )]));
        }
    }
    let username = checked.username.clone();
    let user = add_user(checked, &state.store)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| username_taken(&username))?;
    tracing::info!(admin = %admin.staff.username, user = %user.username, role = %user.role.id(), "user created");
    let answer = admin_user(&user, &directory.offices, &directory.universities);
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `PATCH /api/v1/admin/users/{id}` `{active?, password?, display_name?}` → the account.
pub async fn change_user(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    request: Request,
) -> Result<Json<AdminUser>, ApiError> {
    let raw: api::staff::UserChange = json_body(request).await?;
    managed_user(&state, &admin, id).await?;
    let mut errors = Vec::new();
    let display_name = raw
        .display_name
        .and_then(|d| keep(&mut errors, check_display_name(d)));
    let password = raw
        .password
        .and_then(|p| keep(&mut errors, check_password(p)));
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let password_hash = match password {
        Some(p) => Some(hash_password(p).await.map_err(ApiError::internal)?),
        None => None,
    };
    let change = UserChange {
        active: raw.active,
        password_hash,
        display_name,
    };
    let user = state
        .store
        .update_user(id, &change)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    tracing::info!(admin = %admin.staff.username, user = %user.username, "user changed");
    Ok(Json(answer_user(&state, &user).await?))
}

/// `DELETE /api/v1/admin/users/{id}/second-factor` → the account, without a second factor,
/// recovery codes or sessions (it enrols again at its next sign-in). Logged with who did it,
/// never a secret.
pub async fn reset_second_factor(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<AdminUser>, ApiError> {
    managed_user(&state, &admin, id).await?;
    if !state.store.reset_second_factor(id).await? {
        return Err(ApiError::not_found("user"));
    }
    let user = state
        .store
        .user(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    tracing::info!(admin = %admin.staff.username, user = %user.username, "second factor reset");
    Ok(Json(answer_user(&state, &user).await?))
}

/// `POST /api/v1/admin/universities` `{code, name_fa, name_en}` → 201 the university, with
/// seed 002's offices (the national admin only); 409 `UNIVERSITY_TAKEN` for a code in use.
pub async fn add_university(
    Admin(admin): Admin,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: NewUniversity = json_body(request).await?;
    let (code, name_fa, name_en) =
        check_university(raw.code, raw.name_fa, raw.name_en).map_err(ApiError::invalid)?;
    let Some(added) = state
        .store
        .add_university(&code, &name_fa, &name_en)
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "UNIVERSITY_TAKEN",
            format!("the code {code:?} is another university's."),
            format!("شناسه «{code}» از آنِ دانشگاه دیگری است."),
        )
        .with_field("code"));
    };
    tracing::info!(admin = %admin.username, university = %added.code, "university added");
    Ok((StatusCode::CREATED, Json(added.entry())).into_response())
}

/// `GET /api/v1/admin/offices` → `{offices}` in route order: the administrator's university's
/// (the national admin's: the default university's; any other through
/// [`university_offices`]).
pub async fn offices(
    admin: Administrator,
    State(state): State<AppState>,
) -> Result<Json<Offices>, ApiError> {
    Ok(Json(Offices {
        offices: state.store.offices_of(managed(&admin)).await?,
    }))
}

/// `GET /api/v1/admin/universities/{university}/offices` → `{offices}` in route order (404 for a
/// university the administrator does not manage).
pub async fn university_offices(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(code): UrlPath<String>,
) -> Result<Json<Offices>, ApiError> {
    let university = managed_university(&state, &admin, &code).await?;
    Ok(Json(Offices {
        offices: state.store.offices_of(university.id).await?,
    }))
}

/// `{offices}` as sent: unlike [`Offices`] the list may be missing, so that the error names it
/// as every other required field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffices {
    offices: Option<Vec<ClearanceOffice>>,
}

/// `PUT /api/v1/admin/offices` `{offices}` → 200 `{offices}`, the administrator's university's
/// (the national admin's: the default university's); 409 `OFFICE_IN_USE` when an office left
/// out has requests at it.
pub async fn replace_offices(
    admin: Administrator,
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Offices>, ApiError> {
    put_offices(&state, &admin, managed(&admin), request).await
}

/// `PUT /api/v1/admin/universities/{university}/offices`: as [`replace_offices`], of that university
/// (404 for a university the administrator does not manage, before the body is read).
pub async fn replace_university_offices(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(code): UrlPath<String>,
    request: Request,
) -> Result<Json<Offices>, ApiError> {
    let university = managed_university(&state, &admin, &code).await?;
    put_offices(&state, &admin, university.id, request).await
}

/// Replaces a university's offices with the list the body sends, checked; nothing changes on a
/// refusal.
async fn put_offices(
    state: &AppState,
    admin: &Administrator,
    university: UniversityId,
    request: Request,
) -> Result<Json<Offices>, ApiError> {
    let raw: RawOffices = json_body(request).await?;
    let mut offices = required("offices", raw.offices)?;
    check_offices(&mut offices).map_err(ApiError::invalid)?;
    if let Err(OfficeInUse(office)) = state.store.replace_offices(university, &offices).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "OFFICE_IN_USE",
            format!(
                "requests are at the office {} ({}); it cannot be removed until they move on.",
                office.name_en, office.id
            ),
            format!(
                "درخواست‌هایی در «{}» هستند؛ تا از آن نگذشته‌اند نمی‌توان آن را حذف کرد.",
                office.name_fa
            ),
        )
        .with_field("offices"));
    }
    tracing::info!(admin = %admin.staff.username, university = university.0, offices = offices.len(), "clearance offices replaced");
    Ok(Json(Offices { offices }))
}

/// A faculty as the API shows it.
fn faculty_entry(f: Faculty) -> FacultyEntry {
    FacultyEntry {
        code: f.code,
        name_fa: f.name_fa,
        name_en: f.name_en,
    }
}

/// `GET /api/v1/admin/universities/{university}/faculties` → `{faculties}` by code (404 for a
/// university the administrator does not manage).
pub async fn faculties(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(code): UrlPath<String>,
) -> Result<Json<Faculties>, ApiError> {
    let university = managed_university(&state, &admin, &code).await?;
    let faculties = state.store.faculties(university.id).await?;
    Ok(Json(Faculties {
        faculties: faculties.into_iter().map(faculty_entry).collect(),
    }))
}

/// `POST /api/v1/admin/universities/{university}/faculties` `{code, name_fa, name_en}` → 201 the
/// faculty; 404 for a university the administrator does not manage (before the body is read),
/// 422 naming each bad field, 409 `FACULTY_TAKEN` for a code the university has.
pub async fn add_faculty(
    admin: Administrator,
    State(state): State<AppState>,
    UrlPath(code): UrlPath<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let university = managed_university(&state, &admin, &code).await?;
    let raw: NewFaculty = json_body(request).await?;
    let (code, name_fa, name_en) =
        check_faculty(raw.code, raw.name_fa, raw.name_en).map_err(ApiError::invalid)?;
    let Some(added) = state
        .store
        .add_faculty(university.id, &code, &name_fa, &name_en)
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "FACULTY_TAKEN",
            format!("the university has a faculty {code:?} already."),
            format!("این دانشگاه دانشکده‌ای با شناسه «{code}» دارد."),
        )
        .with_field("code"));
    };
    tracing::info!(admin = %admin.staff.username, university = %university.code, "faculty added");
    Ok((StatusCode::CREATED, Json(faculty_entry(added))).into_response())
}
