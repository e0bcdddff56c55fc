//! OpenID Connect sign-in as the server's domain knows it, whatever the transport: the
//! `[[oidc.providers]]` of `pishkhan.toml` checked, which provider serves which process, the
//! `return_to` a sign-in may go back to, a sign-in in progress (`PendingLogin`), and an ID token
//! verified (signature against the provider's JWKS, issuer, audience, nonce, expiry) and read
//! into a `VerifiedIdentity` through the configured claim names.

use std::path::{Path, PathBuf};

use base64::Engine;
use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
use rules::digits::to_ascii_digits;
use rules::identity::{Mobile, NationalId};
use rules::InputError;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::invalid;

/// How long a sign-in may take between the redirect to the provider and its callback.
pub const LOGIN_SECONDS: i64 = 10 * 60;

/// The path of the one callback every provider redirects to, after a provider's `redirect_base`.
pub const CALLBACK_PATH: &str = "/api/v1/signin/oidc/callback";

/// The processes a provider may serve (`rules::requests`' kinds).
pub const PROCESSES: [&str; 3] = ["exemption", "withdrawal", "clearance"];

/// `pishkhan.toml` as a whole: `[oidc]`, `[sms]` (the SMS gateway, `domain::sms`) and `[payments]`
/// (the bank gateway, `domain::payments`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub oidc: OidcSection,
    /// The SMS gateway's settings (`domain::sms`; docs/sms.md).
    pub sms: Option<super::sms::RawSms>,
    /// The bank gateway's settings (`domain::payments`; docs/payments.md).
    pub payments: Option<super::payments::PaymentsSection>,
}

/// `[oidc]`: the providers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSection {
    #[serde(default)]
    pub providers: Vec<RawProvider>,
}

/// One `[[oidc.providers]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: String,
    /// The provider's name as the sign-in page shows it (the id when missing).
    pub name_fa: Option<String>,
    pub name_en: Option<String>,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Read at start, relative to the configuration file; trailing newlines dropped.
    pub client_secret_file: Option<PathBuf>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Pishkhan's public origin as the provider knows it (the callback is this followed by
    /// [`CALLBACK_PATH`]).
    pub redirect_base: String,
    /// The processes whose applicants sign in here (`exemption`, `withdrawal`, `clearance`).
    pub processes: Vec<String>,
    /// The codes of the universities whose people sign in here; missing: every university (a
    /// national provider).
    pub universities: Option<Vec<String>>,
    #[serde(default)]
    pub claims: ClaimNames,
}

fn default_scopes() -> Vec<String> {
    vec!["openid".to_owned()]
}

/// Which claims of the ID token carry what Pishkhan needs. The national ID is always required;
/// the student number and the mobile only when a name is given for them.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClaimNames {
    #[serde(default = "default_national_id_claim")]
    pub national_id: String,
    pub student_number: Option<String>,
    pub mobile: Option<String>,
}

fn default_national_id_claim() -> String {
    "national_id".to_owned()
}

impl Default for ClaimNames {
    fn default() -> ClaimNames {
        ClaimNames {
            national_id: default_national_id_claim(),
            student_number: None,
            mobile: None,
        }
    }
}

/// A provider, checked, its secret read.
#[derive(Clone, Debug)]
pub struct Provider {
    pub id: String,
    pub name_fa: String,
    pub name_en: String,
    pub issuer: IssuerUrl,
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
    pub scopes: Vec<String>,
    /// `redirect_base` + [`CALLBACK_PATH`].
    pub redirect_uri: String,
    /// `redirect_base` + `/`: where the provider sends the person after RP-initiated logout.
    pub post_logout_redirect_uri: String,
    pub processes: Vec<String>,
    /// The codes of the universities it serves; `None`: every university (a national provider).
    pub universities: Option<Vec<String>>,
    pub claims: ClaimNames,
}

impl Provider {
    /// Whether the people of the university with this code sign in here.
    pub fn serves(&self, code: &str) -> bool {
        self.universities
            .as_ref()
            .is_none_or(|codes| codes.iter().any(|c| c == code))
    }

    /// The one university it serves, if it serves exactly one: a person it signs in whom the
    /// roster does not place belongs there.
    pub fn only_university(&self) -> Option<&str> {
        match self.universities.as_deref() {
            Some([code]) => Some(code),
            _ => None,
        }
    }

    /// Whether it and `other` both serve some university.
    fn shares_a_university(&self, other: &Provider) -> bool {
        match (&self.universities, &other.universities) {
            (Some(mine), Some(theirs)) => mine.iter().any(|c| theirs.contains(c)),
            _ => true,
        }
    }

    /// The verifier of this provider's ID tokens with its keys: signature (RS256 by default),
    /// issuer, audience (this client) and expiry; the nonce is given to [`verify_id_token`].
    pub fn verifier(&self, jwks: CoreJsonWebKeySet) -> CoreIdTokenVerifier<'static> {
        CoreIdTokenVerifier::new_confidential_client(
            self.client_id.clone(),
            self.client_secret.clone(),
            self.issuer.clone(),
            jwks,
        )
    }
}

/// `pishkhan.toml` read and checked whole: the OpenID providers, the SMS gateway and the bank
/// gateway (each `None` without its section), their secrets read from their files.
#[derive(Default)]
pub struct Loaded {
    pub providers: Vec<Provider>,
    pub sms: Option<super::sms::SmsConfig>,
    pub payments: Option<super::payments::PaymentsConfig>,
}

/// Reads and checks `pishkhan.toml` (`pishkhan serve --config`); secret files are relative to
/// it. Every problem is named with the file, the section (the provider) and the key.
pub fn load_config(path: &Path) -> Result<Loaded, String> {
    let named = |e: String| format!("{}: {e}", path.display());
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let file: FileConfig = toml::from_str(&text).map_err(|e| named(e.to_string()))?;
    Ok(Loaded {
        providers: check_providers(file.oidc, dir).map_err(named)?,
        sms: file
            .sms
            .map(|raw| super::sms::check(raw, dir))
            .transpose()
            .map_err(named)?,
        payments: file
            .payments
            .map(|section| section.check(dir))
            .transpose()
            .map_err(named)?,
    })
}

/// [`load_config`] on the file's text; secret files are relative to `dir`.
pub fn parse_config(text: &str, dir: &Path) -> Result<Vec<Provider>, String> {
    let file: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
    check_providers(file.oidc, dir)
}

/// `[oidc]`'s providers checked, each alone and together; secret files are relative to `dir`.
fn check_providers(section: OidcSection, dir: &Path) -> Result<Vec<Provider>, String> {
    let mut providers: Vec<Provider> = Vec::new();
    for raw in section.providers {
        let provider = check_provider(raw, dir)?;
        if providers.iter().any(|p| p.id == provider.id) {
            return Err(format!(
                "oidc.providers: the id {:?} is used twice",
                provider.id
            ));
        }
        providers.push(provider);
    }
    for process in PROCESSES {
        let serving: Vec<&Provider> = providers
            .iter()
            .filter(|p| p.processes.iter().any(|q| q == process))
            .collect();
        for (i, a) in serving.iter().enumerate() {
            if let Some(b) = serving[i + 1..].iter().find(|b| a.shares_a_university(b)) {
                return Err(format!(
                    "oidc.providers: the process {process:?} is served by {:?} and {:?} at the \
                     same university; one provider per process and university",
                    a.id, b.id
                ));
            }
        }
    }
    Ok(providers)
}

/// Checks at start that every university a provider names exists (`codes`: every university's
/// code); the first unknown one is named with its provider.
pub fn check_universities(providers: &[Provider], codes: &[&str]) -> Result<(), String> {
    for p in providers {
        for code in p.universities.iter().flatten() {
            if !codes.contains(&code.as_str()) {
                return Err(format!(
                    "oidc.providers[id = {:?}].universities: there is no university {code:?} \
                     (pishkhan university list)",
                    p.id
                ));
            }
        }
    }
    Ok(())
}

fn check_provider(raw: RawProvider, dir: &Path) -> Result<Provider, String> {
    let id = raw.id;
    let at = |key: &str, problem: String| format!("oidc.providers[id = {id:?}].{key}: {problem}");
    if id.is_empty()
        || id.len() > 32
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(at("id", "1 to 32 of a-z, 0-9 and -".into()));
    }
    let issuer = IssuerUrl::new(raw.issuer).map_err(|e| at("issuer", e.to_string()))?;
    let client_secret = match (raw.client_secret, raw.client_secret_file) {
        (Some(secret), None) => secret,
        (None, Some(file)) => {
            let file = dir.join(file);
            std::fs::read_to_string(&file)
                .map_err(|e| at("client_secret_file", format!("{}: {e}", file.display())))?
                .trim_end_matches(['\r', '\n'])
                .to_owned()
        }
        _ => {
            return Err(at(
                "client_secret",
                "give exactly one of client_secret and client_secret_file".into(),
            ))
        }
    };
    if client_secret.is_empty() {
        return Err(at("client_secret", "empty".into()));
    }
    if !raw.scopes.iter().any(|s| s == "openid") {
        return Err(at("scopes", "must include \"openid\"".into()));
    }
    let base = raw.redirect_base.trim_end_matches('/');
    if !is_origin(base) {
        return Err(at(
            "redirect_base",
            "an absolute http(s) URL without path, query or fragment, like https://pishkhan.example.ac.ir"
                .into(),
        ));
    }
    for process in &raw.processes {
        if !PROCESSES.contains(&process.as_str()) {
            return Err(at(
                "processes",
                format!("unknown process {process:?}; one of {PROCESSES:?}"),
            ));
        }
    }
    if let Some(codes) = &raw.universities {
        let bad = codes.iter().find(|c| {
            c.is_empty()
                || c.len() > 32
                || !c
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
        });
        if codes.is_empty() {
            return Err(at(
                "universities",
                "empty; leave it out for a national provider".into(),
            ));
        }
        if let Some(bad) = bad {
            return Err(at(
                "universities",
                format!("{bad:?} is not a university code (1 to 32 of a-z, 0-9, _ and -)"),
            ));
        }
    }
    let name = |field: &str, given: Option<String>| match given.map(|n| n.trim().to_owned()) {
        None => Ok(id.clone()),
        Some(n) if !n.is_empty() && n.chars().count() <= 100 && !n.contains(char::is_control) => {
            Ok(n)
        }
        Some(_) => Err(at(
            field,
            "1 to 100 characters, no control characters".into(),
        )),
    };
    Ok(Provider {
        name_fa: name("name_fa", raw.name_fa)?,
        name_en: name("name_en", raw.name_en)?,
        id: id.clone(),
        issuer,
        client_id: ClientId::new(raw.client_id),
        client_secret: ClientSecret::new(client_secret),
        scopes: raw.scopes,
        redirect_uri: format!("{base}{CALLBACK_PATH}"),
        post_logout_redirect_uri: format!("{base}/"),
        processes: raw.processes,
        universities: raw.universities,
        claims: raw.claims,
    })
}

/// Whether `origin` is `http(s)://host[:port]`, with no path, query, fragment or user.
fn is_origin(origin: &str) -> bool {
    origin.split_once("://").is_some_and(|(scheme, rest)| {
        matches!(scheme, "http" | "https")
            && !rest.is_empty()
            && !rest.contains(['/', '?', '#', '@', ' ', '\\'])
    })
}

/// The provider applicants of `process` sign in with, if one is configured.
pub fn provider_for<'a>(providers: &'a [Provider], process: &str) -> Option<&'a Provider> {
    providers
        .iter()
        .find(|p| p.processes.iter().any(|q| q == process))
}

/// Where a sign-in may return: a path of this origin (`/…`, not `//…` nor `/\…`), no scheme or
/// host, no control characters, at most 512 bytes. Missing: the start page.
pub fn return_to(raw: Option<&str>) -> Result<String, InputError> {
    let Some(raw) = raw else {
        return Ok("/".to_owned());
    };
    let bad = || {
        invalid(
            "return_to",
            "must be a path of this site, starting with a single /.",
            "باید مسیری در همین سایت باشد که با یک / شروع شود.",
        )
    };
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && raw.len() <= 512
        && !raw.chars().any(char::is_control);
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(bad())
    }
}

/// A sign-in in progress, as stored until its callback (by the SHA-256 of its `state`).
#[derive(Clone, Debug)]
pub struct PendingLogin {
    pub state_sha256: String,
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub return_to: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// What the callback's `state` turned out to be. Whatever it is, it cannot be used again.
#[derive(Debug)]
pub enum StateCheck {
    /// Fresh: the sign-in it started, now consumed (boxed: the other answers are refusals, and
    /// travel in errors).
    Fresh(Box<PendingLogin>),
    /// Used by an earlier callback.
    Used,
    /// Older than [`LOGIN_SECONDS`].
    Expired,
    /// Never issued here.
    Unknown,
}

/// Who the provider vouched for.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// The configured provider's id.
    pub provider: String,
    pub national_id: NationalId,
    pub student_number: Option<String>,
    pub mobile: Option<Mobile>,
}

/// Never the person's data, only what kind of identity this is.
impl std::fmt::Debug for VerifiedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedIdentity")
            .field("provider", &self.provider)
            .field("student_number", &self.student_number.is_some())
            .field("mobile", &self.mobile.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a sign-in failed. The details (`String`s) are for the log; they never hold claims' values.
#[derive(Debug)]
pub enum OidcError {
    /// No provider with this id is configured.
    UnknownProvider,
    /// `return_to` is not a path of this site.
    ReturnTo(InputError),
    /// The callback's state cannot be used.
    State(StateCheck),
    /// The provider answered the callback with an error (`error=access_denied` when the person
    /// cancelled); its code, as the provider gave it.
    Denied(String),
    /// Discovery, the token endpoint or the network failed, or refused this client.
    Provider(String),
    /// The ID token is missing or failed verification.
    IdToken(String),
    /// A claim is missing or not valid; `field` is Pishkhan's name for it, `claim` the token's.
    Claim {
        field: &'static str,
        claim: String,
        problem: ClaimProblem,
    },
}

/// What is wrong with a claim.
#[derive(Debug)]
pub enum ClaimProblem {
    Missing,
    NotAString,
    Invalid(rules::identity::IdentityError),
}

impl OidcError {
    /// The field an error names and its message in English and Persian.
    pub fn describe(&self) -> (&'static str, String, String) {
        match self {
            OidcError::UnknownProvider => (
                "provider",
                "no sign-in provider with this id is configured.".into(),
                "ارائه‌دهندهٔ ورودی با این شناسه تنظیم نشده است.".into(),
            ),
            OidcError::ReturnTo(e) => ("return_to", e.message_en.clone(), e.message_fa.clone()),
            OidcError::State(check) => {
                let (en, fa) = match check {
                    StateCheck::Used => (
                        "state: this sign-in was already used; please sign in again.",
                        "state: این ورود پیش‌تر به کار رفته است؛ لطفاً دوباره وارد شوید.",
                    ),
                    StateCheck::Expired => (
                        "state: this sign-in took too long and expired; please sign in again.",
                        "state: مهلت این ورود گذشته است؛ لطفاً دوباره وارد شوید.",
                    ),
                    StateCheck::Unknown | StateCheck::Fresh(_) => (
                        "state: unknown sign-in; please sign in again.",
                        "state: این ورود شناخته نشد؛ لطفاً دوباره وارد شوید.",
                    ),
                };
                ("state", en.into(), fa.into())
            }
            OidcError::Denied(_) => (
                "error",
                "the sign-in was cancelled or refused at the provider.".into(),
                "ورود در سامانهٔ ارائه‌دهنده لغو یا رد شد.".into(),
            ),
            OidcError::Provider(_) => (
                "provider",
                "the sign-in provider could not be reached or refused this service; please try again later.".into(),
                "سامانهٔ ورود در دسترس نبود یا این سرویس را نپذیرفت؛ لطفاً بعداً تلاش کنید.".into(),
            ),
            OidcError::IdToken(_) => (
                "id_token",
                "the sign-in provider's answer could not be verified.".into(),
                "پاسخ سامانهٔ ورود قابل اعتبارسنجی نبود.".into(),
            ),
            OidcError::Claim {
                field,
                claim,
                problem,
            } => {
                let (en, fa) = match problem {
                    ClaimProblem::Missing => (
                        format!("the sign-in provider did not send the claim {claim:?}."),
                        format!("سامانهٔ ورود ادعای «{claim}» را نفرستاد."),
                    ),
                    ClaimProblem::NotAString => (
                        format!("the claim {claim:?} is not text."),
                        format!("ادعای «{claim}» متن نیست."),
                    ),
                    ClaimProblem::Invalid(e) => (
                        format!("the claim {claim:?}: {}", e.message_en()),
                        format!("ادعای «{claim}»: {}", e.message_fa()),
                    ),
                };
                (field, format!("{field}: {en}"), format!("{field}: {fa}"))
            }
        }
    }
}

/// Verifies an ID token (`raw`, compact JWS) with `verifier` and `nonce`, then reads the
/// identity from its claims through `names`.
pub fn verify_id_token(
    raw: &str,
    verifier: &CoreIdTokenVerifier<'_>,
    nonce: &Nonce,
    names: &ClaimNames,
    provider: &str,
) -> Result<VerifiedIdentity, OidcError> {
    let token: CoreIdToken = raw
        .parse()
        .map_err(|e| OidcError::IdToken(format!("not a JWT: {e}")))?;
    token
        .claims(verifier, nonce)
        .map_err(|e| OidcError::IdToken(e.to_string()))?;
    // The claims just verified, as JSON, to read the configured names from (custom claims and
    // standard ones alike).
    let payload = raw
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .ok_or_else(|| OidcError::IdToken("payload is not a JSON object".into()))?;
    identity_from_claims(&payload, names, provider)
}

/// The identity in verified claims.
pub fn identity_from_claims(
    claims: &Map<String, Value>,
    names: &ClaimNames,
    provider: &str,
) -> Result<VerifiedIdentity, OidcError> {
    let text = |field: &'static str, claim: &str| -> Result<Option<String>, OidcError> {
        match claims.get(claim) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(OidcError::Claim {
                field,
                claim: claim.to_owned(),
                problem: ClaimProblem::NotAString,
            }),
        }
    };
    let required = |field: &'static str, claim: &str| -> Result<String, OidcError> {
        text(field, claim)?.ok_or_else(|| OidcError::Claim {
            field,
            claim: claim.to_owned(),
            problem: ClaimProblem::Missing,
        })
    };
    let invalid = |field: &'static str, claim: &str| {
        let claim = claim.to_owned();
        move |e| OidcError::Claim {
            field,
            claim,
            problem: ClaimProblem::Invalid(e),
        }
    };
    let national_id = NationalId::parse(&required("national_id", &names.national_id)?)
        .map_err(invalid("national_id", &names.national_id))?;
    let student_number = match &names.student_number {
        Some(claim) => Some(to_ascii_digits(required("student_number", claim)?.trim()))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| OidcError::Claim {
                field: "student_number",
                claim: claim.clone(),
                problem: ClaimProblem::Missing,
            })
            .map(Some)?,
        None => None,
    };
    let mobile = match &names.mobile {
        Some(claim) => {
            Some(Mobile::parse(&required("mobile", claim)?).map_err(invalid("mobile", claim))?)
        }
        None => None,
    };
    Ok(VerifiedIdentity {
        provider: provider.to_owned(),
        national_id,
        student_number,
        mobile,
    })
}

#[cfg(test)]
mod tests {
    //! ID tokens minted here with test-only RSA keys (`oidc_test_key*.pem`, never used elsewhere)
    //! and verified against a JWKS holding the first key's public half.

    use openidconnect::core::{
        CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
    };
    use openidconnect::{JsonWebKeyId, PrivateSigningKey};
    use serde_json::json;

    use super::*;

    const ISSUER: &str = "https://sso.example.ac.ir/realms/students";
    const CLIENT: &str = "pishkhan";
    const NONCE: &str = "the-nonce";

    fn key(pem: &str) -> CoreRsaPrivateSigningKey {
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("k1".into()))).unwrap()
    }

    fn provider(claims: ClaimNames) -> Provider {
        Provider {
            id: "university".into(),
            name_fa: "دانشگاه".into(),
            name_en: "University".into(),
            issuer: IssuerUrl::new(ISSUER.into()).unwrap(),
            client_id: ClientId::new(CLIENT.into()),
            client_secret: ClientSecret::new("secret".into()),
            scopes: vec!["openid".into()],
            redirect_uri: format!("https://pishkhan.example.ac.ir{CALLBACK_PATH}"),
            post_logout_redirect_uri: "https://pishkhan.example.ac.ir/".into(),
            processes: vec!["withdrawal".into()],
            universities: None,
            claims,
        }
    }

    fn all_claims() -> ClaimNames {
        ClaimNames {
            national_id: "national_id".into(),
            student_number: Some("student_number".into()),
            mobile: Some("phone_number".into()),
        }
    }

    fn now() -> i64 {
        crate::domain::clock::now_unix()
    }

    /// Good claims, to be spoiled by each test.
    fn claims() -> Value {
        json!({
            "iss": ISSUER, "aud": CLIENT, "sub": "student", "nonce": NONCE,
            "iat": now(), "exp": now() + 300,
            "national_id": "0084575948", "student_number": "۹۸۱۲۳۴۵۶", "phone_number": "+989121234567",
        })
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A compact JWS of `claims`, RS256, signed with `pem`.
    fn mint(claims: &Value, pem: &str) -> String {
        let header = b64(br#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#);
        let input = format!("{header}.{}", b64(claims.to_string().as_bytes()));
        let signature = key(pem)
            .sign(
                &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                input.as_bytes(),
            )
            .unwrap();
        format!("{input}.{}", b64(&signature))
    }

    fn verify(token: &str, names: ClaimNames) -> Result<VerifiedIdentity, OidcError> {
        let p = provider(names);
        let jwks = CoreJsonWebKeySet::new(vec![key(KEY).as_verification_key()]);
        verify_id_token(
            token,
            &p.verifier(jwks),
            &Nonce::new(NONCE.into()),
            &p.claims,
            &p.id,
        )
    }

    const KEY: &str = include_str!("oidc_test_key.pem");
    const OTHER_KEY: &str = include_str!("oidc_test_key2.pem");

    fn refused_token(token: &str) -> String {
        match verify(token, all_claims()) {
            Err(OidcError::IdToken(detail)) => detail,
            other => panic!("expected the ID token refused, got {other:?}"),
        }
    }

    #[test]
    fn a_good_token_gives_the_identity() {
        let identity = verify(&mint(&claims(), KEY), all_claims()).unwrap();
        assert_eq!(identity.provider, "university");
        assert_eq!(identity.national_id.as_str(), "0084575948");
        assert_eq!(identity.student_number.as_deref(), Some("98123456"));
        assert_eq!(identity.mobile.unwrap().as_str(), "09121234567");
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let token = mint(&claims(), KEY);
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut other = claims();
        other["national_id"] = json!("0012345679");
        parts[1] = b64(other.to_string().as_bytes());
        let detail = refused_token(&parts.join("."));
        assert!(detail.contains("Signature"), "{detail}");
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        refused_token(&mint(&claims(), OTHER_KEY));
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let header = b64(br#"{"alg":"none"}"#);
        let token = format!("{header}.{}.", b64(claims().to_string().as_bytes()));
        refused_token(&token);
    }

    #[test]
    fn wrong_audience_issuer_nonce_or_expiry_are_refused() {
        let spoil = |key: &str, value: Value| {
            let mut c = claims();
            c[key] = value;
            refused_token(&mint(&c, KEY))
        };
        assert!(spoil("aud", json!("another-client")).contains("audiences"));
        assert!(spoil("aud", json!(["another-client"])).contains("audiences"));
        assert!(spoil("iss", json!("https://evil.example")).contains("issuer"));
        assert!(spoil("nonce", json!("another-nonce")).contains("nonce"));
        assert!(spoil("exp", json!(now() - 600)).contains("Expired"));
        let mut no_nonce = claims();
        no_nonce.as_object_mut().unwrap().remove("nonce");
        assert!(refused_token(&mint(&no_nonce, KEY)).contains("nonce"));
    }

    #[test]
    fn a_missing_or_invalid_claim_is_named() {
        let mut c = claims();
        c.as_object_mut().unwrap().remove("national_id");
        match verify(&mint(&c, KEY), all_claims()) {
            Err(
                e @ OidcError::Claim {
                    problem: ClaimProblem::Missing,
                    ..
                },
            ) => {
                let (field, en, _fa) = e.describe();
                assert_eq!(field, "national_id");
                assert!(en.contains("\"national_id\""), "{en}");
            }
            other => panic!("{other:?}"),
        }
        let mut c = claims();
        c["national_id"] = json!("0084575949");
        assert!(matches!(
            verify(&mint(&c, KEY), all_claims()),
            Err(OidcError::Claim {
                field: "national_id",
                problem: ClaimProblem::Invalid(_),
                ..
            })
        ));
        let mut c = claims();
        c["national_id"] = json!(84575948);
        assert!(matches!(
            verify(&mint(&c, KEY), all_claims()),
            Err(OidcError::Claim {
                problem: ClaimProblem::NotAString,
                ..
            })
        ));
        let mut c = claims();
        c.as_object_mut().unwrap().remove("student_number");
        assert!(matches!(
            verify(&mint(&c, KEY), all_claims()),
            Err(OidcError::Claim {
                field: "student_number",
                problem: ClaimProblem::Missing,
                ..
            })
        ));
        // A national provider names no student number or mobile: none is asked for.
        let identity = verify(&mint(&c, KEY), ClaimNames::default()).unwrap();
        assert_eq!(identity.student_number, None);
        assert_eq!(identity.mobile, None);
    }

    #[test]
    fn return_to_is_a_path_of_this_site() {
        assert_eq!(return_to(None).unwrap(), "/");
        assert_eq!(
            return_to(Some("/requests/new?x=1")).unwrap(),
            "/requests/new?x=1"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "evil",
            "",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            let e = return_to(Some(bad)).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("return_to"), "{bad:?}");
        }
        assert!(return_to(Some(&format!("/{}", "a".repeat(600)))).is_err());
    }

    /// The example of docs/signin.md, as written there.
    fn docs_example() -> String {
        let doc = include_str!("../../../docs/signin.md");
        let start = doc
            .find("```toml\n")
            .expect("docs/signin.md has a toml example")
            + 8;
        let end = start + doc[start..].find("```").unwrap();
        doc[start..end].to_owned()
    }

    #[test]
    fn the_documented_example_is_a_valid_configuration() {
        let dir = std::env::temp_dir().join(format!("pishkhan-oidc-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("university-sso.secret"), "from-a-file\n").unwrap();
        std::fs::write(dir.join("national-signin.secret"), "another\n").unwrap();
        let providers = parse_config(&docs_example(), &dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(providers.len(), 2);
        let university = provider_for(&providers, "withdrawal").unwrap();
        assert_eq!(university.client_secret.secret(), "from-a-file");
        assert_eq!(
            (university.name_fa.as_str(), university.name_en.as_str()),
            ("سامانهٔ یکپارچهٔ دانشگاه", "University single sign-on")
        );
        assert!(university.redirect_uri.ends_with(CALLBACK_PATH));
        assert_eq!(
            provider_for(&providers, "clearance").unwrap().id,
            university.id
        );
        assert_ne!(
            provider_for(&providers, "exemption").unwrap().id,
            university.id
        );
    }

    #[test]
    fn a_bad_configuration_names_the_provider_and_key() {
        let one = |extra: &str| {
            format!(
                "[[oidc.providers]]\nid = \"uni\"\nissuer = \"https://sso.example\"\n\
                 client_id = \"c\"\nredirect_base = \"https://pishkhan.example\"\n\
                 processes = [\"withdrawal\"]\n{extra}"
            )
        };
        let err = |text: &str| parse_config(text, Path::new(".")).unwrap_err();
        let ok = parse_config(&one("client_secret = \"s\""), Path::new(".")).unwrap();
        // Unnamed, the provider is shown by its id; after the RP-initiated logout, the person
        // comes back to the start page.
        assert_eq!(
            (ok[0].name_fa.as_str(), ok[0].name_en.as_str()),
            ("uni", "uni")
        );
        assert_eq!(ok[0].post_logout_redirect_uri, "https://pishkhan.example/");
        assert!(err(&one("client_secret = \"s\"\nname_en = \" \"")).contains("name_en"));
        assert!(err(&one("")).contains("client_secret"));
        assert!(
            err(&one("client_secret = \"s\"\nclient_secret_file = \"f\"")).contains("exactly one")
        );
        assert!(err(&one("client_secret = \"s\"\nscopes = [\"profile\"]")).contains("scopes"));
        assert!(err(&one("client_secret = \"s\"\nsurprise = 1")).contains("surprise"));
        let twice = format!(
            "{}\n{}",
            one("client_secret = \"s\""),
            one("client_secret = \"s\"")
        );
        assert!(err(&twice).contains("used twice"));
        let bad_base = one("client_secret = \"s\"")
            .replace("https://pishkhan.example", "https://pishkhan.example/app");
        assert!(err(&bad_base).contains("redirect_base"));
        let bad_process =
            one("client_secret = \"s\"").replace("[\"withdrawal\"]", "[\"everything\"]");
        assert!(err(&bad_process).contains("processes"));
        for bad in ["[]", "[\"Sharif U\"]"] {
            let text = one(&format!("client_secret = \"s\"\nuniversities = {bad}"));
            assert!(err(&text).contains("universities"), "{bad}");
        }
    }

    #[test]
    fn each_university_has_its_provider_per_process_and_a_national_one_serves_every_university() {
        let provider = |id: &str, universities: &str| {
            format!(
                "[[oidc.providers]]\nid = \"{id}\"\nissuer = \"https://sso.example\"\n\
                 client_id = \"c\"\nclient_secret = \"s\"\n\
                 redirect_base = \"https://pishkhan.example\"\n\
                 processes = [\"withdrawal\"]\n{universities}\n"
            )
        };
        let config = |ps: &[String]| parse_config(&ps.concat(), Path::new("."));
        let a = provider("a", "universities = [\"ut\"]");
        let b = provider("b", "universities = [\"sharif\", \"tabriz\"]");
        let national = provider("national", "");
        let two = config(&[a.clone(), b.clone()]).unwrap();
        assert!(two[0].serves("ut") && !two[0].serves("sharif"));
        assert_eq!(two[0].only_university(), Some("ut"));
        assert_eq!(two[1].only_university(), None);
        assert!(check_universities(&two, &["default", "ut", "sharif", "tabriz"]).is_ok());
        let unknown = check_universities(&two, &["default", "ut", "sharif"]).unwrap_err();
        assert!(
            unknown.contains("\"b\"") && unknown.contains("tabriz"),
            "{unknown}"
        );
        // Two providers of one process at one university, or beside a national one: refused.
        let also_ut = provider("c", "universities = [\"tabriz\", \"ut\"]");
        assert!(config(&[a.clone(), also_ut])
            .unwrap_err()
            .contains("same university"));
        assert!(config(&[a, national.clone()])
            .unwrap_err()
            .contains("same university"));
        let only = config(&[national]).unwrap();
        assert!(only[0].serves("anything") && only[0].only_university().is_none());
    }
}
