//! "My requests" (`/track`): submissions waiting to be sent (with "retry now", or what to
//! correct), and every request the server acknowledged with its tracking code and latest status
//! (from the server when online, kept for offline); and the printable receipt
//! (`/track/<tracking code>`) with the code as a QR code — printed at once at a kiosk.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use qrcode::render::svg;
use qrcode::QrCode;

use crate::drafts::memory::{OUTBOX, REQUESTS};
use crate::i18n::{page_setup, use_lang, Lang, Tool};
use crate::outbox::model::{OutboxEntry, OutboxState, Receipt};
use crate::outbox::Outbox;
use crate::requests::drafts_page::{edited_at, tool_of};
use crate::requests::editor::Editor;
use crate::requests::flow::{RequestForm, Target};
use crate::requests::texts::FormTexts;
use crate::requests::Loading;

/// The tracking code as an SVG QR code (dark on light, with its quiet zone).
pub fn qr_svg(code: &str) -> String {
    QrCode::new(code.as_bytes())
        .map(|qr| {
            qr.render::<svg::Color>()
                .min_dimensions(160, 160)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default()
}

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
    crate::storage::session_get(PRINTED_KEY).is_some_and(|all| all.split(' ').any(|c| c == code))
}

fn mark_printed(code: &str) {
    let all = crate::storage::session_get(PRINTED_KEY).unwrap_or_default();
    crate::storage::session_set(PRINTED_KEY, format!("{all} {code}").trim());
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
        if !crate::storage::kiosk() {
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
            navigate(&format!("/track/{code}"), Default::default());
        }
    });
    move || {
        let l = lang.get();
        let t = l.texts();
        let ft = FormTexts::of(l);
        let Some(lists) = lists.get() else {
            return view! { <h1 class="page-heading">{(t.tool_title)(Tool::Track)}</h1> <Loading /> }.into_any();
        };
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
                    let href = format!("/track/{}", r.tracking_code);
                    let checked = r.checked_at_ms.map(|ms| (ft.status_checked)(&edited_at(l, ms)));
                    view! {
                        <li class="draft" data-tracking-code=r.tracking_code.clone() data-status=r.status.clone()>
                            <h3 class="draft-title">{kind_title(l, &r.kind)}</h3>
                            <dl class="summary">
                                <div class="summary-row"><dt>{ft.tracking_code}</dt><dd class="tracking-code"><bdi>{code}</bdi></dd></div>
                                <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_jalali)}</dd></div>
                                <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{(ft.status_name)(&r.status)} {checked.map(|c| view! { <span class="hint">" (" {c} ")"</span> })}</dd></div>
                            </dl>
                            <a class="button button--secondary" href=href data-receipt="">{ft.receipt}</a>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="draft-list">{items}</ul> }.into_any()
        };
        view! {
            <h1 class="page-heading">{(t.tool_title)(Tool::Track)}</h1>
            <p>{ft.track_intro}</p>
            {waiting}
            <h2>{ft.submitted_heading}</h2>
            {receipts}
        }
        .into_any()
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
    let params = use_params_map();
    page_setup(move |_| FormTexts::of(lang.get_untracked()).receipt.to_owned());
    let receipt = RwSignal::new(None::<Option<Receipt>>);
    Effect::new(move |_| {
        let code = params.read().get("code").unwrap_or_default();
        if editor.ready.get() {
            leptos::task::spawn_local(async move {
                let found = read_lists(editor)
                    .await
                    .receipts
                    .into_iter()
                    .find(|r| r.tracking_code == code);
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
            Some(code) if printed != Some(true) && crate::storage::kiosk() => {
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
    move || {
        let l = lang.get();
        let ft = FormTexts::of(l);
        let r = match receipt.get() {
            None => return view! { <Loading /> }.into_any(),
            Some(None) => return view! { <h1 class="page-heading">{l.texts().not_found}</h1> <p><a href="/track">{(l.texts().tool_title)(Tool::Track)}</a></p> }.into_any(),
            Some(Some(r)) => r,
        };
        let deadline = r.revocation_deadline.as_deref().map(|d| view! {
            <div class="summary-row"><dt>{(ft.preview_label)("revocation_deadline")}</dt><dd><time data-date="revocation_deadline" data-value=d.to_owned()>{date_text(l, d)}</time></dd></div>
        });
        view! {
            <div class="receipt" data-receipt-for=r.tracking_code.clone()>
                <h1 class="page-heading">{ft.receipt}</h1>
                <p class="lead">{kind_title(l, &r.kind)}</p>
                <p class="tracking-code tracking-code--big">{ft.tracking_code} ": " <bdi data-tracking-code=r.tracking_code.clone()>{l.digits(&r.tracking_code)}</bdi></p>
                <div class="qr" role="img" aria-label=format!("{}: {}", ft.qr_label, r.tracking_code) inner_html=qr_svg(&r.tracking_code)></div>
                <dl class="summary">
                    <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_jalali)} " " <span class="gregorian"><bdi>{r.submitted_utc.clone()}</bdi></span></dd></div>
                    <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{(ft.status_name)(&r.status)}</dd></div>
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_are_svg() {
        let svg = qr_svg("1234-5678-9012");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }
}
