//! Which request the receipt page shows, kept out of its address (issue 13): the page is
//! `/track/receipt` and the tracking code is in this tab's `sessionStorage` (which the kiosk's
//! wipe clears). Every way to a receipt stores the code, then goes there: "my requests", "all my
//! requests", a sent correction, a kiosk's fresh receipt, and "pay" (the gateway returns to
//! `/track/receipt?payment=ok|failed`). An old `/track/<code>` link — a receipt printed or
//! bookmarked before — still opens its request: its code is stored and its address replaced
//! (`history.replaceState`), so it leaves no entry in the history. Back and forward show the
//! receipt opened last in this tab.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::forms::requests::opening::Loading;
use crate::shell::i18n::{use_lang, Tool};

/// The receipt page's address.
pub const RECEIPT_PATH: &str = "/track/receipt";

/// Session storage key: the tracking code of the request the receipt page shows.
const KEY: &str = "pishkhan.receipt";

/// A tracking code in its printed form (`1234-5678-9012`), if `text` is one.
fn grouped(text: &str) -> Option<String> {
    rules::tracking::TrackingCode::parse(text)
        .ok()
        .map(|c| c.grouped())
}

/// The receipt page will show request `code`.
pub fn show(code: &str) {
    if let Some(code) = grouped(code) {
        crate::shell::storage::session_set(KEY, &code);
    }
}

/// The tracking code of the request the receipt page shows, if one was opened in this tab.
pub fn shown() -> Option<String> {
    crate::shell::storage::session_get(KEY).and_then(|c| grouped(&c))
}

/// Opens the receipt of request `code`.
pub fn open(navigate: impl Fn(&str, NavigateOptions), code: &str) {
    show(code);
    navigate(RECEIPT_PATH, NavigateOptions::default());
}

/// The receipt page's address, with the payment gateway's outcome when there is one.
fn with_outcome(payment: Option<&str>) -> String {
    match payment {
        Some(p @ ("ok" | "failed")) => format!("{RECEIPT_PATH}?payment={p}"),
        _ => RECEIPT_PATH.to_owned(),
    }
}

/// "Not found", with the way back to "my requests".
pub fn not_found() -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        view! {
            <h1 class="page-heading">{l.texts().not_found}</h1>
            <p><a href="/track">{(l.texts().tool_title)(Tool::Track)}</a></p>
        }
    }
}

/// `/track/<code>`, an old link: stores the code and replaces the address with the receipt
/// page's (keeping a payment's outcome).
#[component]
pub fn OldReceiptLink() -> impl IntoView {
    let code = use_params_map()
        .read_untracked()
        .get("code")
        .and_then(|c| grouped(&c));
    let Some(code) = code else {
        return not_found().into_any();
    };
    show(&code);
    let to = with_outcome(use_query_map().read_untracked().get("payment").as_deref());
    let navigate = use_navigate();
    Effect::new(move |_| {
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    });
    view! { <Loading /> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_address_holds_no_code() {
        assert_eq!(with_outcome(None), "/track/receipt");
        assert_eq!(with_outcome(Some("ok")), "/track/receipt?payment=ok");
        assert_eq!(
            with_outcome(Some("failed")),
            "/track/receipt?payment=failed"
        );
        assert_eq!(with_outcome(Some("<x>")), "/track/receipt");
    }

    #[test]
    fn codes_are_kept_in_their_printed_form() {
        let code = rules::tracking::TrackingCode::from_number(12_345_678_901).grouped();
        assert_eq!(grouped(&code.replace('-', "")), Some(code.clone()));
        assert_eq!(grouped("receipt"), None);
        assert_eq!(grouped("1234-5678-9012"), None, "a wrong check digit");
    }
}
