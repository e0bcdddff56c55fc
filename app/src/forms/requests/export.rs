//! Drafts as files, for when the browser's storage fails (or to move a draft to another
//! device): "save the draft to a file" downloads one JSON file with the draft and its attached
//! files (base64); "open a draft from a file" reads it back (any schema version, migrated).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

use crate::forms::requests::editor::Editor;
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::texts::FormTexts;

/// The `format` of an export file.
pub const FORMAT: &str = "pishkhan-draft";

/// An attached file in an export: its key, type and bytes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExportedFile {
    pub key: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// The export file's JSON.
pub fn envelope(draft: Value, files: &[ExportedFile]) -> Value {
    let files: Map<String, Value> = files
        .iter()
        .map(|f| {
            (
                f.key.clone(),
                json!({"media_type": f.media_type, "base64": STANDARD.encode(&f.bytes)}),
            )
        })
        .collect();
    json!({"format": FORMAT, "draft": draft, "files": files})
}

/// A draft file read back: the draft's JSON (any version) and its files. A bare draft (no
/// envelope) is accepted too.
pub fn read_envelope(value: Value) -> Result<(Value, Vec<ExportedFile>), String> {
    let Some(object) = value.as_object() else {
        return Err("not a JSON object".into());
    };
    if object.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Ok((value, Vec::new()));
    }
    let draft = object.get("draft").cloned().ok_or("no draft in the file")?;
    let mut files = Vec::new();
    if let Some(map) = object.get("files").and_then(Value::as_object) {
        for (key, f) in map {
            let bytes = f
                .get("base64")
                .and_then(Value::as_str)
                .and_then(|b| STANDARD.decode(b).ok())
                .ok_or_else(|| format!("file {key} is not base64"))?;
            let media_type = f
                .get("media_type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            files.push(ExportedFile {
                key: key.clone(),
                media_type,
                bytes,
            });
        }
    }
    Ok((draft, files))
}

/// Downloads the open draft (saved first) as a file.
#[component]
pub fn ExportButton() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let export = move |_| {
        editor.save_now();
        let Some(mut draft) = editor.draft.get_untracked() else {
            return;
        };
        draft.answers = editor.answers.get_untracked();
        draft.attachments =
            crate::forms::requests::editor::attachments_of(&draft.id, &draft.answers);
        #[cfg(target_arch = "wasm32")]
        leptos::task::spawn_local(browser::download(editor, draft));
        #[cfg(not(target_arch = "wasm32"))]
        let _ = draft;
    };
    view! {
        <button type="button" class="button button--secondary" data-export-draft="" on:click=export>
            {move || FormTexts::of(lang.get()).export_draft}
        </button>
    }
}

/// Reads a draft file into the storage and opens it.
#[component]
pub fn ImportInput() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let problem = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                let navigate = navigate.clone();
                leptos::task::spawn_local(async move {
                    match browser::import(editor, file).await {
                        Ok(href) => navigate(&href, Default::default()),
                        Err(e) => problem.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (ev, editor, &navigate);
    };
    view! {
        <div class="field import-draft">
            <label for="import-draft" class="button button--secondary">
                {move || FormTexts::of(lang.get()).import_draft}
            </label>
            <input id="import-draft" name="import_draft" class="visually-hidden" type="file" accept="application/json,.json" on:change=on_change />
            {move || problem.get().map(|p| view! {
                <p class="field-error" role="alert">{FormTexts::of(lang.get()).import_failed} " " <bdi>{p}</bdi></p>
            })}
        </div>
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_futures::JsFuture;

    use super::{envelope, read_envelope, ExportedFile};
    use crate::forms::drafts::Draft;
    use crate::forms::requests::editor::Editor;
    use crate::forms::requests::opening::resume_target;
    use crate::shell::request_forms::flow::RequestForm;

    pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    pub async fn download(editor: Editor, draft: Draft) {
        let Some(store) = editor.store() else { return };
        let mut files = Vec::new();
        for a in &draft.attachments {
            if let Ok(Some(blob)) = store.get_attachment(&a.key).await {
                if let Ok(bytes) = blob_bytes(&blob).await {
                    files.push(ExportedFile {
                        key: a.key.clone(),
                        media_type: a.mime.clone(),
                        bytes,
                    });
                }
            }
        }
        let text = envelope(draft.to_json(), &files).to_string();
        let name = format!(
            "pishkhan-{}-{}.json",
            draft.kind,
            &draft.id[..8.min(draft.id.len())]
        );
        crate::shell::download::save_text(&name, "application/json", &text);
    }

    /// Reads a draft file into the storage; the path of its resume page.
    pub async fn import(editor: Editor, file: web_sys::File) -> Result<String, String> {
        let store = editor.store().ok_or("storage is not open")?;
        let text = JsFuture::from(file.text())
            .await
            .map_err(|e| format!("{e:?}"))?
            .as_string()
            .unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let (draft, files) = read_envelope(value)?;
        let draft = store.import(draft).await.map_err(|e| e.to_string())?;
        for f in files {
            let bytes = js_sys::Uint8Array::from(f.bytes.as_slice());
            let parts = js_sys::Array::of1(&bytes);
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(&f.media_type);
            let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
                .map_err(|e| format!("{e:?}"))?;
            store
                .put_attachment(&f.key, &blob)
                .await
                .map_err(|e| e.to_string())?;
        }
        let form = RequestForm::from_slug(&draft.kind).ok_or("unknown kind of request")?;
        Ok(resume_target(form, &draft.answers).href(form, &draft.id))
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::blob_bytes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_round_trip_and_bare_drafts_are_accepted() {
        let files = vec![ExportedFile {
            key: "d/withdrawal_form/0".into(),
            media_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 \x00\xff".to_vec(),
        }];
        let draft = json!({"id": "d", "kind": "withdrawal"});
        let (back, got) = read_envelope(envelope(draft.clone(), &files)).unwrap();
        assert_eq!(back, draft);
        assert_eq!(got, files);
        let (bare, none) = read_envelope(draft.clone()).unwrap();
        assert_eq!(bare, draft);
        assert!(none.is_empty());
        assert!(read_envelope(json!([1])).is_err());
        assert!(read_envelope(json!({"format": FORMAT})).is_err());
    }
}
