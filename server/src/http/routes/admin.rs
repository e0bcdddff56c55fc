//! The administrators' API over staff accounts and clearance offices (`/api/v1/admin/users`,
//! `/api/v1/admin/offices`, docs/staff-api.md: the national admin's, or a university's admin's
//! within that university) and universities (`/api/v1/admin/universities`, the national
//! admin's); the checks are the domain's
//! (`domain::accounts`), shared with `pishkhan user …`; disabling an account or a new password
//! ends its sessions.

use api::common::{NewUniversity, UniversityEntry};
use api::staff::{AdminUser, NewUser, Offices, Users};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rules::requests::ClearanceOffice;
use rules::workflow::Role;
use serde::Deserialize;

use crate::domain::accounts::{
    check_display_name, check_offices, check_password, check_user, hash_password, keep,
};
use crate::domain::clock::now_unix;
use crate::domain::invalid;
use crate::domain::required;
use crate::domain::universities::{check_university, University, UniversityId, DEFAULT_UNIVERSITY};
use crate::http::answer::staff_user;
use crate::http::auth::{Admin, Administrator};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::state::AppState;
use crate::services::accounts::add_user;
use crate::store::accounts::{User, UserChange};
use crate::store::offices::OfficeInUse;

/// An account as the admin sees it: [`staff_user`] with `active` and `locked_until` (Unix
/// seconds while locked, else null).
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

/// The university whose offices an administrator manages: their own, or the default one for
/// the national admin.
fn managed(admin: &Administrator) -> UniversityId {
    admin.university.unwrap_or(DEFAULT_UNIVERSITY)
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
    let offices = state.store.offices_of(managed(&admin)).await?;
    let universities = state.store.universities().await?;
    let users = state
        .store
        .users()
        .await?
        .iter()
        .filter(|u| manages(&admin, u))
        .map(|u| admin_user(u, &offices, &universities))
        .collect();
    Ok(Json(Users { users }))
}

/// `POST /api/v1/admin/users` → 201 the account. A university's admin adds clerks of their
/// university only (its code is the default `university`; another university, a national or a
/// county scope, and the administrators' roles are refused naming the field).
pub async fn create_user(
    admin: Administrator,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let mut raw: NewUser = json_body(request).await?;
    let offices = state.store.offices_of(managed(&admin)).await?;
    let universities = state.store.universities().await?;
    let own = admin
        .university
        .and_then(|u| universities.iter().find(|x| x.id == u));
    if let Some(own) = own {
        raw.university.get_or_insert_with(|| own.code.clone());
    }
    let checked = check_user(raw, &offices, &universities).map_err(ApiError::invalid)?;
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
    Ok((
        StatusCode::CREATED,
        Json(admin_user(&user, &offices, &universities)),
    )
        .into_response())
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
    let offices = state.store.offices_of(managed(&admin)).await?;
    let universities = state.store.universities().await?;
    Ok(Json(admin_user(&user, &offices, &universities)))
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
    let offices = state.store.offices_of(managed(&admin)).await?;
    let universities = state.store.universities().await?;
    Ok(Json(admin_user(&user, &offices, &universities)))
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
    let entry = UniversityEntry {
        code: added.code,
        name_fa: added.name_fa,
        name_en: added.name_en,
    };
    Ok((StatusCode::CREATED, Json(entry)).into_response())
}

/// `GET /api/v1/admin/offices` → `{offices}` in route order: the administrator's university's
/// (the national admin's: the default university's).
pub async fn offices(
    admin: Administrator,
    State(state): State<AppState>,
) -> Result<Json<Offices>, ApiError> {
    Ok(Json(Offices {
        offices: state.store.offices_of(managed(&admin)).await?,
    }))
}

/// `{offices}` as sent: unlike [`Offices`] the list may be missing, so that the error names it
/// as every other required field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffices {
    offices: Option<Vec<ClearanceOffice>>,
}

/// `PUT /api/v1/admin/offices` `{offices}` → 200 `{offices}`; 409 `OFFICE_IN_USE` when an
/// office left out has requests at it.
pub async fn replace_offices(
    admin: Administrator,
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Offices>, ApiError> {
    let raw: RawOffices = json_body(request).await?;
    let mut offices = required("offices", raw.offices)?;
    check_offices(&mut offices).map_err(ApiError::invalid)?;
    if let Err(OfficeInUse(office)) = state
        .store
        .replace_offices(managed(&admin), &offices)
        .await?
    {
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
    tracing::info!(admin = %admin.staff.username, offices = offices.len(), "clearance offices replaced");
    Ok(Json(Offices { offices }))
}
