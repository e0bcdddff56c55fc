//! Sending a one-time code, for the applicant's request and for a roster person's sign-in alike:
//! six fresh digits, stored by their MAC under the server's key with the owner's earlier codes
//! retired, and the SMS queued in the notification outbox (its message masked, the digits kept
//! apart until it is sent), in one transaction (the caller wakes the sender).

use crate::domain::codes::{code_sms, new_code, CODE_SECONDS};
use crate::domain::secret::SecretKey;
use crate::store::applicant::{CodeFor, NewSms};
use crate::store::{Store, StoreResult};

/// Sends a new code to `mobile` for `owner`; `what_fa` / `what_en` name it in the SMS ("sign-in
/// code", "one-time code for request …").
pub async fn send_code(
    store: &Store,
    key: &SecretKey,
    owner: CodeFor<'_>,
    mobile: &str,
    (what_fa, what_en): (&str, &str),
    now: i64,
) -> StoreResult<()> {
    let digits = new_code();
    let (message_fa, message_en) = code_sms(what_fa, what_en);
    store
        .new_code(
            owner,
            &owner.mac(key, &digits),
            &NewSms {
                mobile,
                message_fa: &message_fa,
                message_en: &message_en,
                code: &digits,
            },
            now,
            now + CODE_SECONDS,
        )
        .await
}
