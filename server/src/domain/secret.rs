//! The server's secret key as a value (32 bytes, never printed) and what it keys: HMAC-SHA256 of
//! a purpose, a subject and a secret, by which one-time codes are stored (and other short-lived
//! server secrets may be); its bytes key the audit chain's hashes of personal fields
//! (`audit.rs`). Reading and making the key file is `store::secret_key`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes in the key.
pub const KEY_BYTES: usize = 32;

/// The server's secret key.
#[derive(Clone)]
pub struct SecretKey([u8; KEY_BYTES]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> SecretKey {
        SecretKey(bytes)
    }

    /// The key's bytes, for a keyed hash built elsewhere (the audit chain's, `audit::Key`).
    pub fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    /// HMAC-SHA256 under the key of `purpose`, NUL, `subject`, NUL, `secret`, in lowercase hex.
    /// The purpose keeps one use's MAC from standing for another's; the subject (a request's
    /// id, a national ID) keeps the same digits of two people apart.
    pub fn mac(&self, purpose: &str, subject: &str, secret: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length works");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(subject.as_bytes());
        mac.update(b"\0");
        mac.update(secret.as_bytes());
        crate::hex(&mac.finalize().into_bytes())
    }

    /// What a person's reminder opt-out is stored by: the HMAC of their national ID (purpose
    /// `reminders`), never the ID itself (docs/reminders.md).
    pub fn reminders_person(&self, national_id: &str) -> String {
        self.mac("reminders", national_id, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_depends_on_the_key_the_purpose_the_subject_and_the_secret() {
        let key = SecretKey::from_bytes([7; KEY_BYTES]);
        let base = key.mac("person", "0123456789", "123456");
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            SecretKey::from_bytes([8; KEY_BYTES]).mac("person", "0123456789", "123456")
        );
        assert_ne!(base, key.mac("request", "0123456789", "123456"));
        assert_ne!(base, key.mac("person", "0123456780", "123456"));
        assert_ne!(base, key.mac("person", "0123456789", "123457"));
        // The NULs keep the parts apart.
        assert_ne!(key.mac("ab", "c", "1"), key.mac("a", "bc", "1"));
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
    }
}
