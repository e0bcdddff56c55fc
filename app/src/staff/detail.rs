//! `/staff/requests/:handle` (the request's opaque handle, never its tracking code): one request —
//! its answers, attachments, deadlines and history — and the clerk's moves: one button per
//! action, the inputs an action needs shown first; the answer re-draws the page and is
//! announced, a stale version offers a reload.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rules::requests::RequestKind;
use rules::JalaliDate;
use serde_json::Value;

use api::staff::{ActionOffer, Detail, Move};

use super::client;
use super::logic::{
    action_data, action_name, grouped_code, jalali_text, moment_text, need_fields, process_name,
    role_name, short_hash, split_errors, state_name, tehran_clock,
};
use super::texts::{field_texts, StaffTexts};
use super::widgets::{Loading, Problems, Status, Summary};
use crate::shell::components::field_input::FieldInput;
use crate::shell::form::Answers;
use crate::shell::i18n::{format_rials, page_setup, use_lang, Lang};
use crate::shell::request_forms::texts::FormTexts;
use crate::shell::storage;

const HEADING_ID: &str = "request-heading";
const ACTIONS_HEADING_ID: &str = "actions-heading";
const RELOAD_ID: &str = "stale-reload";

fn request_kind(kind: &str) -> Option<RequestKind> {
    match kind {
        "exemption" => Some(RequestKind::Exemption),
        "withdrawal" => Some(RequestKind::Withdrawal),
        "clearance" => Some(RequestKind::Clearance),
        _ => None,
    }
}

/// An answer's field name: the form's own label (the question the student answered), else the key.
fn answer_label(kind: &str, key: &str, lang: Lang) -> String {
    let t = FormTexts::of(lang);
    let label = match request_kind(kind) {
        Some(RequestKind::Exemption) => (t.exemption_label)(key),
        Some(RequestKind::Withdrawal) => (t.withdrawal_label)(key),
        Some(RequestKind::Clearance) => (t.clearance_label)(key),
        None => None,
    };
    label.map_or_else(|| key.to_owned(), str::to_owned)
}

/// An answer for reading: yes/no, a Jalali date, a choice by its label (as the form offered it),
/// a number or text in the language's digits.
fn answer_text(key: &str, value: &Value, lang: Lang) -> String {
    let t = lang.texts();
    if let Some(label) = value
        .as_str()
        .and_then(|s| (FormTexts::of(lang).option)(key, s))
    {
        return label.to_owned();
    }
    match value {
        Value::Null => t.not_answered.to_owned(),
        Value::Bool(b) => (if *b { t.yes } else { t.no }).to_owned(),
        Value::Number(n) => lang.digits(&n.to_string()),
        Value::String(s) if JalaliDate::parse(s).is_ok() => jalali_text(s, lang),
        Value::String(s) => rules::Level::from_id(s)
            .filter(|_| key.contains("level"))
            .map_or_else(|| lang.digits(s), |l| (t.level_name)(l).to_owned()),
        Value::Object(o) if o.contains_key("file_name") => {
            o["file_name"].as_str().unwrap_or_default().to_owned()
        }
        other => other.to_string(),
    }
}

#[component]
pub fn DetailPage() -> impl IntoView {
    let lang = use_lang();
    provide_context(field_texts());
    let params = use_params_map();
    let handle = move || params.with(|p| p.get("handle").unwrap_or_default());
    let detail = RwSignal::new(None::<Detail>);
    let stale = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let problems = Problems::new();
    page_setup(move |_| {
        detail.with(|d| {
            d.as_ref()
                .map(|d| grouped_code(&d.tracking_code))
                .unwrap_or_default()
        })
    });
    let load = move || {
        let url = format!("/api/v1/staff/requests/{}", client::encode(&handle()));
        leptos::task::spawn_local(async move {
            match client::get::<Detail>(&url).await {
                Ok(d) => {
                    stale.set(false);
                    problems.clear();
                    detail.set(Some(d));
                    // As every other page: the heading has the focus when the page opens, and
                    // again after a reload (the reload button is gone).
                    request_animation_frame(|| storage::focus_id(HEADING_ID));
                }
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    };
    load();
    let overview = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        detail.get().map(|d| {
            let answers = d
                .answers
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    view! {
                        <div class="summary-row" data-answer=k.clone()>
                            <dt>{answer_label(&d.kind, k, l)}</dt>
                            <dd><bdi>{answer_text(k, v, l)}</bdi></dd>
                        </div>
                    }
                })
                .collect_view();
            let attachments = (!d.attachments.is_empty()).then(|| {
                view! {
                    <h2>{t.attachments_heading}</h2>
                    <ul>
                        {d.attachments
                            .iter()
                            .map(|a| view! {
                                <li>
                                    <a href=a.url.clone() download=a.file_name.clone() data-attachment=a.field.clone()>
                                        {answer_label(&d.kind, &a.field, l)} ": " <bdi>{a.file_name.clone()}</bdi>
                                    </a>
                                    " (" {(t.bytes)(a.size)} ")"
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
            });
            let deadlines = d.deadlines.clone().and_then(|dl| {
                let rows = [
                    (t.revocation_deadline, dl.revocation_deadline),
                    (t.final_ruling_from, dl.final_ruling_from),
                ]
                .into_iter()
                .filter(|(_, date)| !date.is_empty())
                .map(|(label, date)| view! { <div class="summary-row"><dt>{label}</dt><dd>{jalali_text(&date, l)}</dd></div> })
                .collect::<Vec<_>>();
                (!rows.is_empty()).then(|| view! { <h2>{t.deadlines_heading}</h2><dl class="summary" data-testid="deadlines">{rows}</dl> })
            });
            // Payments verified after the request was closed, given back through the gateway
            // (docs/payments.md, "Refunds"): a failed one with its attempts and error code.
            let refunds = (!d.refunds.is_empty()).then(|| {
                let items = d
                    .refunds
                    .iter()
                    .map(|r| {
                        let status = match r.status.as_str() {
                            "refunded" => t.refund_refunded,
                            "refunding" => t.refund_refunding,
                            _ => t.refund_failed,
                        };
                        let at = r.refunded_at.map(|at| format!(" — {}", tehran_clock(at, l)));
                        let attempts = r.attempts.map(|n| format!(" — {}: {}", t.refund_attempts, l.digits(&n.to_string())));
                        let error = r.error.clone().map(|e| view! { " — " {t.refund_error} ": " <bdi><code dir="ltr">{e}</code></bdi> });
                        view! {
                            <li data-refund=r.status.clone()>
                                {format_rials(l, r.amount_rials.max(0) as u64)} " — " {status} {at} {attempts} {error}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <h2>{t.refunds_heading}</h2><ul data-testid="refunds">{items}</ul> }
            });
            let audit = d
                .audit
                .iter()
                .map(|row| {
                    let when = moment_text(&row.at, l);
                    let r = &row.actor_role;
                    let role = (!r.id.is_empty()).then(|| {
                        let fa = r.fa.as_deref().unwrap_or_default();
                        let en = r.en.as_deref().unwrap_or_default();
                        role_name(&r.id, fa, en, &[], l)
                    });
                    // The applicant and the system act under their role's name only.
                    let name = row.actor.clone().filter(|a| *a != r.id);
                    let actor = [name, role].into_iter().flatten().collect::<Vec<_>>().join(" – ");
                    view! {
                        <li class="timeline-item" data-audit-id=row.id.to_string() data-action=row.action.id.clone()>
                            <p class="timeline-head"><time datetime=row.at.utc.clone()>{when}</time> ": " <strong>{action_name(&row.action.id, l)}</strong></p>
                            <p>{t.actor} ": " <bdi>{actor}</bdi></p>
                            {row.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p>{t.note} ": " <bdi>{n}</bdi></p> })}
                            <p class="hint">{t.row_hash} ": " <code dir="ltr">{short_hash(&row.row_hash).to_owned()}</code></p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h1 class="page-heading" id=HEADING_ID tabindex="-1">
                    {t.tracking_code} " " <span class="tracking-code" dir="ltr">{l.digits(&grouped_code(&d.tracking_code))}</span>
                </h1>
                <dl class="summary" data-testid="request-summary" data-state=d.state.id.clone() data-version=d.version.to_string()>
                    <div class="summary-row"><dt>{t.process}</dt><dd>{process_name(&d.process, l)}</dd></div>
                    <div class="summary-row"><dt>{t.state}</dt><dd data-testid="state">{state_name(&d.state.id, &d.state.fa, &d.state.en, &[], l)}</dd></div>
                    <div class="summary-row"><dt>{t.national_id}</dt><dd dir="ltr">{l.digits(&d.national_id)}</dd></div>
                    {d.mobile.clone().map(|m| view! { <div class="summary-row"><dt>{t.mobile}</dt><dd dir="ltr">{l.digits(&m)}</dd></div> })}
                    <div class="summary-row"><dt>{t.submitted}</dt><dd>{moment_text(&d.submitted_at, l)}</dd></div>
                </dl>
                // A tombstone (docs/retention.md): what the request held was erased.
                {d.erased.clone().map(|e| {
                    let text = match l { Lang::Fa => e.message_fa, Lang::En => e.message_en };
                    view! { <p class="notice" role="status" data-testid="erased">{text} " — " {moment_text(&e.at, l)}</p> }
                })}
                {deadlines}
                {refunds}
                <h2>{t.answers_heading}</h2>
                <dl class="summary">{answers}</dl>
                {attachments}
                <h2>{t.audit_heading}</h2>
                <ol class="timeline" data-testid="audit">{audit}</ol>
            }
        })
    };
    view! {
        <Summary problems=problems />
        <Status text=status />
        {move || stale.get().then(|| {
            let t = StaffTexts::of(lang.get());
            view! {
                <div class="notice notice--warning" role="alert" data-testid="stale">
                    <p>{t.stale}</p>
                    <button type="button" class="button" id=RELOAD_ID data-testid="reload" on:click=move |_| load()>{t.reload}</button>
                </div>
            }
        })}
        {move || {
            let waiting = detail.with(Option::is_none)
                && problems.general.with(Vec::is_empty)
                && problems.fields.with(Vec::is_empty);
            waiting.then(|| view! { <Loading /> })
        }}
        {overview}
        <Actions detail=detail stale=stale status=status problems=problems />
    }
}

/// The clerk's moves on the request: a button per action; an action that needs data opens its
/// inputs and a confirm button.
#[component]
fn Actions(
    detail: RwSignal<Option<Detail>>,
    stale: RwSignal<bool>,
    status: RwSignal<String>,
    problems: Problems,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(None::<ActionOffer>);
    let inputs = RwSignal::new(Answers::default());
    let busy = RwSignal::new(false);
    let send = move |offer: ActionOffer| {
        let Some(d) = detail.get_untracked() else {
            return;
        };
        let l = lang.get_untracked();
        let fields = need_fields(&offer.needs);
        let data = match inputs.with_untracked(|a| action_data(&fields, a)) {
            Ok(data) => data,
            Err(errors) => {
                problems.general.set(Vec::new());
                problems.fields.set(errors);
                return;
            }
        };
        let url = format!(
            "/api/v1/staff/requests/{}/actions",
            client::encode(&d.handle)
        );
        let body = Move {
            action: Some(offer.action.id.clone()),
            version: Some(d.version),
            // `action_data` gives only the data's own types: booleans, machine dates, rials, text.
            data: serde_json::from_value(data).ok(),
        };
        busy.set(true);
        status.set(String::new());
        leptos::task::spawn_local(async move {
            let answer = client::send::<Detail>("POST", &url, &body).await;
            busy.set(false);
            match answer {
                Ok(new) => {
                    problems.clear();
                    open.set(None);
                    inputs.set(Answers::default());
                    let state = state_name(&new.state.id, &new.state.fa, &new.state.en, &[], l);
                    status.set((StaffTexts::of(l).moved)(&state));
                    detail.set(Some(new));
                    // The pressed button is redrawn (or gone): keep the focus in this section.
                    request_animation_frame(|| storage::focus_id(ACTIONS_HEADING_ID));
                }
                Err(e) if e.status == 409 && e.code == "STALE_VERSION" => {
                    problems.clear();
                    stale.set(true);
                    // The pressed button is disabled now: the way on is the reload.
                    request_animation_frame(|| storage::focus_id(RELOAD_ID));
                }
                Err(e) if e.status == 422 => {
                    let (named, general) = split_errors(&e.errors, &fields, l);
                    problems.fields.set(named);
                    problems.general.set(general);
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let d = detail.get()?;
        let buttons = d
            .actions
            .iter()
            .map(|offer| {
                let o = offer.clone();
                let current = offer.action.id.clone();
                view! {
                    <button
                        type="button"
                        class="button"
                        class:button--secondary=move || open.with(|x| x.as_ref().is_some_and(|x| x.action.id != current))
                        data-action=offer.action.id.clone()
                        disabled=move || busy.get() || stale.get()
                        on:click=move |_| {
                            problems.clear();
                            if o.needs.is_empty() {
                                send(o.clone());
                            } else {
                                inputs.set(Answers::default());
                                open.set(Some(o.clone()));
                            }
                        }
                    >
                        {action_name(&offer.action.id, l)}
                    </button>
                }
            })
            .collect_view();
        let form = move || {
            open.get().map(|offer| {
                let submit_offer = offer.clone();
                view! {
                    <form
                        class="staff-form action-form"
                        data-action-form=offer.action.id.clone()
                        novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            send(submit_offer.clone());
                        }
                    >
                        <h3>{action_name(&offer.action.id, lang.get_untracked())}</h3>
                        {need_fields(&offer.needs)
                            .into_iter()
                            .map(|f| view! { <FieldInput field=f answers=inputs errors=problems.fields heading=false /> })
                            .collect_view()}
                        <div class="button-row">
                            <button type="submit" class="button" data-action-submit=offer.action.id.clone() disabled=move || busy.get()>
                                {t.confirm_action}
                            </button>
                            <button type="button" class="button button--secondary" on:click=move |_| { open.set(None); problems.clear(); }>
                                {t.cancel}
                            </button>
                        </div>
                    </form>
                }
            })
        };
        Some(view! {
            <section class="staff-actions" aria-labelledby="actions-heading">
                <h2 id=ACTIONS_HEADING_ID tabindex="-1">{t.actions_heading}</h2>
                {if d.actions.is_empty() {
                    view! { <p data-testid="no-actions">{t.no_actions}</p> }.into_any()
                } else {
                    view! { <div class="button-row">{buttons}</div> }.into_any()
                }}
                {form}
            </section>
        })
    }
}
