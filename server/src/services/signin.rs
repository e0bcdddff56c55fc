//! What happens once an OpenID provider has vouched for a person: the person session begins —
//! the ID token's identity, with what the roster adds when it has the person (by national ID),
//! at the roster's university, else at the provider's one university if it serves one — and
//! the route sets its cookie. Only the provider and which claims came are logged, never their
//! values.

use crate::domain::accounts::{random_token, token_hash};
use crate::domain::oidc::{Provider, VerifiedIdentity};
use crate::domain::roster::{Identity, Person, SESSION_SECONDS};
use crate::store::roster::NewPersonSession;
use crate::store::{Store, StoreError};

/// Opens the person session of a verified identity (`source` oidc, its provider — the
/// configured one, whose universities say where a person the roster does not place belongs —
/// and where to end the provider's session at sign-out): the session's token, for the cookie,
/// and the person.
pub async fn identity_verified(
    store: &Store,
    identity: &VerifiedIdentity,
    provider: Option<&Provider>,
    end_session_url: Option<&str>,
    now: i64,
) -> Result<(String, Person), StoreError> {
    let roster = store
        .roster_person(&Identity::NationalId(identity.national_id.clone()))
        .await?;
    let provider_university = match provider.and_then(Provider::only_university) {
        Some(code) => store
            .universities()
            .await?
            .into_iter()
            .find(|u| u.code == code)
            .map(|u| u.id),
        None => None,
    };
    let token = random_token()?;
    let person = Person::from_oidc(
        identity,
        roster.as_ref(),
        provider_university,
        random_token()?,
        now + SESSION_SECONDS,
    );
    store
        .add_person_session(&NewPersonSession {
            token_sha256: &token_hash(&token),
            now,
            person: &person,
            end_session_url,
        })
        .await?;
    tracing::info!(
        provider = %identity.provider,
        student_number = identity.student_number.is_some(),
        mobile = identity.mobile.is_some(),
        on_roster = roster.is_some(),
        "sign-in verified"
    );
    Ok((token, person))
}
