//! `/staff`: the cartable — the counts per state as filter buttons, a process filter, a search by
//! tracking code or national ID, and the table of requests, each linked to its detail.

use leptos::prelude::*;
use rules::workflow::Process;

use api::staff::Cartable;

use super::client;
use super::logic::{grouped_code, jalali_text, process_name, state_name};
use super::texts::StaffTexts;
use super::widgets::{Heading, Loading, Problems, Summary};
use crate::shell::i18n::use_lang;

#[component]
pub fn CartablePage() -> impl IntoView {
    let lang = use_lang();
    let process = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let data = RwSignal::new(None::<Cartable>);
    let problems = Problems::new();
    Effect::new(move |_| {
        let (p, s, q) = (process.get(), state.get(), query.get());
        leptos::task::spawn_local(async move {
            match client::cartable(&p, &s, &q).await {
                Ok(c) => {
                    problems.clear();
                    data.set(Some(c));
                }
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(typed.get());
    };
    let filters = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        data.get().map(|c| {
            let chip = move |id: String, text: String, n: i64| {
                let value = id.clone();
                view! {
                    <li>
                        <button
                            type="button"
                            class="chip"
                            data-state=id.clone()
                            aria-pressed=move || (state.get() == id).to_string()
                            on:click=move |_| state.set(value.clone())
                        >
                            {text} " " <span class="chip-count">{l.digits(&n.to_string())}</span>
                        </button>
                    </li>
                }
            };
            let chips = std::iter::once(chip(String::new(), t.all.to_owned(), c.total))
                .chain(c.counts.iter().map(|s| {
                    chip(
                        s.state.id.clone(),
                        state_name(&s.state.id, &s.state.fa, &s.state.en, &[], l),
                        s.n,
                    )
                }))
                .collect_view();
            view! {
                <div role="group" aria-labelledby="state-filter">
                    <h2 id="state-filter" class="field-label">{t.states_label}</h2>
                    <ul class="chips">{chips}</ul>
                </div>
            }
        })
    };
    let controls = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        view! {
            <div class="staff-filters">
                <div class="field">
                    <label for="process">{t.process_label}</label>
                    <select
                        id="process"
                        name="process"
                        class="input"
                        on:change=move |ev| process.set(event_target_value(&ev))
                        prop:value=move || process.get()
                    >
                        <option value="">{t.all}</option>
                        {Process::ALL
                            .into_iter()
                            .map(|p| view! { <option value=p.id()>{process_name(p.id(), l)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <form class="field staff-search" role="search" on:submit=search>
                    <label for="q">{t.search_label}</label>
                    <p class="hint" id="q-hint">{t.search_hint}</p>
                    <input
                        id="q"
                        name="q"
                        class="input input--wide"
                        type="search"
                        inputmode="numeric"
                        dir="ltr"
                        aria-describedby="q-hint"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button--secondary">{t.search}</button>
                </form>
            </div>
        }
    };
    let table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(c) = data.get() else {
            return view! { <Loading /> }.into_any();
        };
        if c.requests.is_empty() {
            return view! { <p class="staff-empty" data-testid="cartable-empty">{t.empty_cartable}</p> }
                .into_any();
        }
        let rows = c
            .requests
            .iter()
            .map(|r| {
                let href = format!("/staff/requests/{}", client::encode(&r.handle));
                view! {
                    <tr data-tracking-code=r.tracking_code.clone() data-state=r.state.id.clone()>
                        <td><a href=href class="tracking-code" dir="ltr">{l.digits(&grouped_code(&r.tracking_code))}</a></td>
                        <td dir="ltr">{l.digits(&r.national_id)}</td>
                        <td>{process_name(&r.process, l)}</td>
                        <td>{state_name(&r.state.id, &r.state.fa, &r.state.en, &[], l)}</td>
                        <td>{jalali_text(&r.submitted_jalali, l)}</td>
                        <td>{jalali_text(&r.updated_jalali, l)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p role="status">{(t.showing)(c.requests.len(), c.total)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="cartable-heading">
                <table class="staff-table" data-testid="cartable">
                    <thead>
                        <tr>
                            <th scope="col">{t.tracking_code}</th>
                            <th scope="col">{t.national_id}</th>
                            <th scope="col">{t.process}</th>
                            <th scope="col">{t.state}</th>
                            <th scope="col">{t.submitted}</th>
                            <th scope="col">{t.updated}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Summary problems=problems />
        <div id="cartable-heading"><Heading text=|t| t.nav_cartable /></div>
        {controls}
        {filters}
        {table}
    }
}
