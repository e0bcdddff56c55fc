//! The IndexedDB drafts store (browser only): database `pishkhan` v1 with the object stores
//! `drafts` (JSON drafts by id, migrated on read) and `attachments` (Blobs by key); revision
//! checks on write, browser errors turned into [`StoreError`], and `navigator.storage.persist()`.

use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::{next_revision, StoreError};
use super::model::{
    attachment_keys, attachment_prefix, migrate, sort_recent_first, Draft, DraftList, Unreadable,
    CURRENT_SCHEMA_VERSION,
};

/// The database's name.
pub const DB_NAME: &str = "pishkhan";
/// The database's version (of its object stores, not of the drafts' schema): 1 had `drafts` and
/// `attachments`; 2 added `outbox` and `requests`.
pub const DB_VERSION: u8 = 2;
/// Drafts as JSON objects, keyed by draft id.
pub const DRAFTS: &str = "drafts";
/// Attachment Blobs, keyed by attachment key.
pub const ATTACHMENTS: &str = "attachments";
pub use super::memory::{OUTBOX, REQUESTS};

/// An open connection to the drafts database.
pub struct DraftStore {
    db: Database,
    _on_version_change: Closure<dyn FnMut()>,
}

impl std::fmt::Debug for DraftStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftStore").finish_non_exhaustive()
    }
}

fn dom_error(dom: &web_sys::DomException, opening: bool) -> StoreError {
    StoreError::from_dom(&dom.name(), &dom.message(), opening)
}

fn idb_error(e: IdbError) -> StoreError {
    match e {
        IdbError::DomException(d) => {
            let js: JsValue = d.into();
            dom_error(js.unchecked_ref(), false)
        }
        other => StoreError::Other(other.to_string()),
    }
}

fn open_error(e: OpenDbError) -> StoreError {
    match e {
        OpenDbError::UnsupportedEnvironment | OpenDbError::NullFactory => {
            StoreError::Unavailable(e.to_string())
        }
        OpenDbError::Base(IdbError::DomException(d)) => {
            let js: JsValue = d.into();
            dom_error(js.unchecked_ref(), true)
        }
        other => StoreError::Other(other.to_string()),
    }
}

/// Commits, naming the reason when the browser aborts the transaction (a full quota is
/// reported at commit time, as the transaction's error).
async fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    let sys: web_sys::IdbTransaction =
        AsRef::<web_sys::IdbTransaction>::as_ref(tx.as_sys()).clone();
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(e) => Err(match sys.error() {
            Some(dom) => dom_error(&dom, false),
            None => idb_error(e),
        }),
    }
}

/// A stored JS object → JSON.
fn from_js(value: &JsValue) -> Result<Value, StoreError> {
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|e| StoreError::Other(format!("{e:?}")))?
        .into();
    serde_json::from_str(&text).map_err(|e| StoreError::Other(e.to_string()))
}

/// JSON → a plain JS object to store (readable by any later version and by tests).
fn to_js(value: &Value) -> Result<JsValue, StoreError> {
    js_sys::JSON::parse(&value.to_string()).map_err(|e| StoreError::Other(format!("{e:?}")))
}

/// Deletes a draft and its attachments inside `tx` (which covers `drafts` and `attachments`):
/// those it names and any under its key prefix (stored before the draft was). Works on drafts
/// that cannot be migrated too.
async fn remove_draft(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    let drafts = tx.object_store(DRAFTS).map_err(idb_error)?;
    let attachments = tx.object_store(ATTACHMENTS).map_err(idb_error)?;
    let stored: Option<JsValue> = drafts
        .get::<JsValue, String, _>(id.to_owned())
        .primitive()
        .map_err(idb_error)?
        .await
        .map_err(idb_error)?;
    let named = stored
        .and_then(|v| from_js(&v).ok())
        .map(|v| attachment_keys(&v))
        .unwrap_or_default();
    for key in named {
        attachments
            .delete(key)
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
    }
    let prefix = attachment_prefix(id);
    // Every key starting with the prefix sorts below prefix + U+FFFF (UTF-16 order).
    let end = format!("{prefix}\u{FFFF}");
    attachments
        .delete(prefix..end)
        .primitive()
        .map_err(idb_error)?
        .await
        .map_err(idb_error)?;
    drafts
        .delete(id.to_owned())
        .primitive()
        .map_err(idb_error)?
        .await
        .map_err(idb_error)
}

impl DraftStore {
    /// Opens (and on first use creates) the database. [`StoreError::Unavailable`] when the
    /// browser has no IndexedDB or refuses it (some private modes).
    pub async fn open() -> Result<DraftStore, StoreError> {
        let db = Database::open(DB_NAME)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(DRAFTS).build()?;
                    db.create_object_store(ATTACHMENTS).build()?;
                }
                if event.old_version() < 2.0 {
                    db.create_object_store(OUTBOX).build()?;
                    db.create_object_store(REQUESTS).build()?;
                }
                Ok(())
            })
            .await
            .map_err(open_error)?;
        // A newer version of the app opening the database in another tab must not be blocked
        // by this connection: close it (this tab's later writes then fail loudly).
        let sys: web_sys::IdbDatabase = AsRef::<web_sys::IdbDatabase>::as_ref(db.as_sys()).clone();
        let on_version_change = Closure::<dyn FnMut()>::new({
            let sys = sys.clone();
            move || sys.close()
        });
        sys.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        Ok(DraftStore {
            db,
            _on_version_change: on_version_change,
        })
    }

    fn readwrite<'a>(&'a self, stores: &[&str]) -> Result<Transaction<'a>, StoreError> {
        self.db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(idb_error)
    }

    /// Stores the draft with its revision incremented and returns the stored copy. Refuses with
    /// [`StoreError::Conflict`] when the stored revision is newer than `draft.revision` (another
    /// tab saved since this copy was read), and with [`StoreError::Migrate`] when the stored
    /// value cannot be read (it is never overwritten blindly).
    pub async fn put_draft(&self, draft: &Draft) -> Result<Draft, StoreError> {
        let tx = self.readwrite(&[DRAFTS])?;
        let store = tx.object_store(DRAFTS).map_err(idb_error)?;
        let stored: Option<JsValue> = store
            .get::<JsValue, String, _>(draft.id.clone())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        let stored_revision = match stored {
            None => None,
            Some(v) => Some(migrate(from_js(&v)?)?.revision),
        };
        let mut written = draft.clone();
        written.schema_version = CURRENT_SCHEMA_VERSION;
        written.revision = next_revision(stored_revision, draft.revision)?;
        store
            .put(to_js(&written.to_json())?)
            .with_key(written.id.clone())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        drop(store);
        commit(tx).await?;
        Ok(written)
    }

    /// Brings in a draft of any schema version (an imported file), migrated, as a write over
    /// whatever is stored under its id.
    pub async fn import(&self, value: Value) -> Result<Draft, StoreError> {
        let mut draft = migrate(value)?;
        draft.revision = match self.get_draft(&draft.id).await {
            Ok(stored) => stored.map_or(0, |d| d.revision),
            Err(e) => return Err(e),
        };
        self.put_draft(&draft).await
    }

    /// The draft, read forward to the current schema; `None` when there is none.
    pub async fn get_draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        let tx = self.db.transaction(DRAFTS).build().map_err(idb_error)?;
        let store = tx.object_store(DRAFTS).map_err(idb_error)?;
        let stored: Option<JsValue> = store
            .get::<JsValue, String, _>(id.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        match stored {
            None => Ok(None),
            Some(v) => Ok(Some(migrate(from_js(&v)?)?)),
        }
    }

    /// All drafts, last edited first; stored values that cannot be read are listed apart.
    pub async fn list_drafts(&self) -> Result<DraftList, StoreError> {
        let tx = self.db.transaction(DRAFTS).build().map_err(idb_error)?;
        let store = tx.object_store(DRAFTS).map_err(idb_error)?;
        let keys = store
            .get_all_keys::<String>()
            .primitive()
            .map_err(idb_error)?;
        let values = store.get_all::<JsValue>().primitive().map_err(idb_error)?;
        let keys = keys.await.map_err(idb_error)?;
        let values = values.await.map_err(idb_error)?;
        let mut list = DraftList::default();
        for (key, value) in keys.zip(values) {
            let key = key.map_err(idb_error)?;
            let value = value.map_err(idb_error)?;
            match migrate(from_js(&value)?) {
                Ok(draft) => list.drafts.push(draft),
                Err(error) => list.unreadable.push(Unreadable { id: key, error }),
            }
        }
        sort_recent_first(&mut list.drafts);
        Ok(list)
    }

    /// Deletes the draft and its attachments: those it names and any under its key prefix
    /// (stored before the draft was). Works on drafts that cannot be migrated too.
    pub async fn delete_draft(&self, id: &str) -> Result<(), StoreError> {
        let tx = self.readwrite(&[DRAFTS, ATTACHMENTS])?;
        remove_draft(&tx, id).await?;
        commit(tx).await
    }

    /// Stores a file's contents under `key` (see [`super::model::attachment_key`]).
    pub async fn put_attachment(&self, key: &str, blob: &web_sys::Blob) -> Result<(), StoreError> {
        let tx = self.readwrite(&[ATTACHMENTS])?;
        let store = tx.object_store(ATTACHMENTS).map_err(idb_error)?;
        store
            .put(JsValue::from(blob.clone()))
            .with_key(key.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        drop(store);
        commit(tx).await
    }

    /// A file's contents, `None` when there is none under `key`.
    pub async fn get_attachment(&self, key: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        let tx = self
            .db
            .transaction(ATTACHMENTS)
            .build()
            .map_err(idb_error)?;
        let store = tx.object_store(ATTACHMENTS).map_err(idb_error)?;
        let stored: Option<JsValue> = store
            .get::<JsValue, String, _>(key.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        stored
            .map(|v| {
                v.dyn_into::<web_sys::Blob>()
                    .map_err(|_| StoreError::Other(format!("attachment {key} is not a Blob")))
            })
            .transpose()
    }

    /// Stores a JSON value under `key` in `store` (`OUTBOX` or `REQUESTS`).
    pub async fn put_value(&self, store: &str, key: &str, value: &Value) -> Result<(), StoreError> {
        let tx = self.readwrite(&[store])?;
        let os = tx.object_store(store).map_err(idb_error)?;
        os.put(to_js(value)?)
            .with_key(key.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        drop(os);
        commit(tx).await
    }

    /// Every JSON value of `store`.
    pub async fn all_values(&self, store: &str) -> Result<Vec<Value>, StoreError> {
        let tx = self.db.transaction(store).build().map_err(idb_error)?;
        let os = tx.object_store(store).map_err(idb_error)?;
        let values = os
            .get_all::<JsValue>()
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        values.map(|v| from_js(&v.map_err(idb_error)?)).collect()
    }

    /// Deletes `key` from `store`.
    pub async fn delete_value(&self, store: &str, key: &str) -> Result<(), StoreError> {
        let tx = self.readwrite(&[store])?;
        let os = tx.object_store(store).map_err(idb_error)?;
        os.delete(key.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        drop(os);
        commit(tx).await
    }

    /// A submission acknowledged by the server, in one transaction: its receipt is stored under
    /// its tracking code, and its outbox entry, draft and attachments are deleted.
    pub async fn finish_submission(
        &self,
        draft_id: &str,
        tracking_code: &str,
        receipt: &Value,
    ) -> Result<(), StoreError> {
        let tx = self.readwrite(&[DRAFTS, ATTACHMENTS, OUTBOX, REQUESTS])?;
        let requests = tx.object_store(REQUESTS).map_err(idb_error)?;
        requests
            .put(to_js(receipt)?)
            .with_key(tracking_code.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        let outbox = tx.object_store(OUTBOX).map_err(idb_error)?;
        outbox
            .delete(draft_id.to_owned())
            .primitive()
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
        drop((requests, outbox));
        remove_draft(&tx, draft_id).await?;
        commit(tx).await
    }

    /// Deletes every draft and attachment of this database (kiosk mode's wipe).
    pub async fn clear_all(&self) -> Result<(), StoreError> {
        let tx = self.readwrite(&[DRAFTS, ATTACHMENTS])?;
        for name in [DRAFTS, ATTACHMENTS] {
            let store = tx.object_store(name).map_err(idb_error)?;
            store.clear().map_err(idb_error)?.await.map_err(idb_error)?;
        }
        commit(tx).await
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }
}

/// Asks the browser to keep this site's storage under pressure (`navigator.storage.persist()`);
/// whether it was granted, `false` when it could not be asked.
pub async fn request_persistence() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let storage = match js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")) {
        Ok(v) if !v.is_undefined() && !v.is_null() => v,
        _ => return false,
    };
    let storage: web_sys::StorageManager = storage.unchecked_into();
    let Ok(promise) = storage.persist() else {
        return false;
    };
    matches!(
        JsFuture::from(promise).await.map(|v| v.as_bool()),
        Ok(Some(true))
    )
}
