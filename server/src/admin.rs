//! Managing staff accounts and clearance offices: the admin's API (`/api/v1/admin/users`,
//! `/api/v1/admin/offices`), the `pishkhan user …` commands, and the demo users of
//! `serve --demo-users` — one set of checks for all of them (docs/staff-api.md).

use std::io::BufRead;
use std::path::Path;

use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use rules::requests::ClearanceOffice;
use rules::workflow::{role_label, Role};
use rules::InputError;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{hash_password, json_body, required, user_json, Admin};
use crate::clock::now_unix;
use crate::error::ApiError;
use crate::requests::AppState;
use crate::store::{NewUser, OfficeInUse, Store, StoreResult, User, UserChange};

/// The demo users' shared password (`serve --demo-users`; never in production).
pub const DEMO_PASSWORD: &str = "pishkhan-demo";

/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Longest display name, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The roles whose clerks may serve one university, county or faculty (docs/staff-api.md,
/// "Scope"); every other role has scope `*`.
const SCOPED_ROLES: [Role; 6] = [
    Role::UniversityUser,
    Role::ConscriptionExpert,
    Role::ConscriptionDeputy,
    Role::PoliceOffice,
    Role::FacultyExpert,
    Role::HeadOfFacultyEducation,
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/users", get(list_users).post(create_user))
        .route("/api/v1/admin/users/{id}", patch(change_user))
        .route("/api/v1/admin/offices", get(offices).put(replace_offices))
}

fn invalid(field: &str, en: &str, fa: &str) -> InputError {
    InputError::new(
        Some(field),
        format!("{field}: {en}"),
        format!("{field}: {fa}"),
    )
}

/// `[a-z0-9._-]{3,32}`, taken in lowercase.
fn check_username(value: Option<String>) -> Result<String, InputError> {
    let username = required("username", value)?.trim().to_lowercase();
    let shape = (3..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'));
    if shape {
        Ok(username)
    } else {
        Err(invalid(
            "username",
            "3 to 32 letters a-z, digits, '.', '_' or '-'.",
            "۳ تا ۳۲ نویسه از حروف لاتین کوچک، رقم، «.»، «_» یا «-».",
        ))
    }
}

fn check_display_name(value: String) -> Result<String, InputError> {
    let name = value.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        Err(invalid(
            "display_name",
            "a name of 1 to 100 characters.",
            "نامی با ۱ تا ۱۰۰ نویسه.",
        ))
    } else {
        Ok(name)
    }
}

fn check_password(value: String) -> Result<String, InputError> {
    if value.chars().count() < MIN_PASSWORD_CHARS {
        Err(invalid(
            "password",
            "at least 10 characters.",
            "دست‌کم ۱۰ نویسه.",
        ))
    } else {
        Ok(value)
    }
}

/// A staff role (not the applicant's or the system's); a clearance office's must name a
/// configured office.
fn check_role(value: Option<String>, offices: &[ClearanceOffice]) -> Result<Role, InputError> {
    let value = required("role", value)?;
    let role = Role::parse(value.trim())
        .filter(|r| !matches!(r, Role::Applicant | Role::System))
        .ok_or_else(|| {
            invalid(
                "role",
                &format!("{value:?} is not a staff role (e.g. university_user, admin, clearance_office:welfare)."),
                "نقش کارکنان معتبر نیست.",
            )
        })?;
    match &role {
        Role::ClearanceOffice(id) if !offices.iter().any(|o| &o.id == id) => Err(invalid(
            "role",
            &format!("there is no clearance office {id:?}."),
            "چنین دفتر تسویه‌حسابی تعریف نشده است.",
        )),
        _ => Ok(role),
    }
}

/// `*` (the default) or a name; only [`SCOPED_ROLES`] may have a name.
fn check_scope(value: Option<String>, role: Option<&Role>) -> Result<String, InputError> {
    let scope = value.as_deref().unwrap_or("*").trim().to_owned();
    if scope.is_empty() || scope.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(invalid(
            "scope",
            "'*' or the name of a university, county or faculty.",
            "«*» یا نام دانشگاه، شهرستان یا دانشکده.",
        ));
    }
    match role {
        Some(role) if scope != "*" && !SCOPED_ROLES.contains(role) => Err(invalid(
            "scope",
            &format!(
                "the role {} serves everything: its scope must be '*'.",
                role.id()
            ),
            "این نقش همه درخواست‌ها را می‌بیند؛ دامنه آن باید «*» باشد.",
        )),
        _ => Ok(scope),
    }
}

/// The ok value, or `None` with the error kept.
fn keep<T>(errors: &mut Vec<InputError>, checked: Result<T, InputError>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

/// A new account as sent (`POST /api/v1/admin/users`, `pishkhan user add`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawUser {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub scope: Option<String>,
    pub password: Option<String>,
}

/// A new account that passed every check, its password not yet hashed.
pub struct CheckedUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: String,
    password: String,
}

/// Checks a new account, naming every bad field.
pub fn check_user(
    raw: RawUser,
    offices: &[ClearanceOffice],
) -> Result<CheckedUser, Vec<InputError>> {
    let mut errors = Vec::new();
    let username = keep(&mut errors, check_username(raw.username));
    let display_name = keep(
        &mut errors,
        required("display_name", raw.display_name).and_then(check_display_name),
    );
    let role = keep(&mut errors, check_role(raw.role, offices));
    let scope = keep(&mut errors, check_scope(raw.scope, role.as_ref()));
    let password = keep(
        &mut errors,
        required("password", raw.password).and_then(check_password),
    );
    match (username, display_name, role, scope, password) {
        (Some(username), Some(display_name), Some(role), Some(scope), Some(password)) => {
            Ok(CheckedUser {
                username,
                display_name,
                role,
                scope,
                password,
            })
        }
        _ => Err(errors),
    }
}

impl CheckedUser {
    /// Hashes the password (slow: argon2id) and stores the account; `None` when the username
    /// is taken.
    pub async fn create(self, store: &Store) -> std::io::Result<Option<User>> {
        let password_hash = hash_password(self.password).await?;
        let new = NewUser {
            username: self.username,
            display_name: self.display_name,
            role: self.role,
            scope: self.scope,
            password_hash,
        };
        store
            .create_user(&new, now_unix())
            .await
            .map_err(std::io::Error::other)
    }
}

/// An account as the admin sees it: [`user_json`] with `active` and `locked_until` (Unix
/// seconds while locked, else null).
fn admin_user_json(user: &User, offices: &[ClearanceOffice]) -> Value {
    let mut json = user_json(
        user.id,
        &user.username,
        &user.display_name,
        &user.role,
        &user.scope,
        offices,
    );
    json["active"] = json!(user.active);
    json["locked_until"] = json!(user.locked_until.filter(|&t| t > now_unix()));
    json
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
async fn list_users(_: Admin, State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let offices = state.store.offices().await?;
    let users: Vec<Value> = state
        .store
        .users()
        .await?
        .iter()
        .map(|u| admin_user_json(u, &offices))
        .collect();
    Ok(Json(json!({ "users": users })))
}

/// `POST /api/v1/admin/users` → 201 the account.
async fn create_user(
    Admin(admin): Admin,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: RawUser = json_body(request).await?;
    let offices = state.store.offices().await?;
    let checked = check_user(raw, &offices).map_err(ApiError::invalid)?;
    let username = checked.username.clone();
    let user = checked
        .create(&state.store)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| username_taken(&username))?;
    tracing::info!(admin = %admin.username, user = %user.username, role = %user.role.id(), "user created");
    Ok((StatusCode::CREATED, Json(admin_user_json(&user, &offices))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    active: Option<bool>,
    password: Option<String>,
    display_name: Option<String>,
}

/// `PATCH /api/v1/admin/users/{id}` `{active?, password?, display_name?}` → the account.
async fn change_user(
    Admin(admin): Admin,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let raw: RawChange = json_body(request).await?;
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
    Ok(Json(admin_user_json(&user, &offices)))
}

/// `GET /api/v1/admin/offices` → `{offices}` in route order.
async fn offices(_: Admin, State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "offices": state.store.offices().await? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffices {
    offices: Option<Vec<ClearanceOffice>>,
}

/// At least one office; ids `[a-z0-9_-]+` and unique; names in both languages.
fn check_offices(offices: &mut [ClearanceOffice]) -> Result<(), Vec<InputError>> {
    let mut errors = Vec::new();
    if offices.is_empty() {
        errors.push(invalid(
            "offices",
            "at least one office.",
            "دست‌کم یک دفتر لازم است.",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, office) in offices.iter_mut().enumerate() {
        office.name_fa = office.name_fa.trim().to_owned();
        office.name_en = office.name_en.trim().to_owned();
        let id_ok = !office.id.is_empty()
            && office.id.len() <= 64
            && office
                .id
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
        if !id_ok {
            errors.push(invalid(
                &format!("offices[{i}].id"),
                "1 to 64 letters a-z, digits, '_' or '-'.",
                "۱ تا ۶۴ نویسه از حروف لاتین کوچک، رقم، «_» یا «-».",
            ));
        } else if !seen.insert(office.id.clone()) {
            errors.push(invalid(
                &format!("offices[{i}].id"),
                "another office has this id.",
                "این شناسه به دفتر دیگری داده شده است.",
            ));
        }
        for (field, name) in [("name_fa", &office.name_fa), ("name_en", &office.name_en)] {
            if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME_CHARS {
                errors.push(invalid(
                    &format!("offices[{i}].{field}"),
                    "a name of 1 to 100 characters.",
                    "نامی با ۱ تا ۱۰۰ نویسه.",
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `PUT /api/v1/admin/offices` `{offices}` → 200 `{offices}`; 409 `OFFICE_IN_USE` when an
/// office left out has requests at it.
async fn replace_offices(
    Admin(admin): Admin,
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let raw: RawOffices = json_body(request).await?;
    let mut offices = required("offices", raw.offices)?;
    check_offices(&mut offices).map_err(ApiError::invalid)?;
    if let Err(OfficeInUse(office)) = state.store.replace_offices(&offices).await? {
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
    Ok(Json(json!({ "offices": offices })))
}

/// The demo users: one per role (and per clearance office other than the department's).
fn demo_users(offices: &[ClearanceOffice]) -> Vec<(String, Role)> {
    let fixed = [
        ("admin", Role::Admin),
        ("university", Role::UniversityUser),
        ("conscription", Role::ConscriptionExpert),
        ("deputy", Role::ConscriptionDeputy),
        ("police", Role::PoliceOffice),
        ("faculty", Role::FacultyExpert),
        ("student-affairs", Role::StudentAffairsExpert),
        ("head-education", Role::HeadOfFacultyEducation),
        ("central-office", Role::CentralOfficeExpert),
        ("department", Role::DepartmentExpert),
    ];
    let fixed = fixed
        .into_iter()
        .map(|(name, role)| (name.to_owned(), role));
    let per_office =
        offices
            .iter()
            .map(|o| Role::for_office(&o.id))
            .filter_map(|role| match role {
                Role::ClearanceOffice(ref id) => Some((format!("office-{id}"), role.clone())),
                _ => None,
            });
    fixed.chain(per_office).collect()
}

/// Creates the demo users that are missing (password [`DEMO_PASSWORD`], scope `*`, named after
/// their role in Persian); how many were created.
pub async fn create_demo_users(store: &Store) -> StoreResult<usize> {
    let offices = store.offices().await?;
    let existing: Vec<String> = store
        .users()
        .await?
        .into_iter()
        .map(|u| u.username)
        .collect();
    let missing: Vec<(String, Role)> = demo_users(&offices)
        .into_iter()
        .filter(|(name, _)| !existing.contains(name))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let password_hash = hash_password(DEMO_PASSWORD.to_owned()).await?;
    let mut created = 0;
    for (username, role) in missing {
        let new = NewUser {
            display_name: role_label(&role, &offices).fa,
            username,
            role,
            scope: "*".to_owned(),
            password_hash: password_hash.clone(),
        };
        created += usize::from(store.create_user(&new, now_unix()).await?.is_some());
    }
    Ok(created)
}

/// `pishkhan user …`: the staff accounts from the command line. Passwords are read from the
/// first line of standard input, never taken as arguments.
#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add an account (the password: the first line of standard input).
    Add {
        #[arg(long)]
        username: String,
        /// A role id (docs/staff-api.md): university_user, conscription_expert, …,
        /// clearance_office:<office id>, admin.
        #[arg(long)]
        role: String,
        /// `*` or the university, county or faculty the clerk serves.
        #[arg(long, default_value = "*")]
        scope: String,
        #[arg(long)]
        display_name: String,
    },
    /// List the accounts (never their password hashes).
    List,
    /// Set an account's password (the first line of standard input); ends its sessions.
    Passwd {
        #[arg(long)]
        username: String,
    },
    /// Disable an account; ends its sessions.
    Disable {
        #[arg(long)]
        username: String,
    },
}

/// Why a user command failed: bad input (exit 2) or a fault (exit 1).
#[derive(Debug)]
pub enum CommandError {
    Input(Vec<InputError>),
    Fault(String),
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> CommandError {
        CommandError::Fault(e.to_string())
    }
}

impl From<crate::store::StoreError> for CommandError {
    fn from(e: crate::store::StoreError) -> CommandError {
        CommandError::Fault(e.to_string())
    }
}

fn bad_input(field: &str, en: &str, fa: &str) -> CommandError {
    CommandError::Input(vec![invalid(field, en, fa)])
}

/// The first line of `input`, without its line ending.
fn read_password(input: &mut impl BufRead) -> Result<String, CommandError> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(bad_input(
            "password",
            "give the password on the first line of standard input.",
            "گذرواژه را در نخستین خط ورودی استاندارد بدهید.",
        ));
    }
    Ok(password)
}

/// The id of the account with this username.
async fn user_id(store: &Store, username: &str) -> Result<i64, CommandError> {
    let username = username.trim().to_lowercase();
    match store.credentials(&username).await? {
        Some(c) => Ok(c.user.id),
        None => Err(bad_input(
            "username",
            &format!("there is no user {username:?}."),
            "چنین کاربری وجود ندارد.",
        )),
    }
}

/// Runs a user command on the data directory (migrated on opening); what to print.
pub async fn run_user_command(
    data_dir: &Path,
    command: UserCommand,
    input: &mut impl BufRead,
) -> Result<String, CommandError> {
    let store = Store::open(data_dir).await?;
    match command {
        UserCommand::Add {
            username,
            role,
            scope,
            display_name,
        } => {
            let raw = RawUser {
                username: Some(username),
                display_name: Some(display_name),
                role: Some(role),
                scope: Some(scope),
                password: Some(read_password(input)?),
            };
            let checked = check_user(raw, &store.offices().await?).map_err(CommandError::Input)?;
            let username = checked.username.clone();
            match checked.create(&store).await? {
                Some(user) => Ok(format!("added {} ({})", user.username, user.role.id())),
                None => Err(bad_input(
                    "username",
                    &format!("{username:?} is taken."),
                    "این نام کاربری پیش‌تر گرفته شده است.",
                )),
            }
        }
        UserCommand::List => {
            let mut out = String::from("id\tusername\trole\tscope\tactive\tdisplay_name\n");
            for u in store.users().await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    u.id,
                    u.username,
                    u.role.id(),
                    u.scope,
                    if u.active { "yes" } else { "no" },
                    u.display_name
                ));
            }
            Ok(out.trim_end().to_owned())
        }
        UserCommand::Passwd { username } => {
            let password =
                check_password(read_password(input)?).map_err(|e| CommandError::Input(vec![e]))?;
            let id = user_id(&store, &username).await?;
            let change = UserChange {
                password_hash: Some(hash_password(password).await?),
                ..UserChange::default()
            };
            store.update_user(id, &change).await?;
            Ok(format!(
                "password of {username} changed; its sessions ended"
            ))
        }
        UserCommand::Disable { username } => {
            let id = user_id(&store, &username).await?;
            let change = UserChange {
                active: Some(false),
                ..UserChange::default()
            };
            store.update_user(id, &change).await?;
            Ok(format!("{username} disabled; its sessions ended"))
        }
    }
}
