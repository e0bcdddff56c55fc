//! The drafts storage the pages use: IndexedDB when the browser allows it, else (private mode,
//! blocked storage, a full quota) the in-memory store, with the reason kept so the page can
//! warn. One handle, cheap to clone, shared by every page of the forms bundle.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;

use super::error::StoreError;
use super::memory::MemoryStore;
use super::model::{Draft, DraftList};
#[cfg(target_arch = "wasm32")]
use super::store::DraftStore;

/// Why drafts are kept in memory only (the page says so and offers export).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StorageWarning {
    /// IndexedDB is missing or refused (private mode, blocked storage).
    Unavailable,
    /// The storage quota is full.
    Full,
    /// Another storage failure.
    Other,
}

impl StorageWarning {
    pub fn from_error(e: &StoreError) -> StorageWarning {
        match e {
            StoreError::Unavailable(_) => StorageWarning::Unavailable,
            StoreError::Quota => StorageWarning::Full,
            _ => StorageWarning::Other,
        }
    }
}

#[derive(Clone)]
enum Backend {
    #[cfg(target_arch = "wasm32")]
    Idb(Rc<DraftStore>),
    Memory(Rc<RefCell<MemoryStore<web_sys::Blob>>>),
}

/// The drafts storage of this page.
#[derive(Clone)]
pub struct Store(Rc<RefCell<Backend>>);

impl Store {
    /// A store kept in memory only.
    pub fn memory() -> Store {
        Store(Rc::new(RefCell::new(Backend::Memory(Rc::default()))))
    }

    /// Opens IndexedDB (and asks the browser to keep it under storage pressure); when that is
    /// refused, the memory store and the reason.
    pub async fn open() -> (Store, Option<StorageWarning>) {
        #[cfg(target_arch = "wasm32")]
        {
            match DraftStore::open().await {
                Ok(db) => {
                    leptos::task::spawn_local(async {
                        super::store::request_persistence().await;
                    });
                    (
                        Store(Rc::new(RefCell::new(Backend::Idb(Rc::new(db))))),
                        None,
                    )
                }
                Err(e) => (Store::memory(), Some(StorageWarning::from_error(&e))),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            (Store::memory(), Some(StorageWarning::Unavailable))
        }
    }

    fn backend(&self) -> Backend {
        self.0.borrow().clone()
    }

    pub fn in_memory(&self) -> bool {
        matches!(self.backend(), Backend::Memory(_))
    }

    /// From now on, keeps drafts in memory (after IndexedDB failed a write). What was stored
    /// before stays in IndexedDB; the caller writes the draft it holds again.
    pub fn fall_back_to_memory(&self) {
        if !self.in_memory() {
            *self.0.borrow_mut() = Backend::Memory(Rc::default());
        }
    }

    pub async fn put_draft(&self, draft: &Draft) -> Result<Draft, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.put_draft(draft).await,
            Backend::Memory(m) => m.borrow_mut().put_draft(draft),
        }
    }

    pub async fn get_draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.get_draft(id).await,
            Backend::Memory(m) => m.borrow().get_draft(id),
        }
    }

    pub async fn list_drafts(&self) -> Result<DraftList, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.list_drafts().await,
            Backend::Memory(m) => m.borrow().list_drafts(),
        }
    }

    pub async fn delete_draft(&self, id: &str) -> Result<(), StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.delete_draft(id).await,
            Backend::Memory(m) => m.borrow_mut().delete_draft(id),
        }
    }

    pub async fn import(&self, value: Value) -> Result<Draft, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.import(value).await,
            Backend::Memory(m) => m.borrow_mut().import(value),
        }
    }

    pub async fn put_value(&self, store: &str, key: &str, value: &Value) -> Result<(), StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.put_value(store, key, value).await,
            Backend::Memory(m) => m.borrow_mut().put_value(store, key, value),
        }
    }

    pub async fn all_values(&self, store: &str) -> Result<Vec<Value>, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.all_values(store).await,
            Backend::Memory(m) => m.borrow().all_values(store),
        }
    }

    pub async fn delete_value(&self, store: &str, key: &str) -> Result<(), StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.delete_value(store, key).await,
            Backend::Memory(m) => m.borrow_mut().delete_value(store, key),
        }
    }

    /// Stores the receipt and deletes the outbox entry, the draft and its files, at once.
    pub async fn finish_submission(
        &self,
        draft_id: &str,
        tracking_code: &str,
        receipt: &Value,
    ) -> Result<(), StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.finish_submission(draft_id, tracking_code, receipt).await,
            Backend::Memory(m) => {
                m.borrow_mut()
                    .finish_submission(draft_id, tracking_code, receipt)
            }
        }
    }

    pub async fn put_attachment(&self, key: &str, blob: &web_sys::Blob) -> Result<(), StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.put_attachment(key, blob).await,
            Backend::Memory(m) => m.borrow_mut().put_attachment(key, blob.clone()),
        }
    }

    pub async fn get_attachment(&self, key: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        match self.backend() {
            #[cfg(target_arch = "wasm32")]
            Backend::Idb(db) => db.get_attachment(key).await,
            Backend::Memory(m) => m.borrow().get_attachment(key),
        }
    }
}
