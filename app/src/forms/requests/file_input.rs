//! A file field of a request: the chosen file is checked (type from its first bytes, size
//! limit — `rules::attachment`), its SHA-256 computed, its bytes stored beside the draft, and its
//! reference (`<name>.file_name`, `.media_type`, `.size`, `.sha256`) kept in the answers.

use leptos::prelude::*;
use rules::attachment::{check_upload, AttachmentError};
use sha2::{Digest, Sha256};

use crate::forms::requests::editor::Editor;
use crate::shell::components::field_input::{message, Labels};
use crate::shell::form::{dom_id, Field, FieldError, Problem};
use crate::shell::i18n::{use_lang, Lang};
use crate::shell::request_forms::texts::FormTexts;

/// The lowercase hex SHA-256 of a file's bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A refused file as the field's error.
pub fn file_error(field: &'static str, e: AttachmentError) -> FieldError {
    FieldError {
        field,
        focus_id: dom_id(field),
        problem: Problem::Rule {
            fa: e.message_fa(),
            en: e.message_en(),
        },
    }
}

/// Checks a chosen file's bytes: its type and size, then its reference.
pub fn accept(
    file_name: &str,
    bytes: &[u8],
) -> Result<[(&'static str, String); 4], AttachmentError> {
    let media_type = check_upload(bytes.len() as u64, bytes)?;
    Ok([
        ("file_name", file_name.to_owned()),
        ("media_type", media_type.mime().to_owned()),
        ("size", bytes.len().to_string()),
        ("sha256", sha256_hex(bytes)),
    ])
}

#[component]
pub fn FileInput(field: Field, errors: RwSignal<Vec<FieldError>>, heading: bool) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let editor = Editor::get();
    let id = dom_id(field.name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let reading = RwSignal::new(false);
    let part = move |p: &str| format!("{}.{p}", field.name);
    let chosen = move || {
        editor.answers.with(|a| {
            let name = a.get(&part("file_name")).to_owned();
            (!name.is_empty()).then(|| (name, a.get(&part("size")).parse::<u64>().unwrap_or(0)))
        })
    };
    let error = Memo::new(move |_| {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field.name)
                .map(|e| message(labels, lang.get(), e))
        })
    });
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            reading.set(true);
            leptos::task::spawn_local(async move {
                let result = store_file(editor, field.name, file).await;
                reading.set(false);
                errors.update(|es| {
                    es.retain(|e| e.field != field.name);
                    if let Err(e) = result {
                        es.push(e);
                    }
                });
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (ev, editor);
    };
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="field">
            <label for=id.clone()>
                {move || {
                    let text = labels.label(lang.get(), field.name);
                    if heading {
                        view! { <h1 class="page-heading">{text}</h1> }.into_any()
                    } else {
                        view! { <span class="field-label">{text}</span> }.into_any()
                    }
                }}
            </label>
            <p class="hint" id=hint_id>{move || labels.hint(lang.get(), field.name)}</p>
            {move || error.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            {move || chosen().map(|(name, size)| {
                let l: Lang = lang.get();
                let ft = FormTexts::of(l);
                view! {
                    <p class="file-chosen" data-file-chosen=field.name>
                        {ft.file_chosen} " " <bdi>{name}</bdi> " (" {(ft.file_size)(size)} ")"
                    </p>
                }
            })}
            {move || reading.get().then(|| view! { <p role="status">{FormTexts::of(lang.get()).file_reading}</p> })}
            // The browser's own button speaks the browser's language; this one the page's.
            <label for=id.clone() class="button button--secondary file-choose" aria-hidden="true">
                {move || FormTexts::of(lang.get()).file_choose}
            </label>
            <input
                id=id
                name=field.name
                class="visually-hidden file-input"
                type="file"
                accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=on_change
            />
        </div>
    }
}

/// Reads, checks and stores a chosen file; its reference goes into the answers.
#[cfg(target_arch = "wasm32")]
async fn store_file(
    editor: Editor,
    field: &'static str,
    file: web_sys::File,
) -> Result<(), FieldError> {
    let size = file.size() as u64;
    if size > rules::attachment::MAX_ATTACHMENT_BYTES {
        // Refused before reading it into memory.
        return Err(file_error(field, AttachmentError::TooLarge { size }));
    }
    let bytes = crate::forms::requests::export::blob_bytes(&file)
        .await
        .map_err(|_| file_error(field, AttachmentError::Empty))?;
    let reference = accept(&file.name(), &bytes).map_err(|e| file_error(field, e))?;
    let id = editor.draft_id().unwrap_or_default();
    if let Some(store) = editor.store() {
        let key = crate::forms::drafts::model::attachment_key(&id, field, 0);
        if let Err(e) = store.put_attachment(&key, &file).await {
            editor.warning.set(Some(
                crate::forms::drafts::backend::StorageWarning::from_error(&e),
            ));
            store.fall_back_to_memory();
            let _ = store.put_attachment(&key, &file).await;
        }
    }
    editor.answers.update(|a| {
        for (p, v) in reference {
            a.set(&format!("{field}.{p}"), v);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_by_their_bytes() {
        let pdf = b"%PDF-1.7\n...";
        let r = accept("form.pdf", pdf).unwrap();
        assert_eq!(r[1].1, "application/pdf");
        assert_eq!(r[2].1, pdf.len().to_string());
        assert_eq!(r[3].1.len(), 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            accept("x.pdf", b"MZ\x90\x00"),
            Err(AttachmentError::WrongType)
        );
        assert_eq!(accept("x.pdf", b""), Err(AttachmentError::Empty));
    }
}
