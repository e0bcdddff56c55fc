//! Sign-in by OpenID Connect (issue 12): the queries of `GET /api/v1/signin/oidc/{provider}/start`
//! and of its callback, `GET /api/v1/signin/oidc/callback`. Both answer with redirects, so there
//! is no answer body here.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/signin/oidc/{provider}/start` query.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OidcStartQuery {
    /// Where to go back after signing in: a path of this site (`/…`, not `//…`); the start page
    /// when missing.
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 512, pattern = "^/([^/\\\\][^\\\\]*)?$")
    )]
    pub return_to: Option<String>,
    /// `true` at a shared kiosk: the provider is asked to sign the person in afresh
    /// (`prompt=login`, `max_age=0`) whatever session it still holds.
    pub fresh: Option<bool>,
}

/// `GET /api/v1/signin/oidc/callback` query, as the provider sends the person back: `state` and
/// `code` (and `iss`, RFC 9207), or `state` and `error` when the sign-in was cancelled or
/// refused.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OidcCallbackQuery {
    #[cfg_attr(feature = "openapi", param(required = true, value_type = String, min_length = 1))]
    pub state: Option<String>,
    pub code: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}
