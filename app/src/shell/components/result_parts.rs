//! Pieces of a result: a computed date (Jalali for reading, machine value and Gregorian beside
//! it), the list of reasons with their articles and plain-language explanations.

use leptos::prelude::*;
use rules::precheck::PrecheckOutcome;
use rules::{JalaliDate, Reason};

use crate::shell::components::add_to_calendar::AddToCalendar;
use crate::shell::i18n::use_lang;

/// A labelled computed date: `<time data-date=field data-value=YYYY-MM-DD>` and the Gregorian day,
/// with "add to calendar" when it is a deadline to come.
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
                    <AddToCalendar field=field date=date />
                </dd>
            </div>
        }
    }
}

/// The dates of an answer that are present, in the given order, each with its field name.
pub fn date_rows(dates: &[(&'static str, Option<JalaliDate>)]) -> impl IntoView {
    let rows: Vec<_> = dates
        .iter()
        .filter_map(|(field, date)| {
            let date = (*date)?;
            Some(view! { <DateRow field=*field date=date /> })
        })
        .collect();
    (!rows.is_empty()).then(|| view! { <dl class="summary dates">{rows}</dl> })
}

/// The dates of a pre-check outcome, by their contract names, in the order they are shown.
pub fn precheck_dates(outcome: &PrecheckOutcome) -> [(&'static str, Option<JalaliDate>); 3] {
    [
        ("exemption_until", outcome.exemption_until),
        ("study_until", outcome.study_until),
        (
            "study_until_with_commission",
            outcome.study_until_with_commission,
        ),
    ]
}

/// Every reason of an answer (the rules' typed reasons, as the contract output lists them), each
/// with its article and an expandable explanation of the article written for students.
#[component]
pub fn ReasonList(reasons: Vec<Reason>) -> impl IntoView {
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
                        let code = r.code.id();
                        let effect = r.effect.id();
                        let message = match l {
                            crate::shell::i18n::Lang::Fa => r.message_fa.clone(),
                            crate::shell::i18n::Lang::En => r.message_en.clone(),
                        };
                        let article = (t.article_text)(r.article);
                        let explanation = (t.explain)(r.code);
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
