//! Drafts of the request forms, kept so nothing typed is lost: the draft model and its schema
//! migrations (`model`), the typed storage error (`error`), the IndexedDB store (`store`, browser
//! only), the in-memory fallback (`memory`) and the cross-tab announcements (`sync`).

pub mod backend;
pub mod error;
pub mod memory;
pub mod model;
#[cfg(target_arch = "wasm32")]
pub mod store;
pub mod sync;

pub use error::StoreError;
pub use memory::MemoryStore;
pub use model::{
    migrate, AttachmentMeta, Draft, DraftList, DraftStatus, MigrateError, CURRENT_SCHEMA_VERSION,
};
