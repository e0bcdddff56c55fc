//! Submitting finished drafts (issue 5): "submit" puts the draft's request into the outbox with
//! a fresh idempotency key; a sender posts it when it can — online and signed in (issue 12) — on
//! load, once signed in, when the browser comes back online, on a timer with backoff, on "retry
//! now"; the draft goes only once the server's receipt is stored. A session that ended leaves the
//! entry waiting for the next sign-in. `model` is the plain data, `sender` the browser part,
//! `pages` "my requests" and the printable receipt, `receipt` which request that receipt shows.

pub mod model;
pub mod pages;
pub mod receipt;
#[cfg(target_arch = "wasm32")]
pub mod sender;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::forms::drafts::memory::OUTBOX;
use crate::forms::drafts::DraftStatus;
use crate::forms::requests::editor::{new_id, Editor};
use crate::forms::signin::Session;
use crate::shell::request_forms::flow::RequestForm;
use model::OutboxEntry;

/// The outbox's shared state: a version bumped whenever the outbox or the receipts change (the
/// pages re-read them), and the retry timer.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub version: RwSignal<u64>,
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    timer: StoredValue<Option<TimeoutHandle>>,
    /// A run is going on; another was asked for meanwhile.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    running: StoredValue<bool>,
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    again: StoredValue<bool>,
    /// "Retry now" was asked: the next run makes every waiting submission due first.
    due_now: StoredValue<bool>,
    editor: Editor,
    pub session: Session,
}

impl Outbox {
    /// Provides the outbox and starts sending: once the storage is open, once signed in,
    /// whenever the browser comes back online, and when a retry is due.
    pub fn provide(editor: Editor, session: Session) -> Outbox {
        let outbox = Outbox {
            version: RwSignal::new(0),
            timer: StoredValue::new(None),
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            due_now: StoredValue::new(false),
            editor,
            session,
        };
        provide_context(outbox);
        Effect::new(move |_| {
            if editor.ready.get() {
                outbox.run();
            }
        });
        // Signed in (here, or back from a provider): what waits is sent at once.
        Effect::watch(
            move || session.is_signed_in(),
            move |signed_in, _, _| {
                if *signed_in {
                    outbox.retry_now();
                } else {
                    outbox.version.update(|v| *v += 1);
                }
            },
            false,
        );
        let online = window_event_listener_untyped("online", move |_| outbox.retry_now());
        on_cleanup(move || online.remove());
        outbox
    }

    pub fn get() -> Outbox {
        expect_context::<Outbox>()
    }

    /// Sends what is due (signed in), refreshes the statuses, and sets the timer for the next
    /// retry. One run at a time: asked while one runs, it runs once more after it.
    pub fn run(&self) {
        #[cfg(target_arch = "wasm32")]
        {
            let Some(store) = self.editor.store() else {
                return;
            };
            if self.running.get_value() {
                self.again.set_value(true);
                return;
            }
            self.running.set_value(true);
            let outbox = *self;
            let session = self.session;
            spawn_local(async move {
                if outbox.due_now.get_value() {
                    outbox.due_now.set_value(false);
                    for value in store.all_values(OUTBOX).await.unwrap_or_default() {
                        if let Ok(mut e) = serde_json::from_value::<OutboxEntry>(value) {
                            if e.state == model::OutboxState::Queued {
                                e.next_attempt_ms = 0.0;
                                let _ = store.put_value(OUTBOX, &e.draft_id, &e.to_json()).await;
                            }
                        }
                    }
                }
                let online = crate::shell::storage::online();
                if online && session.unknown() {
                    session.check().await;
                }
                // Only signed in; a 401 asks the server again (a new sign-in elsewhere brings
                // a new CSRF token: sent once more with it), else the session has ended.
                if let Some(csrf) = session.csrf() {
                    if sender::run(&store, &csrf).await.is_err() {
                        session.check().await;
                        match session.csrf() {
                            Some(fresh) if fresh != csrf => {
                                let _ = sender::run(&store, &fresh).await;
                            }
                            Some(_) => session.ended(),
                            None => {}
                        }
                    }
                }
                outbox.version.update(|v| *v += 1);
                if online && sender::refresh(&store, session.is_signed_in_untracked()).await {
                    outbox.version.update(|v| *v += 1);
                }
                if let Some(handle) = outbox.timer.get_value() {
                    handle.clear();
                }
                // Retries are timed only while signed in; a sign-in sends at once.
                let due = match session.csrf() {
                    Some(_) => sender::next_due(&store).await,
                    None => None,
                };
                if let Some(due) = due {
                    let wait = (due - crate::shell::clock::now_ms()).max(0.0) as u64;
                    let handle = set_timeout_with_handle(
                        move || outbox.run(),
                        std::time::Duration::from_millis(wait),
                    )
                    .ok();
                    outbox.timer.set_value(handle);
                }
                outbox.running.set_value(false);
                if outbox.again.get_value() {
                    outbox.again.set_value(false);
                    outbox.run();
                }
            });
        }
    }

    /// Makes every waiting submission due now and sends (after the run going on, if one is: a
    /// failure it writes must not undo this).
    pub fn retry_now(&self) {
        self.due_now.set_value(true);
        self.run();
    }

    /// Submits the open draft (already checked): it is stored as ready, its request queued with
    /// a fresh idempotency key, the editor closed, and `then` called (to show "my requests").
    pub fn submit(&self, form: &'static RequestForm, then: impl FnOnce() + 'static) {
        let editor = self.editor;
        let Some(store) = editor.store() else { return };
        let Some(mut draft) = editor.draft.get_untracked() else {
            return;
        };
        draft.answers = editor.answers.get_untracked();
        draft.attachments =
            crate::forms::requests::editor::attachments_of(&draft.id, &draft.answers);
        draft.status = DraftStatus::Ready;
        draft.updated_at_ms = crate::shell::clock::now_ms();
        let entry = OutboxEntry::new(form, &draft, new_id(), crate::shell::clock::now_ms());
        editor.close();
        let outbox = *self;
        spawn_local(async move {
            // The draft stays (ready) until the receipt is stored.
            let _ = store.put_draft(&draft).await;
            if store
                .put_value(OUTBOX, &entry.draft_id, &entry.to_json())
                .await
                .is_ok()
            {
                outbox.run();
            }
            then();
        });
    }
}

/// The outbox entry of a draft, if it has one.
pub async fn entry_of(editor: Editor, draft_id: &str) -> Option<OutboxEntry> {
    let store = editor.store()?;
    store
        .all_values(OUTBOX)
        .await
        .ok()?
        .into_iter()
        .filter_map(|v| serde_json::from_value::<OutboxEntry>(v).ok())
        .find(|e| e.draft_id == draft_id)
}
