//! Sending the SMS of the notification outbox: a `Sender` trait (one attempt's outcome explicit:
//! sent, retry later, give up; and a sent message's delivery status), the development sender
//! that appends each message to `<data-dir>/sms.log` (`serve --sms-log`), and the task that
//! drains the outbox (woken by every move, and every few seconds for retries, which wait with
//! exponential backoff), asks the provider for the delivery status of sent messages, and erases
//! the digits of codes that expired unsent. The real gateways are `services::sms`.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::domain::codes::CODE_SECONDS;
use crate::domain::sms::{backoff_seconds, Attempt, Delivery};
use crate::store::workflow::Outgoing;
use crate::store::Store;

/// A future a [`Sender`] returns (boxed: senders are used as `dyn Sender`).
pub type SendFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that delivers an SMS (an SMS gateway in production).
pub trait Sender: Send + Sync + 'static {
    /// One attempt at delivering one message.
    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a, Attempt>;

    /// The delivery status of sent messages by the provider's ids (those it answers for); an
    /// error leaves them to be asked again. By default a sender reports none.
    fn delivery<'a>(
        &'a self,
        _provider_ids: &'a [String],
    ) -> SendFuture<'a, Result<Vec<(String, Delivery)>, String>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// How the outbox task treats failures and delivery statuses (`[sms]` of `pishkhan.toml`, or
/// the defaults with `--sms-log`).
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// The first retry's wait in seconds (doubling after each further failure).
    pub retry_base_seconds: i64,
    /// Attempts after which a message that keeps failing is given up.
    pub max_attempts: i64,
    /// How often a sent message's delivery status is asked, in seconds.
    pub status_poll_seconds: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            retry_base_seconds: 30,
            max_attempts: 10,
            status_poll_seconds: 300,
        }
    }
}

impl Policy {
    /// The round's longest sleep: 5 s, or less when retries or polls are due sooner.
    fn tick(&self) -> Duration {
        let seconds = 5.min(self.retry_base_seconds).min(self.status_poll_seconds);
        Duration::from_secs(seconds.max(1) as u64)
    }
}

/// Delivery statuses are asked for messages sent within this many seconds (3 days); older ones
/// still `pending` stay so.
const DELIVERY_HORIZON_SECONDS: i64 = 3 * 24 * 3600;

/// Appends one JSON line per message to a file: the demo's and the tests' "SMS centre", for
/// development only (it holds the codes as sent).
pub struct LogSender {
    pub path: PathBuf,
}

impl LogSender {
    fn append(&self, m: &Outgoing) -> std::io::Result<()> {
        let line = json!({"id": m.id, "to": m.mobile, "kind": m.kind, "text": m.message_fa,
                          "tracking_code": m.tracking_code});
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        // One write of the whole line: a reader of the log never sees half of it.
        file.write_all(format!("{line}\n").as_bytes())?;
        file.sync_data()
    }
}

impl Sender for LogSender {
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a, Attempt> {
        Box::pin(async move {
            match self.append(m) {
                Ok(()) => Attempt::Sent { provider_id: None },
                Err(e) => Attempt::Retry(format!("sms.log: {e}")),
            }
        })
    }
}

/// Sends what is queued until the process ends (with no sender, nothing): at once when woken,
/// else every few seconds. Each round erases the digits of the codes queued longer ago than a
/// code lives (they can no longer be used, and were not sent), and asks for the delivery status
/// of sent messages that are due.
pub async fn run(
    store: Store,
    sender: Option<Arc<dyn Sender>>,
    policy: Policy,
    wake: Arc<tokio::sync::Notify>,
) {
    loop {
        let expired = crate::domain::clock::now_unix() - CODE_SECONDS;
        if let Err(e) = store.forget_code_secrets(expired).await {
            tracing::error!(error = %e, "notification outbox: erasing expired codes");
        }
        if let Some(sender) = &sender {
            if let Err(e) = drain(&store, sender.as_ref(), &policy).await {
                tracing::error!(error = %e, "notification outbox");
            }
            if let Err(e) = poll_deliveries(&store, sender.as_ref(), &policy).await {
                tracing::error!(error = %e, "notification outbox: delivery statuses");
            }
        }
        let _ = tokio::time::timeout(policy.tick(), wake.notified()).await;
    }
}

/// Makes one attempt at every queued message that is due, and records each outcome: sent,
/// retried after a backoff (given up after `policy.max_attempts`), or given up. The number
/// sent.
pub async fn drain(
    store: &Store,
    sender: &dyn Sender,
    policy: &Policy,
) -> crate::store::StoreResult<usize> {
    let queued = store
        .claim_notifications(crate::domain::clock::now_unix(), 100)
        .await?;
    let mut sent = 0;
    for message in &queued {
        let attempt = if message.mobile.is_some() {
            sender.send(message).await
        } else {
            // Nobody to send to (no mobile, or SMS declined): kept in the log page.
            Attempt::Sent { provider_id: None }
        };
        let attempts = message.attempts + 1;
        let attempt = match attempt {
            Attempt::Retry(error) if attempts >= policy.max_attempts => {
                Attempt::GiveUp(format!("{error} (given up after {attempts} attempts)"))
            }
            other => other,
        };
        // Only the row id and the outcome's kind: never a mobile, a text or a URL.
        match &attempt {
            Attempt::Sent { .. } => sent += 1,
            Attempt::Retry(error) => {
                tracing::warn!(notification = message.id, error = %error, "SMS: tried again later")
            }
            Attempt::GiveUp(error) => {
                tracing::error!(notification = message.id, error = %error, "SMS: given up")
            }
        }
        let now = crate::domain::clock::now_unix();
        let retry_at = now + backoff_seconds(policy.retry_base_seconds, attempts);
        store
            .record_attempt(message.id, now, &attempt, retry_at)
            .await?;
    }
    Ok(sent)
}

/// Asks the sender for the delivery status of sent messages still `pending` and not asked
/// within `policy.status_poll_seconds`, and records what it answers.
pub async fn poll_deliveries(
    store: &Store,
    sender: &dyn Sender,
    policy: &Policy,
) -> crate::store::StoreResult<usize> {
    let now = crate::domain::clock::now_unix();
    let due = store
        .deliveries_to_check(
            now - policy.status_poll_seconds,
            now - DELIVERY_HORIZON_SECONDS,
            100,
        )
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = due.iter().map(|(_, p)| p.clone()).collect();
    let statuses = match sender.delivery(&ids).await {
        Ok(statuses) => statuses,
        Err(e) => {
            tracing::warn!(error = %e, "SMS: delivery statuses not read");
            return Ok(0);
        }
    };
    let mut recorded = 0;
    for (row, provider_id) in &due {
        // A message the provider did not answer for stays pending, asked again next time.
        let delivery = statuses
            .iter()
            .find(|(p, _)| p == provider_id)
            .map_or(Delivery::Pending, |(_, d)| *d);
        store.record_delivery(*row, delivery, now).await?;
        recorded += usize::from(delivery != Delivery::Pending);
    }
    Ok(recorded)
}
