//! The in-memory drafts store: the same operations as the IndexedDB store, used when IndexedDB
//! is unavailable (private mode, quota, blocked storage). Lost on reload, so the app warns.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::{next_revision, StoreError};
use super::model::{attachment_prefix, migrate, sort_recent_first, Draft, DraftList};

/// Submissions waiting to be sent (JSON, keyed by draft id); a store of the database.
pub const OUTBOX: &str = "outbox";
/// Requests the server acknowledged (their receipts, JSON, keyed by tracking code).
pub const REQUESTS: &str = "requests";

/// Drafts by id, attachment contents (`B`: a `web_sys::Blob` in the browser) by key, and the
/// other stores' JSON values by (store, key).
#[derive(Clone, Debug)]
pub struct MemoryStore<B = Vec<u8>> {
    drafts: BTreeMap<String, Draft>,
    attachments: BTreeMap<String, B>,
    values: BTreeMap<(String, String), Value>,
}

impl<B> Default for MemoryStore<B> {
    fn default() -> Self {
        MemoryStore {
            drafts: BTreeMap::new(),
            attachments: BTreeMap::new(),
            values: BTreeMap::new(),
        }
    }
}

impl<B: Clone> MemoryStore<B> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the draft with its revision incremented and returns the stored copy; refuses with
    /// [`StoreError::Conflict`] when the stored revision is newer than `draft.revision`.
    pub fn put_draft(&mut self, draft: &Draft) -> Result<Draft, StoreError> {
        let stored = self.drafts.get(&draft.id).map(|d| d.revision);
        let mut written = draft.clone();
        written.revision = next_revision(stored, draft.revision)?;
        self.drafts.insert(written.id.clone(), written.clone());
        Ok(written)
    }

    /// Brings in a draft of any schema version (an imported file), migrated, as a write.
    pub fn import(&mut self, value: Value) -> Result<Draft, StoreError> {
        let mut draft = migrate(value)?;
        draft.revision = self.drafts.get(&draft.id).map_or(0, |d| d.revision);
        self.put_draft(&draft)
    }

    pub fn get_draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        Ok(self.drafts.get(id).cloned())
    }

    /// All drafts, last edited first.
    pub fn list_drafts(&self) -> Result<DraftList, StoreError> {
        let mut drafts: Vec<Draft> = self.drafts.values().cloned().collect();
        sort_recent_first(&mut drafts);
        Ok(DraftList {
            drafts,
            unreadable: Vec::new(),
        })
    }

    /// Deletes the draft and its attachments (those it names and any under its key prefix).
    pub fn delete_draft(&mut self, id: &str) -> Result<(), StoreError> {
        if let Some(draft) = self.drafts.remove(id) {
            for a in &draft.attachments {
                self.attachments.remove(&a.key);
            }
        }
        let prefix = attachment_prefix(id);
        self.attachments.retain(|key, _| !key.starts_with(&prefix));
        Ok(())
    }

    pub fn put_attachment(&mut self, key: &str, blob: B) -> Result<(), StoreError> {
        self.attachments.insert(key.to_owned(), blob);
        Ok(())
    }

    pub fn get_attachment(&self, key: &str) -> Result<Option<B>, StoreError> {
        Ok(self.attachments.get(key).cloned())
    }

    /// Forgets everything (kiosk mode).
    pub fn clear_all(&mut self) -> Result<(), StoreError> {
        self.drafts.clear();
        self.attachments.clear();
        self.values.clear();
        Ok(())
    }

    pub fn put_value(&mut self, store: &str, key: &str, value: &Value) -> Result<(), StoreError> {
        self.values
            .insert((store.to_owned(), key.to_owned()), value.clone());
        Ok(())
    }

    pub fn all_values(&self, store: &str) -> Result<Vec<Value>, StoreError> {
        Ok(self
            .values
            .iter()
            .filter(|((s, _), _)| s == store)
            .map(|(_, v)| v.clone())
            .collect())
    }

    pub fn delete_value(&mut self, store: &str, key: &str) -> Result<(), StoreError> {
        self.values.remove(&(store.to_owned(), key.to_owned()));
        Ok(())
    }

    /// See the IndexedDB store's `finish_submission`.
    pub fn finish_submission(
        &mut self,
        draft_id: &str,
        tracking_code: &str,
        receipt: &Value,
    ) -> Result<(), StoreError> {
        self.put_value(REQUESTS, tracking_code, receipt)?;
        self.delete_value(OUTBOX, draft_id)?;
        self.delete_draft(draft_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::drafts::model::{attachment_key, AttachmentMeta};

    fn draft(id: &str, at: f64) -> Draft {
        let mut d = Draft::new(id, "exemption", at);
        d.answers.set("national_id", "0012345678".into());
        d
    }

    #[test]
    fn put_get_list_delete() {
        let mut store = MemoryStore::<Vec<u8>>::new();
        let a = store.put_draft(&draft("a", 1.0)).unwrap();
        assert_eq!(a.revision, 1);
        store.put_draft(&draft("b", 2.0)).unwrap();
        assert_eq!(store.get_draft("a").unwrap(), Some(a.clone()));
        assert_eq!(store.get_draft("zz").unwrap(), None);
        let ids: Vec<_> = store
            .list_drafts()
            .unwrap()
            .drafts
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(ids, ["b", "a"]);
        store.delete_draft("a").unwrap();
        assert_eq!(store.get_draft("a").unwrap(), None);
        assert_eq!(store.list_drafts().unwrap().drafts.len(), 1);
    }

    #[test]
    fn stale_write_is_a_conflict() {
        let mut store = MemoryStore::<Vec<u8>>::new();
        let first = store.put_draft(&draft("a", 1.0)).unwrap();
        let mut tab1 = first.clone();
        let mut tab2 = first.clone();
        tab1.answers.set("mobile", "0912".into());
        let saved = store.put_draft(&tab1).unwrap();
        assert_eq!(saved.revision, 2);
        tab2.answers.set("mobile", "0935".into());
        assert_eq!(
            store.put_draft(&tab2),
            Err(StoreError::Conflict {
                stored_revision: 2,
                yours: 1
            })
        );
        assert_eq!(
            store.get_draft("a").unwrap().unwrap().answers.get("mobile"),
            "0912"
        );
        // Saving on top of what is stored works.
        assert_eq!(store.put_draft(&saved).unwrap().revision, 3);
    }

    #[test]
    fn attachments_go_with_their_draft_and_clear_all_empties() {
        let mut store = MemoryStore::<Vec<u8>>::new();
        let key = attachment_key("a", "withdrawal_form", 0);
        let orphan = attachment_key("a", "card", 0);
        store.put_attachment(&key, b"%PDF".to_vec()).unwrap();
        store.put_attachment(&orphan, b"x".to_vec()).unwrap();
        store.put_attachment("b/card/0", b"y".to_vec()).unwrap();
        let mut a = draft("a", 1.0);
        a.attachments.push(AttachmentMeta {
            field: "withdrawal_form".into(),
            file_name: "f.pdf".into(),
            mime: "application/pdf".into(),
            size: 4,
            key: key.clone(),
        });
        store.put_draft(&a).unwrap();
        assert_eq!(store.get_attachment(&key).unwrap(), Some(b"%PDF".to_vec()));
        store.delete_draft("a").unwrap();
        assert_eq!(store.get_attachment(&key).unwrap(), None);
        assert_eq!(store.get_attachment(&orphan).unwrap(), None);
        assert!(store.get_attachment("b/card/0").unwrap().is_some());
        store.put_draft(&draft("c", 1.0)).unwrap();
        store.clear_all().unwrap();
        assert!(store.list_drafts().unwrap().drafts.is_empty());
        assert_eq!(store.get_attachment("b/card/0").unwrap(), None);
    }

    #[test]
    fn import_migrates() {
        let mut store = MemoryStore::<Vec<u8>>::new();
        let v1 = serde_json::json!({
            "id": "old", "kind": "clearance", "answers": {"submitted": "1403/1/2"},
            "created_at_ms": 1.0, "updated_at_ms": 2.0
        });
        let d = store.import(v1).unwrap();
        assert_eq!(d.revision, 1);
        assert_eq!(d.answers.get("submitted.month"), "1");
        assert!(matches!(
            store.import(serde_json::json!({"schema_version": 9})),
            Err(StoreError::Migrate(_))
        ));
    }
}
