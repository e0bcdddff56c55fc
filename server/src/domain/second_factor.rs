//! The staff's second factor, apart from HTTP and SQL: TOTP (RFC 6238: HMAC-SHA-1, 6 digits,
//! 30-second steps, one step either side, a step accepted once), its secret sealed with the
//! server's key before it is stored, the one-time recovery codes (kept as HMACs) and the
//! deployment's policy of who must have one (`serve --staff-totp admin|all`).

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::ChaCha20Poly1305;
use hmac::Mac;
use rules::workflow::Role;
use sha2::Sha256;
use totp_rs::{Builder, Totp};

/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "Pishkhan";

/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// Who must have a second factor (`serve --staff-totp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StaffTotp {
    /// Administrators only (the default); other staff may enrol.
    #[default]
    Admin,
    /// Every staff member.
    All,
}

impl StaffTotp {
    /// `admin` or `all`.
    pub fn parse(value: &str) -> Option<StaffTotp> {
        match value {
            "admin" => Some(StaffTotp::Admin),
            "all" => Some(StaffTotp::All),
            _ => None,
        }
    }

    /// Whether a staff member of `role` must have a second factor.
    pub fn required(self, role: &Role) -> bool {
        self == StaffTotp::All || *role == Role::Admin
    }
}

/// The TOTP of a secret (`account` is what the authenticator app shows).
fn totp(secret: &[u8], account: &str) -> Totp {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(account.replace(':', "_"))
        .with_issuer(Some(ISSUER))
        .build()
        .expect("a 20-byte secret with SHA-1, 6 digits and 30 s steps is valid")
}

/// A new secret: 20 random bytes (160 bits, RFC 4226's recommendation).
pub fn new_secret() -> std::io::Result<Vec<u8>> {
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
    Ok(secret)
}

/// The secret in base32 (what a person types into an app that cannot scan).
pub fn base32(secret: &[u8]) -> String {
    totp(secret, "x").secret().to_base32()
}

/// The `otpauth://totp/Pishkhan:<username>?secret=…` URI the QR code holds.
pub fn otpauth_uri(secret: &[u8], username: &str) -> String {
    totp(secret, username)
        .to_url()
        .expect("an account name is set")
}

/// The step a code is good for at `now` (one step either side), if later than `after` (a step
/// already used is never accepted again).
pub fn check_code(secret: &[u8], code: &str, now: i64, after: Option<i64>) -> Option<i64> {
    let code: String = rules::digits::to_ascii_digits(code.trim())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = totp(secret, "x").check(&code, u64::try_from(now).ok()?)?;
    let step = i64::try_from(step).ok()?;
    after.is_none_or(|used| step > used).then_some(step)
}

/// HMAC-SHA-256 of `parts` under the server's key.
fn keyed(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac =
        <hmac::Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
        mac.update(b"\0");
    }
    mac.finalize().into_bytes().into()
}

/// A secret as stored: base64url of a random 96-bit nonce and the secret sealed under the server's
/// key with ChaCha20-Poly1305 (RFC 8439; the `chacha20poly1305` crate), the purpose as associated
/// data — so the database alone gives nothing away, and a value changed in it does not open.
pub fn seal(key: &[u8; 32], secret: &[u8]) -> std::io::Result<String> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
    let sealed = ChaCha20Poly1305::new(key.into())
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: secret,
                aad: PURPOSE,
            },
        )
        .map_err(|_| std::io::Error::other("sealing the secret failed"))?;
    let mut stored = nonce.to_vec();
    stored.extend(sealed);
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(stored))
}

/// The secret [`seal`] stored (`None` for a value it did not make under this key, or one
/// changed since).
pub fn open(key: &[u8; 32], sealed: &str) -> Option<Vec<u8>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sealed)
        .ok()?;
    if bytes.len() <= 12 {
        return None;
    }
    let (nonce, body) = bytes.split_at(12);
    ChaCha20Poly1305::new(key.into())
        .decrypt(
            nonce.into(),
            Payload {
                msg: body,
                aad: PURPOSE,
            },
        )
        .ok()
}

/// The associated data of a sealed TOTP secret: what the sealed value is for.
const PURPOSE: &[u8] = b"pishkhan totp secret";

/// A recovery code as typed: lowercase letters and digits only (dashes and spaces dropped).
fn normalized(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What is stored of a recovery code of account `user_id`: HMAC-SHA-256 (hex) under the
/// server's key (10 random base32 characters are 50 bits: a keyed hash, not a slow one).
pub fn recovery_hmac(key: &[u8; 32], user_id: i64, code: &str) -> String {
    crate::hex(&keyed(
        key,
        &[
            b"pishkhan recovery code",
            user_id.to_string().as_bytes(),
            normalized(code).as_bytes(),
        ],
    ))
}

/// [`RECOVERY_CODES`] new codes, `xxxxx-xxxxx` in lowercase base32 (no 0, 1, 8 or 9 to misread).
pub fn new_recovery_codes() -> std::io::Result<Vec<String>> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::fill(&mut bytes)
                .map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
                .collect();
            Ok(format!(
                "{}-{}",
                chars[..5].iter().collect::<String>(),
                chars[5..].iter().collect::<String>()
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret and vectors (the last 6 of its 8 digits).
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                check_code(secret, code, time, None),
                Some(time / 30),
                "{time}"
            );
        }
        // One step either side, not two; a used step never again; Persian digits as typed.
        assert_eq!(check_code(secret, "287082", 59 + 30, None), Some(1));
        assert_eq!(check_code(secret, "287082", 59 + 60, None), None);
        assert_eq!(check_code(secret, "287082", 59, Some(1)), None);
        assert_eq!(check_code(secret, "287082", 59, Some(0)), Some(1));
        assert_eq!(check_code(secret, "۲۸۷۰۸۲", 59, None), Some(1));
        assert_eq!(check_code(secret, "28708", 59, None), None);
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let key = [3u8; 32];
        let secret = new_secret().unwrap();
        let sealed = seal(&key, &secret).unwrap();
        assert_ne!(
            sealed,
            seal(&key, &secret).unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(open(&key, &sealed), Some(secret.clone()));
        assert_eq!(open(&[4u8; 32], &sealed), None, "another key opens nothing");
        assert_eq!(open(&key, "!"), None);
        // A changed byte does not open (the tag).
        let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&sealed)
            .unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let changed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(open(&key, &changed), None, "a changed value opens nothing");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_keyed() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        assert!(codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        let key = [5u8; 32];
        let stored = recovery_hmac(&key, 1, &codes[0]);
        assert_eq!(
            stored,
            recovery_hmac(&key, 1, &codes[0].to_uppercase().replace('-', " "))
        );
        assert_ne!(stored, recovery_hmac(&key, 2, &codes[0]));
        assert_ne!(stored, recovery_hmac(&[6u8; 32], 1, &codes[0]));
    }

    #[test]
    fn the_policy_names_who_must_enrol() {
        assert!(StaffTotp::Admin.required(&Role::Admin));
        assert!(!StaffTotp::Admin.required(&Role::UniversityUser));
        assert!(StaffTotp::All.required(&Role::UniversityUser));
        assert_eq!(StaffTotp::parse("all"), Some(StaffTotp::All));
        assert_eq!(StaffTotp::parse("some"), None);
        let uri = otpauth_uri(&[1u8; 20], "admin");
        assert!(uri.starts_with("otpauth://totp/Pishkhan:admin?"), "{uri}");
        assert!(
            uri.contains(&format!("secret={}", base32(&[1u8; 20]))),
            "{uri}"
        );
    }
}
