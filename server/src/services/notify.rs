//! Sending the SMS of the notification outbox: a `Sender` trait, the development sender that
//! appends each message to `<data-dir>/sms.log` (`serve --sms-log`; a real deployment needs a
//! real SMS gateway, issue 16), and the task that drains the outbox (woken by every move, and
//! every few seconds for retries) and erases the digits of codes that expired unsent.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::domain::codes::CODE_SECONDS;
use crate::store::workflow::Outgoing;
use crate::store::Store;

/// Something that delivers an SMS (an SMS gateway in production).
pub trait Sender: Send + Sync + 'static {
    /// Delivers one message; an error is retried later.
    fn send(&self, message: &Outgoing) -> Result<(), String>;
}

/// Appends one JSON line per message to a file: the demo's and the tests' "SMS centre", for
/// development only (it holds the codes as sent).
pub struct LogSender {
    pub path: PathBuf,
}

impl Sender for LogSender {
    fn send(&self, m: &Outgoing) -> Result<(), String> {
        let line = json!({"id": m.id, "to": m.mobile, "kind": m.kind, "text": m.message_fa,
                          "tracking_code": m.tracking_code});
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| e.to_string())?;
        // One write of the whole line: a reader of the log never sees half of it.
        file.write_all(format!("{line}\n").as_bytes())
            .map_err(|e| e.to_string())?;
        file.sync_data().map_err(|e| e.to_string())
    }
}

/// Sends what is queued until the process ends (with no sender, nothing): at once when woken,
/// else every 5 s. Each round erases the digits of the codes queued longer ago than a code
/// lives (they can no longer be used, and were not sent).
pub async fn run(store: Store, sender: Option<Arc<dyn Sender>>, wake: Arc<tokio::sync::Notify>) {
    loop {
        let expired = crate::domain::clock::now_unix() - CODE_SECONDS;
        if let Err(e) = store.forget_code_secrets(expired).await {
            tracing::error!(error = %e, "notification outbox: erasing expired codes");
        }
        if let Some(sender) = &sender {
            if let Err(e) = drain(&store, sender.as_ref()).await {
                tracing::error!(error = %e, "notification outbox");
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
    }
}

/// Sends every queued message once; a failure is recorded and retried on a later round.
pub async fn drain(store: &Store, sender: &dyn Sender) -> crate::store::StoreResult<usize> {
    let queued = store
        .claim_notifications(crate::domain::clock::now_unix(), 100)
        .await?;
    let mut sent = 0;
    for message in &queued {
        let result = if message.mobile.is_some() {
            sender.send(message)
        } else {
            Ok(()) // nobody to send to (no mobile, or SMS declined): kept in the log page
        };
        store
            .mark_notification(
                message.id,
                crate::domain::clock::now_unix(),
                result.as_ref().err(),
            )
            .await?;
        sent += usize::from(result.is_ok());
    }
    Ok(sent)
}
