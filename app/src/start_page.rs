//! The start page: what Pishkhan does, and every tool and service it offers.

use leptos::prelude::*;

use crate::i18n::{page_setup, use_lang, Tool};

const TOOLS: [Tool; 5] = [
    Tool::Precheck,
    Tool::Revocation,
    Tool::Presentation,
    Tool::Travel,
    Tool::Discharge,
];
const REQUESTS: [Tool; 4] = [
    Tool::ExemptionRequest,
    Tool::WithdrawalRequest,
    Tool::ClearanceRequest,
    Tool::Track,
];

fn tool_list(tools: &'static [Tool]) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="tool-list">
            {tools
                .iter()
                .map(|tool| {
                    let tool = *tool;
                    view! {
                        <li class="tool">
                            <a class="tool-link" href=tool.href()>{move || (lang.get().texts().tool_title)(tool)}</a>
                            <p class="hint">{move || (lang.get().texts().tool_description)(tool)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn StartPage() -> impl IntoView {
    page_setup(|t| t.start_title.to_owned());
    let lang = use_lang();
    let t = move || lang.get().texts();
    view! {
        <h1 class="page-heading">{move || t().start_title}</h1>
        <p class="lead">{move || t().start_intro}</p>
        <p>{move || t().start_offline_note}</p>
        <a class="button button--start" href="/precheck">{move || (t().tool_title)(Tool::Precheck)}</a>
        <h2>{move || t().tools_heading}</h2>
        {tool_list(&TOOLS)}
        <h2>{move || t().requests_heading}</h2>
        {tool_list(&REQUESTS)}
    }
}

/// A service a later version adds: says so, and links back.
#[component]
pub fn PlaceholderPage(tool: Tool) -> impl IntoView {
    page_setup(move |t| (t.tool_title)(tool).to_owned());
    let lang = use_lang();
    let t = move || lang.get().texts();
    view! {
        <a class="back-link" href="/">{move || t().back}</a>
        <h1 class="page-heading">{move || (t().tool_title)(tool)}</h1>
        <p>{move || (t().tool_description)(tool)}</p>
        <p class="notice">{move || t().coming_soon}</p>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    page_setup(|t| t.not_found.to_owned());
    let lang = use_lang();
    let t = move || lang.get().texts();
    view! {
        <h1 class="page-heading">{move || t().not_found}</h1>
        <p><a href="/">{move || t().home}</a></p>
    }
}
