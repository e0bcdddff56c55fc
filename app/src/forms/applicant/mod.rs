//! The applicant acting on their own request (issue 6, the student's side): a one-time code by
//! SMS opens a short session (its token kept in `sessionStorage` only), then the request's state
//! and timeline, and the actions offered — take a withdrawal back, file a justification, correct
//! a returned exemption (a draft marked `correction_of`, sent from its check page), pay the fee.
//! `model` is the plain data, `api` the calls, `panel` the sections, `texts` their words.

pub mod client;
pub mod correction;
pub mod model;
pub mod panel;
pub mod texts;

use model::Token;

/// The live token kept for this request, if any.
pub fn load_token(tracking_code: &str) -> Option<Token> {
    let text = crate::shell::storage::session_get(&model::token_key(tracking_code))?;
    serde_json::from_str::<Token>(&text)
        .ok()
        .filter(|t| t.live(crate::shell::clock::now_ms()))
}

pub fn keep_token(tracking_code: &str, token: &Token) {
    if let Ok(text) = serde_json::to_string(token) {
        crate::shell::storage::session_set(&model::token_key(tracking_code), &text);
    }
}

pub fn forget_token(tracking_code: &str) {
    crate::shell::storage::session_remove(&model::token_key(tracking_code));
}
