//! One module per resource of the API, each a set of handlers that `http::app` routes. A route
//! module imports no other route module: what two of them share lives in `http/` (HTTP-ish)
//! or in `domain/`.

pub mod admin;
pub mod applicant;
pub mod art34;
pub mod attachments;
pub mod dashboard;
pub mod mine;
pub mod oidc;
pub mod payments;
pub mod requests;
pub mod roster;
pub mod second_factor;
pub mod signin;
pub mod staff;
pub mod staff_auth;
pub mod tools;
pub mod universities;
