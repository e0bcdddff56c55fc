//! The API's bodies: every request and answer of `/api/v1/*` as a serde type, shared by the
//! server (which builds its answers from them) and the app bundles (which read them). Labels come
//! from `rules::workflow::labels` through [`Labelled`]. With the feature `openapi`, [`openapi`]
//! generates the whole OpenAPI 3.1 document from these types.
//!
//! Request bodies keep every field an `Option`, as the server reads them, so that a missing one
//! is named in its error; the OpenAPI document says which are required.

pub mod applicant;
pub mod common;
pub mod error;
pub mod labelled;
pub mod oidc;
pub mod requests;
pub mod signin;
pub mod staff;

pub use error::{ErrorBody, ErrorDetail, FieldError};
pub use labelled::{Labelled, LabelledAction, LabelledRole, LabelledState};
#[cfg(feature = "openapi")]
pub mod openapi;
