//! "My drafts": every draft kept in this browser (kind, last change, progress, status), with
//! continue and delete (after a confirmation), a new request of each kind, drafts that could not
//! be read (reported, never deleted), and opening a draft from a file.

use leptos::prelude::*;

use crate::forms::drafts::{DraftList, DraftStatus};
use crate::forms::requests::banners::StorageBanner;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::export::ImportInput;
use crate::forms::requests::opening::resume_target;
use crate::forms::requests::opening::Loading;
use crate::shell::i18n::{page_setup, use_lang, Lang, Tool};
use crate::shell::request_forms::flow::{RequestForm, ALL};
use crate::shell::request_forms::texts::FormTexts;

/// The start page's tool for a form (its title).
pub fn tool_of(form: &RequestForm) -> Tool {
    match form.kind {
        rules::requests::RequestKind::Exemption => Tool::ExemptionRequest,
        rules::requests::RequestKind::Withdrawal => Tool::WithdrawalRequest,
        rules::requests::RequestKind::Clearance => Tool::ClearanceRequest,
    }
}

/// When a draft was last changed, in Tehran: `۱۵ مهر ۱۴۰۳، ۱۴:۰۵`.
pub fn edited_at(lang: Lang, ms: f64) -> String {
    let secs = (ms / 1000.0).floor() as i64;
    let day = rules::JalaliDate::today_in_tehran(secs);
    let minutes = (secs + 12_600).rem_euclid(86_400) / 60;
    let time = format!("{:02}:{:02}", minutes / 60, minutes % 60);
    let comma = match lang {
        Lang::Fa => "،",
        Lang::En => ",",
    };
    lang.digits(&format!("{}{comma} {time}", lang.date(day)))
}

#[component]
pub fn DraftsPage() -> impl IntoView {
    page_setup(|t| (t.tool_title)(Tool::Drafts).to_owned());
    let lang = use_lang();
    let editor = Editor::get();
    let list = RwSignal::new(None::<DraftList>);
    let confirming = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(store) = editor.store() else { return };
        leptos::task::spawn_local(async move {
            list.set(Some(store.list_drafts().await.unwrap_or_default()));
        });
    };
    Effect::new(move |_| {
        if editor.ready.get() {
            reload();
        }
    });
    let delete = move |id: String| {
        let Some(store) = editor.store() else { return };
        confirming.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = store.delete_draft(&id).await {
                editor.warning.set(Some(
                    crate::forms::drafts::backend::StorageWarning::from_error(&e),
                ));
            }
            list.set(Some(store.list_drafts().await.unwrap_or_default()));
        });
    };
    let drafts = move || {
        let l = lang.get();
        let t = l.texts();
        let ft = FormTexts::of(l);
        let Some(list) = list.get() else {
            return view! { <Loading /> }.into_any();
        };
        let unreadable = (!list.unreadable.is_empty())
            .then(|| view! { <p class="notice notice--warning" data-unreadable-drafts=list.unreadable.len()>{(ft.unreadable)(list.unreadable.len())}</p> });
        if list.drafts.is_empty() {
            return view! { {unreadable} <p data-no-drafts="">{ft.no_drafts}</p> }.into_any();
        }
        let items = list
            .drafts
            .into_iter()
            .filter_map(|d| {
                let form = RequestForm::from_slug(&d.kind)?;
                let (done, total) = form.progress(&d.answers);
                let href = resume_target(form, &d.answers).href(form, &d.id);
                let status = match d.status {
                    DraftStatus::InProgress => ft.in_progress,
                    DraftStatus::Ready => ft.ready,
                };
                let status_attr = match d.status {
                    DraftStatus::InProgress => "in_progress",
                    DraftStatus::Ready => "ready",
                };
                let title = (t.tool_title)(tool_of(form));
                let id = d.id.clone();
                let id_confirm = d.id.clone();
                let id_delete = d.id.clone();
                Some(view! {
                    <li class="draft" data-draft-id=d.id.clone() data-draft-kind=d.kind.clone() data-draft-status=status_attr>
                        <h2 class="draft-title">{title}</h2>
                        <dl class="summary">
                            <div class="summary-row"><dt>{ft.draft_updated}</dt><dd>{edited_at(l, d.updated_at_ms)}</dd></div>
                            <div class="summary-row"><dt>{ft.draft_progress}</dt><dd>{(ft.progress)(done, total)}</dd></div>
                            <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{status}</dd></div>
                        </dl>
                        <div class="result-actions">
                            <a class="button" href=href data-resume=id>
                                {ft.resume} <span class="visually-hidden">" " {title}</span>
                            </a>
                            {move || if confirming.get().as_deref() == Some(id_confirm.as_str()) {
                                let id = id_delete.clone();
                                view! {
                                    <button type="button" class="button button--warning" data-confirm-delete="" on:click=move |_| delete(id.clone())>
                                        {ft.confirm_delete}
                                    </button>
                                    <button type="button" class="button button--secondary" on:click=move |_| confirming.set(None)>
                                        {ft.cancel}
                                    </button>
                                }.into_any()
                            } else {
                                let id = id_delete.clone();
                                view! {
                                    <button type="button" class="button button--secondary" data-delete="" on:click=move |_| confirming.set(Some(id.clone()))>
                                        {ft.delete} <span class="visually-hidden">" " {title}</span>
                                    </button>
                                }.into_any()
                            }}
                        </div>
                    </li>
                })
            })
            .collect_view();
        view! { {unreadable} <ul class="draft-list">{items}</ul> }.into_any()
    };
    view! {
        <h1 class="page-heading">{move || (lang.get().texts().tool_title)(Tool::Drafts)}</h1>
        <p>{move || FormTexts::of(lang.get()).drafts_intro}</p>
        <StorageBanner />
        {drafts}
        <h2>{move || FormTexts::of(lang.get()).start_new_heading}</h2>
        <ul class="tool-list">
            {ALL.iter().map(|form| {
                let tool = tool_of(form);
                view! {
                    <li class="tool">
                        <a class="tool-link" href=format!("/requests/{}?new=1", form.slug) data-new-request=form.slug>
                            {move || (lang.get().texts().tool_title)(tool)}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <ImportInput />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_times_are_tehran_time() {
        // 2024-10-06 10:30 UTC = 14:00 in Tehran, 15 Mehr 1403.
        let ms = 1_728_210_600_000.0;
        assert_eq!(edited_at(Lang::En, ms), "15 Mehr 1403, 14:00");
        assert!(edited_at(Lang::Fa, ms).ends_with("۱۴:۰۰"));
    }
}
