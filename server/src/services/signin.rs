//! What happens once a person's identity is verified (by OpenID Connect today): the seam where
//! the person's session will begin. For now it only records, without any personal data, that a
//! sign-in succeeded.

use crate::domain::oidc::VerifiedIdentity;
use crate::store::{Store, StoreError};

/// SEAM (issue 12): called once per successful sign-in, before the redirect back to
/// `return_to`. The person-session work replaces this body (a `person_sessions` row and the
/// `pishkhan_person` cookie, which the route will then set from what this returns). Today it
/// logs the provider and which claims came, never their values.
pub async fn identity_verified(
    _store: &Store,
    identity: &VerifiedIdentity,
) -> Result<(), StoreError> {
    tracing::info!(
        provider = %identity.provider,
        student_number = identity.student_number.is_some(),
        mobile = identity.mobile.is_some(),
        "sign-in verified"
    );
    Ok(())
}
