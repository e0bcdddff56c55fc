//! The drafts store in headless Chromium: IndexedDB round trips, migration of a draft stored in
//! the previous format, stale writes refused, attachment Blobs, clearing, and BroadcastChannel.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use app::forms::drafts::model::{attachment_key, AttachmentMeta};
use app::forms::drafts::store::{request_persistence, DraftStore, DB_NAME, DB_VERSION, DRAFTS};
use app::forms::drafts::sync::{announce, listen};
use app::forms::drafts::{Draft, DraftStatus, StoreError, CURRENT_SCHEMA_VERSION};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

use common::wait_until;

wasm_bindgen_test_configure!(run_in_browser);

/// Writes a draft's JSON as is into IndexedDB, bypassing the store (an old or future format).
async fn write_raw(key: &str, json: &str) {
    let db = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .await
        .unwrap();
    let tx = db
        .transaction(DRAFTS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let raw_store = tx.object_store(DRAFTS).unwrap();
    raw_store
        .put(js_sys::JSON::parse(json).unwrap())
        .with_key(key.to_string())
        .primitive()
        .unwrap()
        .await
        .unwrap();
    drop(raw_store);
    tx.commit().await.unwrap();
    db.close();
}

fn draft(id: &str, kind: &str, at: f64) -> Draft {
    let mut d = Draft::new(id, kind, at);
    d.answers.set("national_id", "0012345678".into());
    d.answers.set("study_start.day", "15".into());
    d
}

#[wasm_bindgen_test]
async fn put_get_list_delete_round_trip() {
    let store = DraftStore::open().await.unwrap();
    let a = store
        .put_draft(&draft("rt-a", "exemption", 1000.0))
        .await
        .unwrap();
    assert_eq!(a.revision, 1);
    let mut b = draft("rt-b", "withdrawal", 2000.0);
    b.status = DraftStatus::Ready;
    let b = store.put_draft(&b).await.unwrap();

    assert_eq!(store.get_draft("rt-a").await.unwrap(), Some(a.clone()));
    assert_eq!(store.get_draft("rt-b").await.unwrap(), Some(b.clone()));
    assert_eq!(store.get_draft("rt-none").await.unwrap(), None);

    let list = store.list_drafts().await.unwrap();
    let ids: Vec<&str> = list
        .drafts
        .iter()
        .map(|d| d.id.as_str())
        .filter(|id| id.starts_with("rt-"))
        .collect();
    assert_eq!(ids, ["rt-b", "rt-a"], "last edited first");

    store.delete_draft("rt-a").await.unwrap();
    assert_eq!(store.get_draft("rt-a").await.unwrap(), None);
    let list = store.list_drafts().await.unwrap();
    assert!(list.drafts.iter().all(|d| d.id != "rt-a"));
    assert!(list.drafts.iter().any(|d| d.id == "rt-b"));
    store.delete_draft("rt-b").await.unwrap();
}

#[wasm_bindgen_test]
async fn a_draft_in_the_previous_format_is_read_migrated() {
    let store = DraftStore::open().await.unwrap();
    // Written raw, as version 1 of the app stored it: no schema_version, no revision, each
    // date one string (here in Persian digits).
    let v1 = r#"{
        "id": "v1-old",
        "kind": "exemption",
        "answers": {"national_id": "0012345678", "study_start": "۱۴۰۳/۰۷/۱۵", "level": "master"},
        "attachments": [],
        "created_at_ms": 1700000000000,
        "updated_at_ms": 1700000005000,
        "status": "in_progress"
    }"#;
    write_raw("v1-old", v1).await;

    let draft = store.get_draft("v1-old").await.unwrap().unwrap();
    assert_eq!(draft.schema_version, CURRENT_SCHEMA_VERSION);
    assert_eq!(draft.revision, 0);
    assert_eq!(draft.answers.get("study_start.year"), "1403");
    assert_eq!(draft.answers.get("study_start.month"), "07");
    assert_eq!(draft.answers.get("study_start.day"), "15");
    assert_eq!(draft.answers.get("national_id"), "0012345678");
    assert!(store
        .list_drafts()
        .await
        .unwrap()
        .drafts
        .iter()
        .any(|d| d.id == "v1-old"));
    // Saving it writes the current schema.
    let saved = store.put_draft(&draft).await.unwrap();
    assert_eq!(saved.revision, 1);
    assert_eq!(store.get_draft("v1-old").await.unwrap(), Some(saved));
    store.delete_draft("v1-old").await.unwrap();
}

#[wasm_bindgen_test]
async fn a_stale_write_is_a_conflict() {
    let store = DraftStore::open().await.unwrap();
    let first = store
        .put_draft(&draft("cf-a", "clearance", 1.0))
        .await
        .unwrap();
    let (mut tab1, mut tab2) = (first.clone(), first.clone());
    tab1.answers.set("reason", "expelled".into());
    let saved = store.put_draft(&tab1).await.unwrap();
    assert_eq!(saved.revision, 2);
    tab2.answers.set("reason", "withdrawn".into());
    assert_eq!(
        store.put_draft(&tab2).await,
        Err(StoreError::Conflict {
            stored_revision: 2,
            yours: 1
        })
    );
    let stored = store.get_draft("cf-a").await.unwrap().unwrap();
    assert_eq!(stored.answers.get("reason"), "expelled");
    assert_eq!(stored.revision, 2);
    store.delete_draft("cf-a").await.unwrap();
}

#[wasm_bindgen_test]
async fn an_attachment_blob_round_trips_and_goes_with_its_draft() {
    let store = DraftStore::open().await.unwrap();
    let bytes: &[u8] = b"%PDF-1.4 test \x00\x01\x02";
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    let key = attachment_key("at-a", "withdrawal_form", 0);
    store.put_attachment(&key, &blob).await.unwrap();

    let mut d = draft("at-a", "withdrawal", 1.0);
    d.attachments.push(AttachmentMeta {
        field: "withdrawal_form".into(),
        file_name: "form.pdf".into(),
        mime: "application/pdf".into(),
        size: bytes.len() as u64,
        key: key.clone(),
    });
    store.put_draft(&d).await.unwrap();

    let back = store.get_attachment(&key).await.unwrap().unwrap();
    assert_eq!(back.size() as usize, bytes.len());
    let buffer = JsFuture::from(back.array_buffer()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buffer).to_vec(), bytes);
    assert!(store.get_attachment("at-none").await.unwrap().is_none());

    store.delete_draft("at-a").await.unwrap();
    assert!(store.get_attachment(&key).await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn clear_all_empties_both_stores() {
    let store = DraftStore::open().await.unwrap();
    store
        .put_draft(&draft("cl-a", "exemption", 1.0))
        .await
        .unwrap();
    let blob = web_sys::Blob::new().unwrap();
    store.put_attachment("cl-a/card/0", &blob).await.unwrap();
    store.put_attachment("other/card/0", &blob).await.unwrap();
    store.clear_all().await.unwrap();
    let list = store.list_drafts().await.unwrap();
    assert!(list.drafts.is_empty() && list.unreadable.is_empty());
    assert!(store.get_attachment("cl-a/card/0").await.unwrap().is_none());
    assert!(store
        .get_attachment("other/card/0")
        .await
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn persistence_can_be_asked() {
    // Granted or not depends on the browser; asking must not fail.
    let _granted: bool = request_persistence().await;
}

#[wasm_bindgen_test]
async fn an_announcement_reaches_other_listeners_until_dropped() {
    let first = Rc::new(RefCell::new(Vec::new()));
    let second = Rc::new(RefCell::new(Vec::new()));
    let l1 = listen({
        let first = first.clone();
        move |id, rev| first.borrow_mut().push((id, rev))
    })
    .unwrap();
    let l2 = listen({
        let second = second.clone();
        move |id, rev| second.borrow_mut().push((id, rev))
    })
    .unwrap();

    announce("bc-a", 3).unwrap();
    wait_until("both listeners heard bc-a", 5_000.0, || {
        !first.borrow().is_empty() && !second.borrow().is_empty()
    })
    .await;
    assert_eq!(*first.borrow(), [("bc-a".to_string(), 3)]);
    assert_eq!(*second.borrow(), [("bc-a".to_string(), 3)]);

    drop(l1);
    announce("bc-b", 1).unwrap();
    // A message reaches the channels of one page in the order they were opened (HTML,
    // BroadcastChannel postMessage: destinations sorted by creation, one task source): `l2` was
    // opened after `l1`, so once `l2` has heard bc-b, `l1` would have heard it too.
    wait_until("the second listener heard bc-b", 5_000.0, || {
        second.borrow().len() == 2
    })
    .await;
    assert_eq!(second.borrow().len(), 2);
    assert_eq!(
        first.borrow().len(),
        1,
        "a dropped listener hears nothing more"
    );
    drop(l2);
}

#[wasm_bindgen_test]
async fn a_future_version_is_reported_not_dropped() {
    let store = DraftStore::open().await.unwrap();
    let mut future = draft("fv-a", "exemption", 1.0).to_json();
    future["schema_version"] = serde_json::json!(CURRENT_SCHEMA_VERSION + 1);
    write_raw("fv-a", &future.to_string()).await;

    assert!(matches!(
        store.get_draft("fv-a").await,
        Err(StoreError::Migrate(_))
    ));
    let list = store.list_drafts().await.unwrap();
    assert!(list.unreadable.iter().any(|u| u.id == "fv-a"));
    // Not overwritten blindly either.
    assert!(matches!(
        store.put_draft(&draft("fv-a", "exemption", 2.0)).await,
        Err(StoreError::Migrate(_))
    ));
    store.delete_draft("fv-a").await.unwrap();
    assert_eq!(store.get_draft("fv-a").await.unwrap(), None);
}
