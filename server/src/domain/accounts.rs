//! Staff accounts and their secrets, apart from HTTP and SQL: the signed-in clerk (`Staff`),
//! passwords (argon2id PHC strings, hashed off the async threads), session tokens and their
//! SHA-256, comparing secrets in constant time, one set of checks for a new account and for the
//! clearance offices (the admin's API and `pishkhan user …`), the demo users, and the signed
//! device cookie that tells a clerk's own browser from a stranger's (OWASP's "device cookies").

use api::staff::NewUser;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rules::requests::ClearanceOffice;
use rules::workflow::Role;
use rules::InputError;
use sha2::{Digest, Sha256};

use super::universities::{check_scope, Faculty, Scope, University};
use super::{invalid, required};

/// The demo users' shared password (`serve --demo-users`; never in production).
pub const DEMO_PASSWORD: &str = "pishkhan-demo";

/// A signed-in clerk (or admin), from a live session.
#[derive(Clone, Debug)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Whom the clerk serves (docs/staff-api.md, "Scope").
    pub scope: Scope,
    pub csrf_token: String,
    /// A second factor (TOTP) is enrolled.
    pub second_factor: bool,
}

/// SHA-256 (hex) of a secret token: sessions are stored by this, never by the token.
pub fn token_hash(token: &str) -> String {
    crate::hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP's argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Runs slow work (hashing) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}

/// The argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a password, with a fresh salt.
pub async fn hash_password(password: String) -> std::io::Result<String> {
    blocking(move || {
        let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(std::io::Error::other)?;
        let hash = argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(std::io::Error::other)?;
        Ok(hash.to_string())
    })
    .await
}

/// Whether `password` is the one `hash` (a PHC string) was made from; false for a bad hash.
pub async fn verify_password(password: String, hash: String) -> std::io::Result<bool> {
    blocking(move || {
        Ok(PasswordHash::new(&hash)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok()))
    })
    .await
}

/// The hash an unknown username's password is checked against (with the same parameters as
/// every stored hash), so that an unknown user takes as long to refuse as a wrong password. Its
/// password does not matter: the answer is 401 whatever the check says.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$d2LlqKxOj0xg/EjsiVYTBg$MEIJVK7sEBo5miOPIaTt0VMOIEb4tZuzxRUuR6bwVhQ";

fn random_bytes<const N: usize>() -> std::io::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
    Ok(bytes)
}

/// 32 random bytes from the OS, base64url without padding (session and CSRF tokens).
pub fn random_token() -> std::io::Result<String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// The MAC of a device cookie's random part for a username (HMAC-SHA-256 with the server's key,
/// base64url).
fn device_mac(key: &[u8; 32], username: &str, nonce: &str) -> String {
    use hmac::Mac;
    let mut mac =
        hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(b"pishkhan staff device\0");
    mac.update(username.as_bytes());
    mac.update(b"\0");
    mac.update(nonce.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A device cookie's value for `username`: `<random>.<mac>` (the username is not in it).
pub fn device_cookie_value(key: &[u8; 32], username: &str, nonce: &str) -> String {
    format!("{nonce}.{}", device_mac(key, username, nonce))
}

/// The random part of a device cookie's value when it was signed for `username`.
pub fn device_nonce(key: &[u8; 32], username: &str, value: &str) -> Option<String> {
    let (nonce, mac) = value.split_once('.')?;
    (!nonce.is_empty() && same_secret(mac, &device_mac(key, username, nonce)))
        .then(|| nonce.to_owned())
}

/// Shortest password, in characters (ASVS 4.0.3, 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest password, in characters (ASVS 2.1.2: 64 allowed, more than 128 refused).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Longest display name, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 100;

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

pub fn check_display_name(value: String) -> Result<String, InputError> {
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

/// A staff password: 12 to 128 characters of any kind (no rule of composition: ASVS 2.1.9), and
/// not one of the commonly used passwords that attackers try first (2.1.7; the list of the
/// `passwords` crate, checked without the case and the surrounding spaces).
pub fn check_password(value: String) -> Result<String, InputError> {
    let chars = value.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(invalid(
            "password",
            "at least 12 characters.",
            "دست‌کم ۱۲ نویسه.",
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(invalid(
            "password",
            "at most 128 characters.",
            "حداکثر ۱۲۸ نویسه.",
        ))
    } else if passwords::analyzer::is_common_password(value.trim().to_lowercase()) {
        Err(invalid(
            "password",
            "a commonly used password, which attackers try first; choose another (a few unrelated words make a good one).",
            "این گذرواژه رایج است و مهاجمان پیش از همه آن را می‌آزمایند؛ گذرواژه دیگری برگزینید (چند واژه نامرتبط گذرواژه خوبی می‌سازند).",
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
                format!("{value:?} is not a staff role (e.g. university_user, admin, clearance_office:welfare)."),
                "نقش کارکنان معتبر نیست.",
            )
        })?;
    match &role {
        Role::ClearanceOffice(id) if !offices.iter().any(|o| &o.id == id) => Err(invalid(
            "role",
            format!("there is no clearance office {id:?}."),
            "چنین دفتر تسویه‌حسابی تعریف نشده است.",
        )),
        _ => Ok(role),
    }
}

/// The ok value, or `None` with the error kept.
pub fn keep<T>(errors: &mut Vec<InputError>, checked: Result<T, InputError>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

/// A new account that passed every check, its password not yet hashed.
pub struct CheckedUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub(crate) password: String,
}

/// Checks a new account, naming every bad field: `offices` and `faculties` are those of the
/// university the account is for (an office role names one of its offices, a faculty role one
/// of its faculties).
pub fn check_user(
    raw: NewUser,
    offices: &[ClearanceOffice],
    universities: &[University],
    faculties: &[Faculty],
) -> Result<CheckedUser, Vec<InputError>> {
    let mut errors = Vec::new();
    let username = keep(&mut errors, check_username(raw.username));
    let display_name = keep(
        &mut errors,
        required("display_name", raw.display_name).and_then(check_display_name),
    );
    let role = keep(&mut errors, check_role(raw.role, offices));
    let scope = keep(
        &mut errors,
        check_scope(
            raw.scope,
            raw.university,
            role.as_ref(),
            universities,
            faculties,
        ),
    );
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

/// At least one office; ids `[a-z0-9_-]+` and unique; names in both languages.
pub fn check_offices(offices: &mut [ClearanceOffice]) -> Result<(), Vec<InputError>> {
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

/// The demo user of a staff role: `university`, …, `office-<id>` for a clearance office.
pub fn demo_username(role: &Role) -> Option<String> {
    let fixed = match role {
        Role::Admin => "admin",
        Role::UniversityAdmin => "university-admin",
        Role::UniversityUser => "university",
        Role::ConscriptionExpert => "conscription",
        Role::ConscriptionDeputy => "deputy",
        Role::PoliceOffice => "police",
        Role::FacultyExpert => "faculty",
        Role::StudentAffairsExpert => "student-affairs",
        Role::HeadOfFacultyEducation => "head-education",
        Role::CentralOfficeExpert => "central-office",
        Role::DepartmentExpert => "department",
        Role::ClearanceOffice(id) => return Some(format!("office-{id}")),
        Role::Applicant | Role::System => return None,
    };
    Some(fixed.to_owned())
}

/// The demo users: one per staff role (`Role::staff_roles`: the fixed roles, then one per
/// clearance office other than the department's), the admin first.
pub fn demo_users(offices: &[ClearanceOffice]) -> Vec<(String, Role)> {
    let mut roles = Role::staff_roles(offices);
    roles.sort_by_key(|r| *r != Role::Admin);
    roles
        .into_iter()
        .filter_map(|role| Some((demo_username(&role)?, role)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dummy_hash_costs_what_a_stored_hash_costs() {
        let hash = hash_password("a-long-password".into()).await.unwrap();
        let params = |h: &str| h.rsplitn(3, '$').nth(2).unwrap().to_owned();
        assert_eq!(params(&hash), "$argon2id$v=19$m=19456,t=2,p=1");
        assert_eq!(params(DUMMY_HASH), params(&hash));
        assert!(verify_password("a-long-password".into(), hash.clone())
            .await
            .unwrap());
        assert!(!verify_password("another-password".into(), hash)
            .await
            .unwrap());
        assert!(!verify_password("x".into(), "not a hash".into())
            .await
            .unwrap());
    }

    #[test]
    fn a_device_cookie_is_good_for_its_username_only() {
        let key = [7u8; 32];
        let value = device_cookie_value(&key, "faculty", "abc");
        assert_eq!(
            device_nonce(&key, "faculty", &value).as_deref(),
            Some("abc")
        );
        assert_eq!(device_nonce(&key, "police", &value), None);
        assert_eq!(device_nonce(&[8u8; 32], "faculty", &value), None);
        assert_eq!(device_nonce(&key, "faculty", "abd.x"), None);
        assert_eq!(device_nonce(&key, "faculty", "no-dot"), None);
    }

    #[test]
    fn passwords_are_12_to_128_characters_and_not_common() {
        let field = |p: &str| check_password(p.to_owned()).err().map(|e| e.field);
        assert_eq!(field("eleven-char"), Some(Some("password".into())));
        assert_eq!(field("twelve-chars"), None);
        assert_eq!(field(&"x".repeat(128)), None);
        assert_eq!(field(&"x".repeat(129)), Some(Some("password".into())));
        // Any characters count, Persian ones among them.
        assert_eq!(field("گذرواژه‌ای بلند"), None);
        for common in ["123456789012", "qwertyuiop123", "Password1234"] {
            assert_eq!(
                field(common),
                Some(Some("password".into())),
                "{common} is common"
            );
        }
    }

    #[test]
    fn tokens_are_32_random_bytes_in_base64url() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
    }
}
