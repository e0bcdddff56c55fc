//! The server as an OpenID Connect relying party (Authorization Code + PKCE S256, nonce, state):
//! each configured provider discovered on first use (and again after an hour), `begin` (the
//! provider's authorization URL, the sign-in stored single-use for ten minutes; a fresh sign-in
//! at a kiosk asks the provider to sign the person in again) and `finish` (the state consumed,
//! the code exchanged with the PKCE verifier, the ID token verified and read into a
//! `VerifiedIdentity`, and the provider's end-session URL for this sign-in, when it has one).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    reqwest, AuthorizationCode, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use sha2::{Digest, Sha256};

use crate::domain::oidc::{
    self, verify_id_token, OidcError, PendingLogin, Provider, StateCheck, VerifiedIdentity,
};
use crate::store::{Store, StoreError};

/// A provider's discovery document (and keys) is fetched again after this long, or at once when
/// an ID token's key is not among them (the provider rotated its keys).
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// Longest a request to a provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why `begin` or `finish` failed: the sign-in, or the store.
#[derive(Debug)]
pub enum SigninError {
    Oidc(OidcError),
    Store(StoreError),
}

impl From<OidcError> for SigninError {
    fn from(e: OidcError) -> SigninError {
        SigninError::Oidc(e)
    }
}

impl From<StoreError> for SigninError {
    fn from(e: StoreError) -> SigninError {
        SigninError::Store(e)
    }
}

/// What the callback brought back from the provider.
pub enum Callback<'a> {
    /// `code` (and `iss`, when the provider sends it: RFC 9207).
    Code { code: &'a str, iss: Option<&'a str> },
    /// `error` (`access_denied` when the person cancelled).
    Error(&'a str),
}

/// A sign-in that succeeded: who, where to go back to, and where to end the provider's session
/// at sign-out (RP-initiated logout: the provider's `end_session_endpoint` with this ID token as
/// `id_token_hint`, the client id and the post-logout redirect URI), if the provider offers it.
#[derive(Debug)]
pub struct Finished {
    pub identity: VerifiedIdentity,
    pub return_to: String,
    pub end_session_url: Option<String>,
}

/// A provider's discovery document, with its `end_session_endpoint` when it has one.
type Metadata = ProviderMetadataWithLogout;

/// The openidconnect client of a provider: the authorization and token endpoints (and the
/// userinfo one, if any) set from its discovery.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The configured providers and what was discovered about them.
pub struct Oidc {
    providers: Vec<Provider>,
    /// Made on first use (a failure is then the provider's error, not the server's start's).
    http: tokio::sync::OnceCell<reqwest::Client>,
    discovered: tokio::sync::Mutex<HashMap<String, (Arc<Metadata>, Instant)>>,
}

impl Oidc {
    /// The relying party of `providers` (none: every start is refused as an unknown provider).
    pub fn new(providers: Vec<Provider>) -> Oidc {
        Oidc {
            providers,
            http: Default::default(),
            discovered: Default::default(),
        }
    }

    /// The HTTP client for the providers: no redirects followed (they would open it to SSRF,
    /// openidconnect's advice), [`PROVIDER_TIMEOUT`].
    async fn http(&self) -> Result<&reqwest::Client, OidcError> {
        self.http
            .get_or_try_init(|| async {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(PROVIDER_TIMEOUT)
                    .build()
                    .map_err(|e| OidcError::Provider(format!("HTTP client: {}", chain(&e))))
            })
            .await
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    fn provider(&self, id: &str) -> Result<&Provider, OidcError> {
        self.providers
            .iter()
            .find(|p| p.id == id)
            .ok_or(OidcError::UnknownProvider)
    }

    /// The provider's discovery document: cached, or fetched when missing, older than
    /// [`DISCOVERY_TTL`] or `stale`.
    async fn metadata(&self, provider: &Provider, stale: bool) -> Result<Arc<Metadata>, OidcError> {
        let mut discovered = self.discovered.lock().await;
        if let Some((metadata, at)) = discovered.get(&provider.id) {
            if !stale && at.elapsed() < DISCOVERY_TTL {
                return Ok(metadata.clone());
            }
        }
        let metadata = Metadata::discover_async(provider.issuer.clone(), self.http().await?)
            .await
            .map_err(|e| {
                OidcError::Provider(format!(
                    "discovery of {}: {}",
                    provider.issuer.as_str(),
                    chain(&e)
                ))
            })?;
        let metadata = Arc::new(metadata);
        discovered.insert(provider.id.clone(), (metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    /// Starts a sign-in at `provider_id`: stores its state (by SHA-256), PKCE verifier, nonce and
    /// `return_to` for ten minutes, and answers the provider's authorization URL. `fresh` (a
    /// shared kiosk) asks the provider to sign the person in again whatever session it holds
    /// (`prompt=login`, `max_age=0`).
    pub async fn begin(
        &self,
        store: &Store,
        provider_id: &str,
        return_to: Option<&str>,
        fresh: bool,
        now: i64,
    ) -> Result<String, SigninError> {
        let provider = self.provider(provider_id)?;
        let return_to = oidc::return_to(return_to).map_err(OidcError::ReturnTo)?;
        let metadata = self.metadata(provider, false).await?;
        let client = client(provider, &metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in provider.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        if fresh {
            request = request
                .add_prompt(CoreAuthPrompt::Login)
                .set_max_age(Duration::ZERO);
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        store
            .add_oidc_login(&PendingLogin {
                state_sha256: state_sha256(state.secret()),
                provider: provider.id.clone(),
                pkce_verifier: verifier.secret().clone(),
                nonce: nonce.secret().clone(),
                return_to,
                created_at: now,
                expires_at: now + oidc::LOGIN_SECONDS,
            })
            .await?;
        Ok(url.to_string())
    }

    /// Ends a sign-in at its callback: the state is consumed first (a second callback with it is
    /// refused, whatever became of the first), then the code is exchanged with the PKCE verifier
    /// and the ID token verified against the provider's keys, issuer, this client, the nonce and
    /// the clock.
    pub async fn finish(
        &self,
        store: &Store,
        state: &str,
        callback: Callback<'_>,
        now: i64,
    ) -> Result<Finished, SigninError> {
        let login = match store.consume_oidc_login(&state_sha256(state), now).await? {
            StateCheck::Fresh(login) => *login,
            other => return Err(OidcError::State(other).into()),
        };
        // A provider removed from the configuration since the redirect is no longer trusted.
        let provider = self.provider(&login.provider)?;
        let (code, iss) = match callback {
            Callback::Code { code, iss } => (code, iss),
            Callback::Error(error) => return Err(OidcError::Denied(error.to_owned()).into()),
        };
        if iss.is_some_and(|iss| iss != provider.issuer.as_str()) {
            return Err(OidcError::Provider("the callback's iss is another issuer".into()).into());
        }
        let metadata = self.metadata(provider, false).await?;
        let client = client(provider, &metadata)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Provider(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier))
            .request_async(self.http().await?)
            .await
            .map_err(|e| OidcError::Provider(format!("token request: {}", chain(&e))))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::IdToken("the token answer has no id_token".into()))?;
        let raw = id_token.to_string();
        let nonce = Nonce::new(login.nonce);
        let verify = |metadata: &Metadata| {
            let verifier = provider.verifier(metadata.jwks().clone());
            verify_id_token(&raw, &verifier, &nonce, &provider.claims, &provider.id)
        };
        let identity = match verify(&metadata) {
            // The provider may have rotated its keys since they were fetched: once more with
            // fresh ones.
            Err(OidcError::IdToken(_)) => verify(&*self.metadata(provider, true).await?)?,
            other => other?,
        };
        let end_session_url = match &metadata.additional_metadata().end_session_endpoint {
            Some(endpoint) => {
                let back = PostLogoutRedirectUrl::new(provider.post_logout_redirect_uri.clone())
                    .map_err(|e| OidcError::Provider(format!("post_logout_redirect_uri: {e}")))?;
                let url = LogoutRequest::from(endpoint.clone())
                    .set_id_token_hint(id_token)
                    .set_client_id(provider.client_id.clone())
                    .set_post_logout_redirect_uri(back)
                    .http_get_url();
                Some(url.to_string())
            }
            None => None,
        };
        Ok(Finished {
            identity,
            return_to: login.return_to,
            end_session_url,
        })
    }
}

/// The openidconnect client of a provider, with its redirect URI.
fn client(provider: &Provider, metadata: &Metadata) -> Result<Client, OidcError> {
    let redirect = RedirectUrl::new(provider.redirect_uri.clone())
        .map_err(|e| OidcError::Provider(format!("redirect_uri: {e}")))?;
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        provider.client_id.clone(),
        Some(provider.client_secret.clone()),
    )
    .set_redirect_uri(redirect))
}

/// The stored form of a state: its SHA-256 (the state itself travels in URLs).
fn state_sha256(state: &str) -> String {
    crate::hex(&Sha256::digest(state.as_bytes()))
}

/// An error and its sources, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
