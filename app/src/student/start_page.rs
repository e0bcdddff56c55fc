//! The start page: what Pishkhan does, and every tool and service it offers.

use leptos::prelude::*;

use crate::shell::i18n::{frame_page_setup, use_lang, FrameTexts, Tool};
use crate::shell::storage;

const TOOLS: [Tool; 5] = [
    Tool::Precheck,
    Tool::Revocation,
    Tool::Presentation,
    Tool::Travel,
    Tool::Discharge,
];
const REQUESTS: [Tool; 5] = [
    Tool::ExemptionRequest,
    Tool::WithdrawalRequest,
    Tool::ClearanceRequest,
    Tool::Drafts,
    Tool::Track,
];

fn tool_list(t: &'static FrameTexts, tools: &'static [Tool]) -> impl IntoView {
    view! {
        <ul class="tool-list">
            {tools
                .iter()
                .map(|tool| {
                    view! {
                        <li class="tool">
                            // The forms are another bundle: a full page load, not a client route.
                            <a class="tool-link" href=tool.href() rel=tool.in_forms_bundle().then_some("external")>
                                {(t.tool_title)(*tool)}
                            </a>
                            <p class="hint">{(t.tool_description)(*tool)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn StartPage() -> impl IntoView {
    frame_page_setup(|t| t.start_title.to_owned());
    let lang = use_lang();
    let save_data = storage::save_data();
    move || {
        let t = lang.get().frame();
        view! {
            <h1 class="page-heading">{t.start_title}</h1>
            <p class="lead">{t.start_intro}</p>
            <p>{t.start_offline_note}</p>
            <a class="button button--start" href="/precheck">{(t.tool_title)(Tool::Precheck)}</a>
            <h2>{t.tools_heading}</h2>
            {tool_list(t, &TOOLS)}
            <h2>{t.requests_heading}</h2>
            {save_data.then(|| view! { <p class="hint" data-save-data-note="">{t.forms_need_online_visit}</p> })}
            {tool_list(t, &REQUESTS)}
        }
    }
}
