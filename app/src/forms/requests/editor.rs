//! The draft being edited, shared by the pages of a form: loading it, autosaving every change
//! (debounced, with a visible state), the other tabs' changes (taken in when this tab has none
//! unsaved, else a choice — never a silent overwrite), and falling back to memory with a warning
//! when the browser's storage fails.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::forms::drafts::backend::{StorageWarning, Store};
use crate::forms::drafts::model::attachment_key;
use crate::forms::drafts::{AttachmentMeta, Draft, DraftStatus, StoreError};
use crate::shell::form::{Answers, FILE_PARTS};

/// How long after the last keystroke a draft is saved.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);

/// What the page shows about saving (`data-save-state`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SaveState {
    /// Nothing to save yet.
    Idle,
    Saving,
    Saved,
    /// Saved, but in memory only (see the storage warning).
    SavedInMemory,
    Failed,
    /// Another tab saved this draft since this tab read it: the person chooses.
    Conflict,
}

impl SaveState {
    pub fn attr(self) -> &'static str {
        match self {
            SaveState::Idle => "idle",
            SaveState::Saving => "saving",
            SaveState::Saved => "saved",
            SaveState::SavedInMemory => "memory",
            SaveState::Failed => "failed",
            SaveState::Conflict => "conflict",
        }
    }
}

/// The shared state of the forms bundle: the storage and the open draft.
#[derive(Clone, Copy)]
pub struct Editor {
    store: StoredValue<Option<Store>, LocalStorage>,
    /// The storage is open (pages wait for it).
    pub ready: RwSignal<bool>,
    pub warning: RwSignal<Option<StorageWarning>>,
    /// The draft as last stored (or new, revision 0).
    pub draft: RwSignal<Option<Draft>>,
    /// What is typed, saved shortly after each change.
    pub answers: RwSignal<Answers>,
    pub state: RwSignal<SaveState>,
    /// Another tab's change was taken in.
    pub updated_elsewhere: RwSignal<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    saving: StoredValue<bool>,
}

/// The draft's attachments, as recorded in its answers (`<field>.sha256` …).
pub fn attachments_of(draft_id: &str, answers: &Answers) -> Vec<AttachmentMeta> {
    answers
        .0
        .keys()
        .filter_map(|k| k.strip_suffix(".sha256"))
        .filter(|field| !answers.get(&format!("{field}.sha256")).is_empty())
        .map(|field| {
            let part = |p: &str| answers.get(&format!("{field}.{p}")).to_owned();
            AttachmentMeta {
                field: field.to_owned(),
                file_name: part(FILE_PARTS[0]),
                mime: part(FILE_PARTS[1]),
                size: part(FILE_PARTS[2]).parse().unwrap_or(0),
                key: attachment_key(draft_id, field, 0),
            }
        })
        .collect()
}

/// The local-storage key of a draft's answers typed since its last save: written synchronously
/// on every change, so a reload or crash inside the save delay loses nothing; removed once
/// saved.
fn pending_key(draft_id: &str) -> String {
    format!("pishkhan.pending.{draft_id}")
}

/// Answers typed on top of revision `revision` and not yet saved.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    revision: u64,
    answers: Answers,
}

fn keep_pending(draft_id: &str, revision: u64, answers: &Answers) {
    if let Ok(json) = serde_json::to_string(&Pending {
        revision,
        answers: answers.clone(),
    }) {
        crate::shell::storage::local_set(&pending_key(draft_id), &json);
    }
}

/// The unsaved answers of a draft read at `revision`, if any were kept (and drops any kept on
/// top of another revision: another tab saved since, and its copy wins).
fn take_pending(draft_id: &str, revision: u64) -> Option<Answers> {
    let key = pending_key(draft_id);
    let pending: Pending = serde_json::from_str(&crate::shell::storage::local_get(&key)?).ok()?;
    if pending.revision == revision {
        Some(pending.answers)
    } else {
        crate::shell::storage::local_remove(&key);
        None
    }
}

/// A new random draft id (UUID v4 form).
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (js_random() * 256.0) as u8;
    }
    #[cfg(target_arch = "wasm32")]
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn js_random() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}

impl Editor {
    /// Opens the storage, provides the editor, and starts autosaving and listening to other tabs.
    pub fn provide() -> Editor {
        let editor = Editor {
            store: StoredValue::new_local(None),
            ready: RwSignal::new(false),
            warning: RwSignal::new(None),
            draft: RwSignal::new(None),
            answers: RwSignal::new(Answers::default()),
            state: RwSignal::new(SaveState::Idle),
            updated_elsewhere: RwSignal::new(false),
            timer: StoredValue::new(None),
            saving: StoredValue::new(false),
        };
        provide_context(editor);
        spawn_local(async move {
            let (store, warning) = Store::open().await;
            editor.store.set_value(Some(store));
            editor.warning.set(warning);
            editor.ready.set(true);
        });
        // Every change of the answers (not a load) is kept at once and saved shortly after.
        Effect::new(move |_| {
            editor.answers.with(|a| {
                editor.draft.with_untracked(|d| match d {
                    Some(d) if &d.answers != a => {
                        keep_pending(&d.id, d.revision, a);
                        editor.schedule_save();
                    }
                    _ => {}
                })
            });
        });
        // Leaving or hiding the page saves at once.
        let flush = move |_| editor.save_now();
        let hide = window_event_listener_untyped("pagehide", flush);
        let hidden = window_event_listener_untyped("visibilitychange", flush);
        on_cleanup(move || {
            hide.remove();
            hidden.remove();
        });
        editor.listen_to_other_tabs();
        editor
    }

    pub fn get() -> Editor {
        expect_context::<Editor>()
    }

    pub fn store(&self) -> Option<Store> {
        self.store.get_value()
    }

    /// Whether what is typed differs from what is stored.
    pub fn dirty(&self) -> bool {
        self.answers.with_untracked(|a| {
            self.draft
                .with_untracked(|d| d.as_ref().is_some_and(|d| &d.answers != a))
        })
    }

    /// [`Editor::dirty`], tracked (for views).
    pub fn dirty_tracked(&self) -> bool {
        self.answers.with(|a| {
            self.draft
                .with(|d| d.as_ref().is_some_and(|d| &d.answers != a))
        })
    }

    /// Opens draft `id` of `kind`: the stored one, or a new empty one (stored on the first
    /// change). Nothing happens when it is already open.
    pub fn open(&self, kind: &str, id: &str) {
        if self
            .draft
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.id == id))
        {
            return;
        }
        self.save_now();
        let Some(store) = self.store() else { return };
        let editor = *self;
        let (kind, id) = (kind.to_owned(), id.to_owned());
        self.draft.set(None);
        spawn_local(async move {
            let draft = match store.get_draft(&id).await {
                Ok(Some(d)) if d.kind == kind => d,
                Ok(_) => Draft::new(id, kind, crate::shell::clock::now_ms()),
                Err(e) => {
                    editor.warn(&e);
                    Draft::new(id, kind, crate::shell::clock::now_ms())
                }
            };
            // What was typed but not saved before a reload or crash comes back.
            let answers =
                take_pending(&draft.id, draft.revision).unwrap_or_else(|| draft.answers.clone());
            editor.answers.set(answers);
            editor.state.set(if draft.revision == 0 {
                SaveState::Idle
            } else {
                SaveState::Saved
            });
            editor.updated_elsewhere.set(false);
            editor.draft.set(Some(draft));
        });
    }

    fn warn(&self, e: &StoreError) {
        self.warning.set(Some(StorageWarning::from_error(e)));
    }

    fn schedule_save(&self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let editor = *self;
        let handle = set_timeout_with_handle(move || editor.save_now(), SAVE_DELAY).ok();
        self.timer.set_value(handle);
    }

    /// Saves now if anything changed (a save already running saves again when it ends).
    pub fn save_now(&self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        if !self.dirty() || self.state.get_untracked() == SaveState::Conflict {
            return;
        }
        self.write(None);
    }

    /// Lets go of the open draft (submitted): no save is pending any more, nothing is kept.
    pub fn close(&self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        if let Some(id) = self.draft_id() {
            crate::shell::storage::local_remove(&pending_key(&id));
        }
        self.draft.set(None);
        self.answers.set(Answers::default());
        self.state.set(SaveState::Idle);
    }

    fn write(&self, status: Option<DraftStatus>) {
        if self.saving.get_value() {
            // The running save writes again when it ends.
            if status.is_some() {
                self.draft.update_untracked(|d| {
                    if let Some(d) = d {
                        d.status = DraftStatus::Ready;
                    }
                });
            }
            return;
        }
        let Some(store) = self.store() else { return };
        let Some(mut draft) = self.draft.get_untracked() else {
            return;
        };
        let answers = self.answers.get_untracked();
        // A changed answer makes a ready draft a draft in progress again.
        draft.status = match status {
            Some(s) => s,
            None if draft.answers != answers => DraftStatus::InProgress,
            None => draft.status,
        };
        draft.attachments = attachments_of(&draft.id, &answers);
        draft.answers = answers;
        draft.updated_at_ms = crate::shell::clock::now_ms();
        self.saving.set_value(true);
        self.state.set(SaveState::Saving);
        let editor = *self;
        spawn_local(async move {
            let mut result = store.put_draft(&draft).await;
            if let Err(e) = &result {
                if !matches!(e, StoreError::Conflict { .. }) && !store.in_memory() {
                    // Keep working in memory, and say so.
                    editor.warn(e);
                    store.fall_back_to_memory();
                    let mut fresh = draft.clone();
                    fresh.revision = 0;
                    result = store.put_draft(&fresh).await;
                }
            }
            editor.saving.set_value(false);
            match result {
                Ok(written) => {
                    #[cfg(target_arch = "wasm32")]
                    let _ = crate::forms::drafts::sync::announce(&written.id, written.revision);
                    if editor.answers.with_untracked(|a| a == &written.answers) {
                        crate::shell::storage::local_remove(&pending_key(&written.id));
                    } else {
                        keep_pending(
                            &written.id,
                            written.revision,
                            &editor.answers.get_untracked(),
                        );
                    }
                    editor.draft.set(Some(written));
                    editor.state.set(if store.in_memory() {
                        SaveState::SavedInMemory
                    } else {
                        SaveState::Saved
                    });
                    // Typed while saving: save that too.
                    if editor.dirty() {
                        editor.schedule_save();
                    }
                }
                Err(StoreError::Conflict { .. }) => editor.state.set(SaveState::Conflict),
                Err(e) => {
                    editor.warn(&e);
                    editor.state.set(SaveState::Failed);
                }
            }
        });
    }

    /// The id of the open draft.
    pub fn draft_id(&self) -> Option<String> {
        self.draft
            .with_untracked(|d| d.as_ref().map(|d| d.id.clone()))
    }

    /// Reads draft `id` as stored and hands it to `then` (nothing when it cannot be read).
    fn with_stored(&self, id: String, then: impl FnOnce(Editor, Draft) + 'static) {
        let editor = *self;
        let Some(store) = self.store() else { return };
        spawn_local(async move {
            if let Ok(Some(stored)) = store.get_draft(&id).await {
                then(editor, stored);
            }
        });
    }

    /// Shows a stored copy: its answers replace what is typed here.
    fn take_in(&self, stored: Draft) {
        self.answers.set(stored.answers.clone());
        self.draft.set(Some(stored));
    }

    /// Conflict: take the stored version (this tab's unsaved answers are replaced).
    pub fn load_theirs(&self) {
        let Some(id) = self.draft_id() else { return };
        self.with_stored(id, |editor, stored| {
            editor.take_in(stored);
            editor.state.set(SaveState::Saved);
        });
    }

    /// Conflict: write this tab's answers over the stored version, knowingly.
    pub fn keep_mine(&self) {
        let Some(id) = self.draft_id() else { return };
        self.with_stored(id, |editor, stored| {
            editor.draft.update(|d| {
                if let Some(d) = d {
                    d.revision = stored.revision;
                    // Make sure it counts as changed, so it is written.
                    d.answers = stored.answers;
                }
            });
            editor.state.set(SaveState::Idle);
            editor.write(None);
        });
    }

    /// Another tab stored `id` at `revision`.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn other_tab_saved(&self, id: String, revision: u64) {
        let ours = self
            .draft
            .with_untracked(|d| d.as_ref().filter(|d| d.id == id).map(|d| d.revision));
        match ours {
            Some(r) if revision > r => {}
            _ => return,
        }
        if self.dirty() || self.saving.get_value() {
            self.state.set(SaveState::Conflict);
            return;
        }
        self.with_stored(id, |editor, stored| {
            editor.take_in(stored);
            editor.updated_elsewhere.set(true);
        });
    }

    fn listen_to_other_tabs(&self) {
        #[cfg(target_arch = "wasm32")]
        {
            let editor = *self;
            if let Ok(listener) = crate::forms::drafts::sync::listen(move |id, revision| {
                editor.other_tab_saved(id, revision)
            }) {
                let listener = StoredValue::new_local(Some(listener));
                on_cleanup(move || listener.set_value(None));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;

    #[test]
    fn attachments_come_from_the_answers() {
        let a = answers(&[
            ("withdrawal_form.file_name", "f.pdf"),
            ("withdrawal_form.media_type", "application/pdf"),
            ("withdrawal_form.size", "1200"),
            ("withdrawal_form.sha256", "ab"),
            ("notarised_undertaking.sha256", ""),
            ("faculty", "x"),
        ]);
        assert_eq!(
            attachments_of("d", &a),
            vec![AttachmentMeta {
                field: "withdrawal_form".into(),
                file_name: "f.pdf".into(),
                mime: "application/pdf".into(),
                size: 1200,
                key: "d/withdrawal_form/0".into(),
            }]
        );
    }

    #[test]
    fn ids_look_like_uuids() {
        let id = new_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
