//! Idempotent filing: the `Idempotency-Key` header (a UUID) and the keys being processed in this
//! process right now (`Claims`), so a concurrent retry is told to wait.

use std::collections::HashSet;
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderName, StatusCode};

use crate::http::error::ApiError;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Idempotency keys being processed in this process right now: a second request with one of
/// them is answered 409 at once. (The database refuses a second row for a key anyway; this only
/// tells the client to wait instead of making it wait.)
#[derive(Default)]
pub struct Claims(Mutex<HashSet<String>>);

/// A key held while its request is processed; released when dropped.
pub struct Claim<'a>(&'a Claims, String);

impl Claims {
    pub fn claim(&self, key: &str) -> Option<Claim<'_>> {
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        keys.insert(key.to_owned())
            .then(|| Claim(self, key.to_owned()))
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut keys = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        keys.remove(&self.1);
    }
}

/// The `Idempotency-Key` header: a UUID, bare or quoted (the IETF draft's structured-field
/// string), compared in lowercase.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_MISSING",
            "the Idempotency-Key header (a UUID) is required.",
            "سرآیند Idempotency-Key (یک UUID) لازم است.",
        )
        .with_field("Idempotency-Key"));
    };
    let text = value.to_str().unwrap_or_default().trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    if is_uuid(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_INVALID",
            "the Idempotency-Key header must be a UUID (8-4-4-4-12 hexadecimal digits).",
            "سرآیند Idempotency-Key باید یک UUID باشد.",
        )
        .with_field("Idempotency-Key"))
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits, any version.
/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits, any version.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn idempotency_keys_are_uuids_bare_or_quoted() {
        let mut h = HeaderMap::new();
        assert_eq!(
            idempotency_key(&h).unwrap_err().code,
            "IDEMPOTENCY_KEY_MISSING"
        );
        h.insert(
            IDEMPOTENCY_KEY,
            HeaderValue::from_static("\"8E03978E-40D5-43E8-BC93-6894A57F9324\""),
        );
        assert_eq!(
            idempotency_key(&h).unwrap(),
            "8e03978e-40d5-43e8-bc93-6894a57f9324"
        );
        for bad in [
            "abc",
            "8e03978e40d543e8bc936894a57f9324",
            "8e03978e-40d5-43e8-bc93-6894a57f932g",
        ] {
            h.insert(IDEMPOTENCY_KEY, HeaderValue::from_static(bad));
            assert_eq!(
                idempotency_key(&h).unwrap_err().code,
                "IDEMPOTENCY_KEY_INVALID",
                "{bad}"
            );
        }
    }

    #[test]
    fn claims_are_exclusive_until_dropped() {
        let claims = Claims::default();
        let first = claims.claim("k").unwrap();
        assert!(claims.claim("k").is_none());
        drop(first);
        assert!(claims.claim("k").is_some());
    }
}
