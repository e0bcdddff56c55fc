//! Pieces of a result: a computed date (Jalali for reading, machine value and Gregorian beside
//! it), the list of reasons with their articles and plain-language explanations.

use leptos::prelude::*;
use rules::{Code, JalaliDate};
use serde_json::Value;

use crate::shell::i18n::use_lang;

/// A labelled computed date: `<time data-date=field data-value=YYYY-MM-DD>` and the Gregorian day.
#[component]
pub fn DateRow(field: &'static str, date: JalaliDate) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let t = l.texts();
        view! {
            <div class="summary-row">
                <dt>{(t.date_label)(field)}</dt>
                <dd>
                    <time data-date=field data-value=date.to_machine() datetime=date.to_gregorian().to_string()>
                        {l.date(date)}
                    </time>
                    " "
                    <span class="gregorian">"(" <bdi>{l.gregorian(date)}</bdi> " " {t.gregorian_suffix} ")"</span>
                </dd>
            </div>
        }
    }
}

/// The dates of an answer that are present, in the given order.
pub fn date_rows(answer: &Value, fields: &[&'static str]) -> impl IntoView {
    let rows: Vec<_> = fields
        .iter()
        .filter_map(|f| {
            let date = JalaliDate::parse(answer.get(*f)?.as_str()?).ok()?;
            Some(view! { <DateRow field=*f date=date /> })
        })
        .collect();
    (!rows.is_empty()).then(|| view! { <dl class="summary dates">{rows}</dl> })
}

/// Every reason of an answer (`reasons` of the contract output), each with its article and an
/// expandable explanation of the article written for students.
#[component]
pub fn ReasonList(reasons: Vec<Value>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let t = l.texts();
        if reasons.is_empty() {
            return view! { <p class="no-reasons">{t.no_reasons}</p> }.into_any();
        }
        view! {
            <ul class="reasons">
                {reasons
                    .iter()
                    .map(|r| {
                        let code = r["code"].as_str().unwrap_or_default().to_owned();
                        let effect = r["effect"].as_str().unwrap_or_default().to_owned();
                        let message = match l {
                            crate::shell::i18n::Lang::Fa => r["message_fa"].as_str(),
                            crate::shell::i18n::Lang::En => r["message_en"].as_str(),
                        }
                        .unwrap_or_default()
                        .to_owned();
                        let article = (t.article_text)(r["article"].as_str().unwrap_or_default());
                        let explanation = Code::parse(&code).map(t.explain).unwrap_or_default();
                        view! {
                            <li class=format!("reason reason--{effect}") data-reason-code=code data-effect=effect>
                                <p class="reason-message">{message}</p>
                                <p class="reason-article">
                                    {t.article_label} ": " <bdi>{article}</bdi>
                                </p>
                                <details>
                                    <summary>{t.explain_summary}</summary>
                                    <p>{explanation}</p>
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
