//! What a form page says about its draft: the saving state (`data-save-state`), another tab's
//! change (`data-draft-conflict`, `data-draft-updated`), and storage trouble
//! (`data-storage-warning`) with "save the draft to a file" and "open a draft from a file".

use leptos::prelude::*;

use crate::forms::drafts::backend::StorageWarning;
use crate::forms::requests::editor::{Editor, SaveState};
use crate::forms::requests::export::{ExportButton, ImportInput};
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::texts::FormTexts;

/// The storage warning, when drafts are kept in memory only.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    move || {
        let warning = editor.warning.get()?;
        let ft = FormTexts::of(lang.get());
        let text = match warning {
            StorageWarning::Unavailable => ft.storage_unavailable,
            StorageWarning::Full => ft.storage_full,
            StorageWarning::Other => ft.storage_other,
        };
        let has_draft = editor.draft.with(Option::is_some);
        Some(view! {
            <div class="notice notice--warning" role="alert" data-storage-warning=format!("{warning:?}").to_lowercase()>
                <p>{text}</p>
                <div class="result-actions">
                    {has_draft.then(|| view! { <ExportButton /> })}
                    <ImportInput />
                </div>
            </div>
        })
    }
}

/// The saving state, the conflict choice and the "updated in another tab" note.
#[component]
pub fn Banners() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let status = move || {
        let ft = FormTexts::of(lang.get());
        let state = editor.state.get();
        let text = match state {
            SaveState::Idle | SaveState::Conflict => "",
            SaveState::Saving => ft.saving,
            SaveState::Saved => ft.saved,
            SaveState::SavedInMemory => ft.saved_in_memory,
            SaveState::Failed => ft.save_failed,
        };
        let revision = editor.draft.with(|d| d.as_ref().map_or(0, |d| d.revision));
        view! { <p class="save-state" role="status" data-save-state=state.attr() data-revision=revision>{text}</p> }
    };
    let conflict = move || {
        (editor.state.get() == SaveState::Conflict).then(|| {
            let ft = FormTexts::of(lang.get());
            view! {
                <div class="notice notice--warning" role="alert" data-draft-conflict="">
                    <p>{ft.conflict}</p>
                    <div class="result-actions">
                        <button type="button" class="button" data-load-theirs="" on:click=move |_| editor.load_theirs()>
                            {ft.load_theirs}
                        </button>
                        <button type="button" class="button button--secondary" data-keep-mine="" on:click=move |_| editor.keep_mine()>
                            {ft.keep_mine}
                        </button>
                    </div>
                </div>
            }
        })
    };
    let updated = move || {
        editor.updated_elsewhere.get().then(|| {
            view! {
                <p class="notice" role="status" data-draft-updated="">
                    {FormTexts::of(lang.get()).updated_elsewhere}
                </p>
            }
        })
    };
    view! {
        <StorageBanner />
        {conflict}
        {updated}
        {status}
    }
}
