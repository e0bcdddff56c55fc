//! Sending a one-time code, for the applicant's request and for a roster person's sign-in alike:
//! six fresh digits, stored by their hash with the owner's earlier codes retired, and the SMS
//! queued in the notification outbox, in one transaction (the caller wakes the sender).

use crate::domain::codes::{code_hash, code_sms, new_code, CODE_SECONDS};
use crate::store::applicant::{CodeFor, NewSms};
use crate::store::{Store, StoreResult};

/// Sends a new code to `mobile` for `owner`; `what_fa` / `what_en` name it in the SMS ("sign-in
/// code", "one-time code for request …").
pub async fn send_code(
    store: &Store,
    owner: CodeFor<'_>,
    mobile: &str,
    what_fa: &str,
    what_en: &str,
    now: i64,
) -> StoreResult<()> {
    let digits = new_code();
    let (message_fa, message_en) = code_sms(what_fa, what_en, &digits);
    store
        .new_code(
            owner,
            &code_hash(&owner.hash_owner(), &digits),
            &NewSms {
                mobile,
                message_fa: &message_fa,
                message_en: &message_en,
            },
            now,
            now + CODE_SECONDS,
        )
        .await
}
