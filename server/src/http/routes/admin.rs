//! The admin's API over staff accounts and clearance offices (`/api/v1/admin/users`,
//! `/api/v1/admin/offices`, docs/staff-api.md); the checks are the domain's
//! (`domain::accounts`), shared with `pishkhan user …`; disabling an account or a new password
//! ends its sessions.

use api::staff::{AdminUser, NewUser, Offices, Users};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rules::requests::ClearanceOffice;
use serde::Deserialize;

use crate::domain::accounts::{
    check_display_name, check_offices, check_password, check_user, hash_password, keep,
};
use crate::domain::clock::now_unix;
use crate::domain::required;
use crate::domain::universities::{University, DEFAULT_UNIVERSITY};
use crate::http::answer::staff_user;
use crate::http::auth::Admin;
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

/// `GET /api/v1/admin/users`.
pub async fn list_users(_: Admin, State(state): State<AppState>) -> Result<Json<Users>, ApiError> {
    let offices = state.store.offices().await?;
    let universities = state.store.universities().await?;
    let users = state
        .store
        .users()
        .await?
        .iter()
        .map(|u| admin_user(u, &offices, &universities))
        .collect();
    Ok(Json(Users { users }))
}

/// `POST /api/v1/admin/users` → 201 the account.
pub async fn create_user(
    Admin(admin): Admin,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: NewUser = json_body(request).await?;
    let offices = state.store.offices().await?;
    let universities = state.store.universities().await?;
    let checked = check_user(raw, &offices, &universities).map_err(ApiError::invalid)?;
    let username = checked.username.clone();
    let user = add_user(checked, &state.store)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| username_taken(&username))?;
    tracing::info!(admin = %admin.username, user = %user.username, role = %user.role.id(), "user created");
    Ok((
        StatusCode::CREATED,
        Json(admin_user(&user, &offices, &universities)),
    )
        .into_response())
}

/// `PATCH /api/v1/admin/users/{id}` `{active?, password?, display_name?}` → the account.
pub async fn change_user(
    Admin(admin): Admin,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    request: Request,
) -> Result<Json<AdminUser>, ApiError> {
    let raw: api::staff::UserChange = json_body(request).await?;
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
    tracing::info!(admin = %admin.username, user = %user.username, "user changed");
    let offices = state.store.offices().await?;
    let universities = state.store.universities().await?;
    Ok(Json(admin_user(&user, &offices, &universities)))
}

/// `DELETE /api/v1/admin/users/{id}/second-factor` → the account, without a second factor,
/// recovery codes or sessions (it enrols again at its next sign-in). Logged with who did it,
/// never a secret.
pub async fn reset_second_factor(
    Admin(admin): Admin,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<AdminUser>, ApiError> {
    if !state.store.reset_second_factor(id).await? {
        return Err(ApiError::not_found("user"));
    }
    let user = state
        .store
        .user(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    tracing::info!(admin = %admin.username, user = %user.username, "second factor reset");
    let offices = state.store.offices().await?;
    let universities = state.store.universities().await?;
    Ok(Json(admin_user(&user, &offices, &universities)))
}

/// `GET /api/v1/admin/offices` → `{offices}` in route order.
pub async fn offices(_: Admin, State(state): State<AppState>) -> Result<Json<Offices>, ApiError> {
    Ok(Json(Offices {
        offices: state.store.offices().await?,
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
    Admin(admin): Admin,
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Offices>, ApiError> {
    let raw: RawOffices = json_body(request).await?;
    let mut offices = required("offices", raw.offices)?;
    check_offices(&mut offices).map_err(ApiError::invalid)?;
    if let Err(OfficeInUse(office)) = state
        .store
        .replace_offices(DEFAULT_UNIVERSITY, &offices)
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
    tracing::info!(admin = %admin.username, offices = offices.len(), "clearance offices replaced");
    Ok(Json(Offices { offices }))
}
