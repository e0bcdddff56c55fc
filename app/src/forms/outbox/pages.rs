//! "My requests" (`/track`): who is signed in, submissions waiting to be sent (with "retry now",
//! what to correct, or "sign in to send" when there is no live session), and every request the
//! server acknowledged here with its tracking code and latest status (from the server when online,
//! kept for offline), a link to all of them from any device (`/track/mine`); and the printable
//! receipt (`/track/receipt`, the code kept out of the address: `receipt`) with the code as a
//! QR code — printed at once at a kiosk — and, under it and under a looked-up request, "act on
//! this request" (`applicant::panel`).

use leptos::prelude::*;

use crate::forms::applicant::model::state_id_name;
use crate::forms::applicant::panel::ActPanel;
use crate::forms::drafts::memory::{OUTBOX, REQUESTS};
use crate::forms::outbox::model::{LookupResult, OutboxEntry, OutboxState, Receipt};
use crate::forms::outbox::receipt::{self, RECEIPT_PATH};
use crate::forms::outbox::Outbox;
use crate::forms::requests::drafts_page::{edited_at, tool_of};
use crate::forms::requests::editor::Editor;
use crate::forms::requests::opening::Loading;
use crate::forms::signin::model::signin_href;
use crate::forms::signin::page::SignedInBox;
use crate::forms::signin::texts::SigninTexts;
use crate::shell::components::add_to_calendar::deadline_row;
use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::{FieldInput, FieldTexts};
use crate::shell::form::{dom_id, validate_all, Answers, Field, FieldError, Kind, Problem};
use crate::shell::i18n::{page_setup, use_lang, Lang, Tool};
use crate::shell::qr::qr_svg;
use crate::shell::request_forms::flow::{RequestForm, Target};
use crate::shell::request_forms::texts::FormTexts;

/// A request kind's title.
fn kind_title(lang: Lang, kind: &str) -> &'static str {
    RequestForm::from_slug(kind).map_or("", |f| (lang.texts().tool_title)(tool_of(f)))
}

/// Everything "my requests" shows, read from the storage.
#[derive(Clone, Default)]
struct Lists {
    waiting: Vec<OutboxEntry>,
    receipts: Vec<Receipt>,
}

async fn read_lists(editor: Editor) -> Lists {
    let Some(store) = editor.store() else {
        return Lists::default();
    };
    let mut waiting: Vec<OutboxEntry> = store
        .all_values(OUTBOX)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    waiting.sort_by(|a, b| a.created_at_ms.total_cmp(&b.created_at_ms));
    let mut receipts: Vec<Receipt> = store
        .all_values(REQUESTS)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    receipts.sort_by(|a, b| b.submitted_utc.cmp(&a.submitted_utc));
    Lists { waiting, receipts }
}

/// The receipts printed in this visit (kiosk mode prints each once; the wipe forgets them).
const PRINTED_KEY: &str = "pishkhan.printed";

fn printed(code: &str) -> bool {
    crate::shell::storage::session_get(PRINTED_KEY)
        .is_some_and(|all| all.split(' ').any(|c| c == code))
}

fn mark_printed(code: &str) {
    let all = crate::shell::storage::session_get(PRINTED_KEY).unwrap_or_default();
    crate::shell::storage::session_set(PRINTED_KEY, format!("{all} {code}").trim());
}

#[component]
pub fn TrackPage() -> impl IntoView {
    page_setup(|t| (t.tool_title)(Tool::Track).to_owned());
    let lang = use_lang();
    let editor = Editor::get();
    let outbox = Outbox::get();
    let lists = RwSignal::new(None::<Lists>);
    Effect::new(move |_| {
        outbox.version.track();
        if editor.ready.get() {
            leptos::task::spawn_local(async move { lists.set(Some(read_lists(editor).await)) });
        }
    });
    // At a kiosk, a receipt that just arrived is shown (and printed) at once.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if !crate::shell::storage::kiosk() {
            return;
        }
        let fresh = lists.with(|l| {
            l.as_ref()?
                .receipts
                .iter()
                .find(|r| !printed(&r.tracking_code))
                .map(|r| r.tracking_code.clone())
        });
        if let Some(code) = fresh {
            receipt::open(&navigate, &code);
        }
    });
    move || {
        let l = lang.get();
        let t = l.texts();
        let ft = FormTexts::of(l);
        let Some(lists) = lists.get() else {
            return view! { <h1 class="page-heading">{(t.tool_title)(Tool::Track)}</h1> <Loading /> }.into_any();
        };
        let st = SigninTexts::of(l);
        // Queued, but no live session: sending waits for a sign-in, which comes back here.
        let sign_in = outbox
            .session
            .state
            .with(|s| s.needs_sign_in())
            .filter(|_| lists.waiting.iter().any(|e| e.state == OutboxState::Queued))
            .map(|why| {
                let text = if why == "ended" { st.ended_sign_in_again } else { st.to_send_sign_in };
                view! {
                    <div class="notice notice--warning" role="alert" data-sign-in-needed=why>
                        <p>{text}</p>
                        <p><a class="button" href=signin_href("/track") data-sign-in-link="">{st.sign_in}</a></p>
                    </div>
                }
            });
        let waiting = (!lists.waiting.is_empty()).then(|| {
            let items = lists
                .waiting
                .iter()
                .map(|e| {
                    let form = RequestForm::from_slug(&e.kind);
                    let (state, detail) = match e.state {
                        OutboxState::Queued => ("queued", match &e.last_error {
                            None => ft.outbox_sending.to_owned(),
                            Some(_) => (ft.outbox_waiting)(&edited_at(l, e.next_attempt_ms)),
                        }),
                        OutboxState::Rejected => ("rejected", ft.outbox_rejected.to_owned()),
                    };
                    let fix = (e.state == OutboxState::Rejected)
                        .then(|| form.map(|f| Target::Check.href(f, &e.draft_id)))
                        .flatten()
                        .map(|href| view! { <a href=href data-fix="">{ft.outbox_fix}</a> });
                    view! {
                        <li class="draft" data-outbox=e.draft_id.clone() data-outbox-state=state>
                            <h3 class="draft-title">{kind_title(l, &e.kind)}</h3>
                            <p role="status">{detail}</p>
                            {fix}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h2>{ft.outbox_heading}</h2>
                {sign_in}
                <ul class="draft-list">{items}</ul>
                <button type="button" class="button button--secondary" data-retry-now="" on:click=move |_| outbox.retry_now()>
                    {ft.retry_now}
                </button>
            }
        });
        let receipts = if lists.receipts.is_empty() {
            view! { <p data-no-requests="">{ft.no_requests}</p> }.into_any()
        } else {
            let items =
            lists
                .receipts
                .iter()
                .map(|r| {
                    let code = l.digits(&r.tracking_code);
                    let opened = r.tracking_code.clone();
                    let checked = r.checked_at_ms.map(|ms| (ft.status_checked)(&edited_at(l, ms)));
                    view! {
                        <li class="draft" data-tracking-code=r.tracking_code.clone() data-status=r.status.clone()>
                            <h3 class="draft-title">{kind_title(l, &r.kind)}</h3>
                            <dl class="summary">
                                <div class="summary-row"><dt>{ft.tracking_code}</dt><dd class="tracking-code"><bdi>{code}</bdi></dd></div>
                                <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_jalali)}</dd></div>
                                <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{state_id_name(l, &r.status)} {checked.map(|c| view! { <span class="hint">" (" {c} ")"</span> })}</dd></div>
                            </dl>
                            <a class="button button--secondary" href=RECEIPT_PATH data-receipt="" on:click=move |_| receipt::show(&opened)>{ft.receipt}</a>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="draft-list">{items}</ul> }.into_any()
        };
        let mine = (!outbox.session.is_signed_in()).then(|| {
            view! { <p><a href="/track/mine" data-my-requests-link="">{st.my_requests}</a></p> }
        });
        view! {
            <h1 class="page-heading">{(t.tool_title)(Tool::Track)}</h1>
            <p>{ft.track_intro}</p>
            <SignedInBox />
            {waiting}
            <h2>{ft.submitted_heading}</h2>
            {receipts}
            {mine}
            <LookupForm />
        }
        .into_any()
    }
}

const LOOKUP_FIELDS: [Field; 2] = [
    Field::new("tracking_code", Kind::Digits),
    Field::new("national_id", Kind::Digits),
];

/// A typed field's problems as found by the rules (tracking code, national ID).
fn lookup_errors(answers: &Answers) -> Vec<FieldError> {
    let own = validate_all(&LOOKUP_FIELDS, answers);
    if !own.is_empty() {
        return own;
    }
    let rule = |field: &'static str, fa: String, en: String| FieldError {
        field,
        focus_id: dom_id(field),
        problem: Problem::Rule {
            fa: fa.trim_start_matches("tracking_code: ").to_owned(),
            en: en.trim_start_matches("tracking_code: ").to_owned(),
        },
    };
    let mut errors = Vec::new();
    if let Err(e) = rules::tracking::TrackingCode::parse(answers.get("tracking_code")) {
        errors.push(rule("tracking_code", e.message_fa, e.message_en));
    }
    if let Err(e) = rules::identity::NationalId::parse(answers.get("national_id")) {
        errors.push(rule("national_id", e.message_fa(), e.message_en()));
    }
    errors
}

/// Looking up a request filed elsewhere (a kiosk, another device): tracking code + national ID,
/// both sent in the body, never in the URL.
#[component]
fn LookupForm() -> impl IntoView {
    let lang = use_lang();
    provide_context(FieldTexts {
        label: |lang, name| match name {
            "tracking_code" => Some(FormTexts::of(lang).tracking_code),
            _ => (crate::shell::request_forms::texts::field_texts(
                rules::requests::RequestKind::Exemption,
            )
            .label)(lang, name),
        },
        hint: |lang, name| (FormTexts::of(lang).hint)(name),
        option: |_, _, _| "",
    });
    let answers = RwSignal::new(Answers::default());
    let errors = RwSignal::new(Vec::new());
    let found = RwSignal::new(None::<LookupResult>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problems = answers.with(lookup_errors);
        found.set(None);
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        errors.set(Vec::new());
        #[cfg(target_arch = "wasm32")]
        {
            let (code, id) = answers.with(|a| {
                (
                    a.get("tracking_code").to_owned(),
                    a.get("national_id").to_owned(),
                )
            });
            leptos::task::spawn_local(async move {
                let reply = crate::forms::outbox::sender::lookup(&code, &id).await;
                let result = LookupResult::read(reply, &id, crate::shell::clock::now_ms());
                found.set(Some(result));
            });
        }
    };
    let result = move || {
        let l = lang.get();
        let ft = FormTexts::of(l);
        found.get().map(|f| match f {
            LookupResult::Request(r) => view! {
                <section class="result" role="status" data-lookup-result=r.tracking_code.clone() data-status=r.status.clone()>
                    <h3>{kind_title(l, &r.kind)}</h3>
                    <dl class="summary">
                        <div class="summary-row"><dt>{ft.tracking_code}</dt><dd class="tracking-code"><bdi>{l.digits(&r.tracking_code)}</bdi></dd></div>
                        <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_jalali)}</dd></div>
                        <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{state_id_name(l, &r.status)}</dd></div>
                    </dl>
                    <h4>{ft.timeline_heading}</h4>
                    <ol>{r.timeline.iter().map(|t| {
                        view! { <li>{date_text(l, &t.at.jalali)} ": " {state_id_name(l, &t.to)}</li> }
                    }).collect_view()}</ol>
                </section>
            }.into_any(),
            LookupResult::Unknown => view! { <p class="notice notice--warning" role="alert" data-lookup-result="">{ft.lookup_not_found}</p> }.into_any(),
            LookupResult::TooMany(wait) => view! { <p class="notice notice--warning" role="alert" data-lookup-result="">{(ft.lookup_too_many)(&l.digits(&wait))}</p> }.into_any(),
            LookupResult::Offline => view! { <p class="notice notice--warning" role="alert" data-lookup-result="">{ft.lookup_offline}</p> }.into_any(),
        })
    };
    view! {
        <section class="lookup" aria-labelledby="lookup-heading">
            <h2 id="lookup-heading">{move || FormTexts::of(lang.get()).lookup_heading}</h2>
            <p>{move || FormTexts::of(lang.get()).lookup_intro}</p>
            <form novalidate on:submit=on_submit data-lookup="">
                <ErrorSummary errors=errors />
                {LOOKUP_FIELDS.iter().map(|f| view! { <FieldInput field=*f answers=answers errors=errors heading=false /> }).collect_view()}
                <button type="submit" class="button button--secondary">{move || FormTexts::of(lang.get()).lookup_button}</button>
            </form>
            {result}
            {move || found.with(|f| match f {
                Some(LookupResult::Request(r)) => Some((r.tracking_code.clone(), r.national_id.clone())),
                _ => None,
            }).map(|(code, id)| view! { <ActPanel tracking_code=code national_id=id /> })}
        </section>
    }
}

/// A Jalali machine date for reading, or as given when it is not one.
fn date_text(lang: Lang, machine: &str) -> String {
    rules::JalaliDate::parse(machine).map_or_else(|_| machine.to_owned(), |d| lang.date(d))
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    page_setup(move |_| FormTexts::of(lang.get_untracked()).receipt.to_owned());
    // The request opened in this tab (its code is not in the address).
    let shown = StoredValue::new(receipt::shown());
    let receipt = RwSignal::new(None::<Option<Receipt>>);
    Effect::new(move |_| {
        let code = shown.get_value();
        if editor.ready.get() {
            leptos::task::spawn_local(async move {
                let found = read_lists(editor)
                    .await
                    .receipts
                    .into_iter()
                    .find(|r| Some(&r.tracking_code) == code.as_ref());
                receipt.set(Some(found));
            });
        }
    });
    // At a kiosk, the receipt is printed as soon as it is shown (then wiped with the rest).
    Effect::new(move |printed: Option<bool>| {
        let code = receipt.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().map(|r| r.tracking_code.clone()))
        });
        match code {
            Some(code) if printed != Some(true) && crate::shell::storage::kiosk() => {
                mark_printed(&code);
                request_animation_frame(|| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                });
                true
            }
            _ => printed.unwrap_or(false),
        }
    });
    let known_code = move || shown.get_value();
    // Drawn once the local copy was looked for (not again when the language changes).
    let act = Memo::new(move |_| {
        let national_id = receipt.with(|r| {
            r.as_ref()
                .map(|r| r.as_ref().map(|r| r.national_id.clone()))
        })?;
        Some((known_code()?, national_id))
    });
    let act = move || {
        act.get().map(|(code, national_id)| match national_id {
            Some(id) => view! { <ActPanel tracking_code=code national_id=id /> }.into_any(),
            None => view! { <ActPanel tracking_code=code /> }.into_any(),
        })
    };
    let receipt_view = move || {
        let l = lang.get();
        let ft = FormTexts::of(l);
        let r = match receipt.get() {
            None => return view! { <Loading /> }.into_any(),
            // Filed elsewhere (or wiped): it can still be acted on, below.
            Some(None) if known_code().is_some() => {
                let code = known_code().unwrap_or_default();
                return view! {
                    <h1 class="page-heading">{ft.tracking_code} ": " <bdi>{l.digits(&code)}</bdi></h1>
                    <p><a href="/track">{(l.texts().tool_title)(Tool::Track)}</a></p>
                }
                .into_any();
            }
            Some(None) => return receipt::not_found().into_any(),
            Some(Some(r)) => r,
        };
        let deadline = r.revocation_deadline.as_deref().map(|d| {
            deadline_row(
                "revocation_deadline",
                (ft.preview_label)("revocation_deadline"),
                d,
                l,
            )
        });
        view! {
            <div class="receipt" data-receipt-for=r.tracking_code.clone()>
                <h1 class="page-heading">{ft.receipt}</h1>
                <p class="lead">{kind_title(l, &r.kind)}</p>
                <p class="tracking-code tracking-code--big">{ft.tracking_code} ": " <bdi data-tracking-code=r.tracking_code.clone()>{l.digits(&r.tracking_code)}</bdi></p>
                <div class="qr" role="img" aria-label=format!("{}: {}", ft.qr_label, r.tracking_code) inner_html=qr_svg(&r.tracking_code)></div>
                <dl class="summary">
                    <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_jalali)} " " <span class="gregorian"><bdi>{r.submitted_utc.clone()}</bdi></span></dd></div>
                    <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{state_id_name(l, &r.status)}</dd></div>
                    {deadline}
                </dl>
                <p>{ft.receipt_keep}</p>
                <p class="result-actions no-print">
                    <button type="button" class="button" data-print="" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{ft.print_receipt}</button>
                    <a href="/track">{(l.texts().tool_title)(Tool::Track)}</a>
                </p>
            </div>
        }
        .into_any()
    };
    view! { {receipt_view} {act} }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;

    #[test]
    fn lookups_are_checked_before_asking() {
        let empty = lookup_errors(&Answers::default());
        assert_eq!(empty.len(), 2);
        let a = answers(&[
            ("tracking_code", "1234-5678-9012"),
            ("national_id", "0084575948"),
        ]);
        let found = lookup_errors(&a);
        // 1234-5678-901 + check digit: only the code can be wrong here, and it is named.
        assert!(
            found.iter().all(|e| e.field == "tracking_code"),
            "{found:?}"
        );
        let code = rules::tracking::TrackingCode::from_number(12_345_678_901).grouped();
        let ok = answers(&[
            ("tracking_code", code.as_str()),
            ("national_id", "۰۰۸۴۵۷۵۹۴۸"),
        ]);
        assert!(lookup_errors(&ok).is_empty());
    }
}
