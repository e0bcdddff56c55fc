//! A request's check-answers page: every answer with a change link, what the rules say about
//! the request (the exemption's pre-check with the justification request when it says no, the
//! withdrawal's deadlines, the clearance's offices), a print button, and "ready to submit" —
//! which runs every check of `rules` and marks the draft ready (it is kept until submitted).

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use rules::requests::{clearance_route, default_offices, withdrawal_preview, RequestKind};
use rules::{InputError, JalaliDate, Verdict};

use crate::forms::applicant::correction::{Correction, CorrectionSection};
use crate::forms::applicant::texts::ActTexts;
use crate::forms::drafts::DraftStatus;
use crate::forms::outbox::model::OutboxState;
use crate::forms::outbox::{entry_of, Outbox};
use crate::forms::requests::banners::Banners;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::question_page::field_view;
use crate::shell::clock;
use crate::shell::components::add_to_calendar::AddToCalendar;
use crate::shell::components::error_summary::SUMMARY_ID;
use crate::shell::components::field_input::{display_answer, message, Labels};
use crate::shell::components::result_parts::{date_rows, precheck_dates, ReasonList};
use crate::shell::form::{Answers, Field, FieldError, Kind};
use crate::shell::http::ServerError;
use crate::shell::i18n::{page_setup, use_lang, Lang};
use crate::shell::request_forms::flow::{exemption_precheck, Page, RequestForm, Target};
use crate::shell::request_forms::texts::FormTexts;
use crate::shell::request_forms::universities;
use crate::shell::storage;

/// An answer as the person reads it.
pub fn display(labels: Labels, lang: Lang, field: &Field, answers: &Answers) -> String {
    let t = lang.texts();
    let value = answers.get(field.name).trim();
    match field.kind {
        Kind::Choice(_) => labels.option(lang, field.name, value).to_owned(),
        Kind::File => answers.get(&format!("{}.file_name", field.name)).to_owned(),
        Kind::University => universities::name_of(&universities::cached(), value, lang)
            .unwrap_or_else(|| value.to_owned()),
        Kind::Text | Kind::LongText | Kind::Digits if value.is_empty() => t.not_answered.to_owned(),
        _ => display_answer(lang, field, answers),
    }
}

#[component]
pub fn CheckPage(form: &'static RequestForm) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let editor = Editor::get();
    let draft_id = editor.draft_id().unwrap_or_default();
    if let Some(p) = editor.answers.with_untracked(|a| form.first_unanswered(a)) {
        return view! { <Redirect path=Target::Page(p.slug).href(form, &draft_id) /> }.into_any();
    }
    page_setup(|t| t.check_title.to_owned());
    let today = clock::today();
    let problems = RwSignal::new(Vec::<(String, String)>::new());
    let navigate = use_navigate();
    // A submission the server refused: its reasons, each linked to its page.
    let refused = RwSignal::new(Vec::<(String, String)>::new());
    {
        let id = draft_id.clone();
        leptos::task::spawn_local(async move {
            let Some(entry) = entry_of(editor, &id).await else {
                return;
            };
            if entry.state != OutboxState::Rejected {
                return;
            }
            let l = lang.get_untracked();
            let list = editor
                .answers
                .with_untracked(|a| refused_links(form, &id, labels, l, a, &entry.errors));
            refused.set(list);
        });
    }
    // A correction of a returned request is sent as the applicant's `resubmit`, not queued.
    let correction = editor
        .draft
        .with_untracked(|d| d.as_ref().and_then(|d| d.correction_of.clone()))
        .map(Correction::new);
    if let Some(c) = correction {
        let id = draft_id.clone();
        Effect::new(move |_| {
            let found = c.refused.get();
            if found.is_empty() {
                return;
            }
            let l = lang.get_untracked();
            refused.set(
                editor
                    .answers
                    .with_untracked(|a| refused_links(form, &id, labels, l, a, &found)),
            );
        });
    }
    let id = draft_id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let found: Vec<(String, String)> = editor.answers.with_untracked(|a| {
            form.all_errors(a, today)
                .into_iter()
                .map(|(page, e)| (error_href(form, &id, page, &e), message(labels, l, &e)))
                .collect()
        });
        if found.is_empty() {
            problems.set(Vec::new());
            match correction {
                Some(c) => c.send(editor, form),
                None => {
                    let navigate = navigate.clone();
                    Outbox::get().submit(form, move || navigate("/track", Default::default()));
                }
            }
        } else {
            problems.set(found);
            request_animation_frame(|| storage::focus_id(SUMMARY_ID));
        }
    };
    let ready = move || {
        editor
            .draft
            .with(|d| d.as_ref().is_some_and(|d| d.status == DraftStatus::Ready))
            && !editor.dirty_tracked()
    };
    let back_id = draft_id.clone();
    let rows_id = draft_id.clone();
    view! {
        <a class="back-link" href=move || editor.answers.with(|a| Target::Page(form.last_page(a).slug).href(form, &back_id))>
            {move || lang.get().texts().back}
        </a>
        <Banners />
        {move || {
            let list = refused.get();
            (!list.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" data-server-refused="">
                    <h2>{FormTexts::of(lang.get()).server_refused}</h2>
                    {linked_errors(list)}
                </div>
            })
        }}
        {move || {
            let list = problems.get();
            (!list.is_empty()).then(|| view! {
                <div class="error-summary" id=SUMMARY_ID role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{lang.get().texts().error_summary_title}</h2>
                    {linked_errors(list)}
                </div>
            })
        }}
        <h1 class="page-heading">{move || lang.get().texts().check_title}</h1>
        {correction.map(|c| view! { <CorrectionSection correction=c form=form /> })}
        <p class="no-print">{move || lang.get().texts().check_intro}</p>
        {move || {
            let l = lang.get();
            let t = l.texts();
            editor.answers.with(|a| {
                let rows = form
                    .sequence(a)
                    .into_iter()
                    .flat_map(|p| p.fields.iter().map(move |f| (p, *f)))
                    .filter(|(_, f)| !(f.optional && display_empty(f, a)))
                    .map(|(p, f)| {
                        let label = labels.label(l, f.name);
                        let href = format!("{}?return=check", Target::Page(p.slug).href(form, &rows_id));
                        view! {
                            <div class="summary-row">
                                <dt>{label}</dt>
                                <dd><bdi>{display(labels, l, &f, a)}</bdi></dd>
                                <dd class="summary-action no-print">
                                    <a href=href data-change=f.name>
                                        {t.change}
                                        <span class="visually-hidden">" " {label}</span>
                                    </a>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view();
                view! { <dl class="summary">{rows}</dl> }
            })
        }}
        {match form.kind {
            RequestKind::Exemption => view! { <ExemptionOutcome today=today /> }.into_any(),
            RequestKind::Withdrawal => view! { <WithdrawalPreview today=today /> }.into_any(),
            RequestKind::Clearance => view! { <ClearanceOffices /> }.into_any(),
        }}
        {move || ready().then(|| {
            let ft = FormTexts::of(lang.get());
            view! {
                <div class="notice notice--success" role="status" data-draft-ready="">
                    <h2>{ft.ready_title}</h2>
                    <p>{ft.ready_body}</p>
                    <p class="no-print"><a href="/track">{(lang.get().texts().tool_title)(crate::shell::i18n::Tool::Track)}</a></p>
                </div>
            }
        })}
        <form novalidate class="result-actions no-print" on:submit=on_submit>
            <button type="submit" class="button" data-submit="" data-correction=correction.is_some().then_some("")>
                {move || match correction {
                    Some(_) => ActTexts::of(lang.get()).send_correction,
                    None => FormTexts::of(lang.get()).submit,
                }}
            </button>
            <button type="button" class="button button--secondary" data-print="" on:click=move |_| print()>
                {move || FormTexts::of(lang.get()).print}
            </button>
        </form>
    }
    .into_any()
}

/// A list of errors, each a link to its field: on this page (`#id`) the link moves the focus
/// there; on another page it goes there (and back here).
fn linked_errors(list: Vec<(String, String)>) -> impl IntoView {
    let items = list
        .into_iter()
        .map(|(href, text)| {
            let on_page = href.strip_prefix('#').map(str::to_owned);
            view! {
                <li><a href=href on:click=move |ev| {
                    if let Some(id) = &on_page {
                        ev.prevent_default();
                        storage::focus_id(id);
                    }
                }>{text}</a></li>
            }
        })
        .collect_view();
    view! { <ul>{items}</ul> }
}

/// The server's refusals, each as a link to its field's page and the message.
fn refused_links(
    form: &RequestForm,
    id: &str,
    labels: Labels,
    l: Lang,
    answers: &Answers,
    errors: &[ServerError],
) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let error = InputError::new(
                e.field.as_deref(),
                e.message_en.clone(),
                e.message_fa.clone(),
            );
            match form.locate(answers, &error) {
                Some((page, fe)) => (error_href(form, id, page, &fe), message(labels, l, &fe)),
                None => (
                    "#main".to_owned(),
                    match l {
                        Lang::Fa => e.message_fa.clone(),
                        Lang::En => e.message_en.clone(),
                    },
                ),
            }
        })
        .collect()
}

/// Where an error's link leads: its page (returning here), or its field on this page.
fn error_href(form: &RequestForm, id: &str, page: Option<&Page>, error: &FieldError) -> String {
    match page {
        Some(p) => format!("{}?return=check", Target::Page(p.slug).href(form, id)),
        None => format!("#{}", error.focus_id),
    }
}

fn display_empty(field: &Field, answers: &Answers) -> bool {
    match field.kind {
        Kind::Date => answers.date(field.name).is_none(),
        Kind::File => answers.get(&format!("{}.sha256", field.name)).is_empty(),
        _ => answers.get(field.name).trim().is_empty(),
    }
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Seed 000 step 5: the pre-check on the answers; when it says no, the justification request.
#[component]
fn ExemptionOutcome(today: JalaliDate) -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let Some(outcome) = editor
        .answers
        .with_untracked(|a| exemption_precheck(a, today))
    else {
        return ().into_any();
    };
    let verdict = outcome.verdict;
    let verdict_id = verdict.id();
    let dates = precheck_dates(&outcome);
    let reasons = outcome.reasons;
    let errors = RwSignal::new(Vec::new());
    let justification = (verdict == Verdict::Ineligible).then(|| {
        view! {
            <p>{move || FormTexts::of(lang.get()).justification_intro}</p>
            {field_view(Field::new("justification", Kind::LongText), errors, false)}
        }
    });
    view! {
        <section class="result" data-verdict=verdict_id>
            <h2>{move || FormTexts::of(lang.get()).precheck_heading}</h2>
            <p class=format!("verdict verdict--{verdict_id}")>{move || (lang.get().texts().verdict_sentence)(verdict)}</p>
            {date_rows(&dates)}
            <ReasonList reasons=reasons />
            {justification}
        </section>
    }
    .into_any()
}

/// Seed 001 note 2 and Art. 34: the deadlines this withdrawal will have if filed today.
#[component]
fn WithdrawalPreview(today: JalaliDate) -> impl IntoView {
    let lang = use_lang();
    let preview = withdrawal_preview(today);
    let rows = [
        ("revocation_deadline", preview.revocation_deadline),
        ("final_ruling_from", preview.final_ruling_from),
        ("present_by_earliest", preview.present_by_earliest),
    ];
    move || {
        let l = lang.get();
        let ft = FormTexts::of(l);
        view! {
            <section class="result">
                <h2>{ft.preview_heading}</h2>
                <dl class="summary dates">
                    {rows.iter().map(|(field, date)| view! {
                        <div class="summary-row">
                            <dt>{(ft.preview_label)(field)}</dt>
                            <dd>
                                <time data-date=*field data-value=date.to_machine() datetime=date.to_gregorian().to_string()>
                                    {l.date(*date)}
                                </time>
                                <AddToCalendar field=*field date=*date />
                            </dd>
                        </div>
                    }).collect_view()}
                </dl>
                <p class="hint">{ft.preview_note}</p>
            </section>
        }
    }
}

/// Seed 002: the offices this clearance will pass through, as a task list.
#[component]
fn ClearanceOffices() -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let offices = default_offices();
    move || {
        let l = lang.get();
        let ft = FormTexts::of(l);
        let evening = editor.answers.with(|a| a.is_yes("evening_course"));
        let items = clearance_route(&offices, evening)
            .into_iter()
            .map(|o| {
                let name = match l {
                    Lang::Fa => o.name_fa.clone(),
                    Lang::En => o.name_en.clone(),
                };
                let note = if o.receives_student_card {
                    Some(ft.office_card)
                } else if o.records_debt {
                    Some(ft.office_debt)
                } else {
                    None
                };
                view! {
                    <li class="task" data-office=o.id.clone()>
                        <span class="task-name">{name}</span>
                        {note.map(|n| view! { <span class="hint">{n}</span> })}
                        <strong class="task-status">{ft.office_waiting}</strong>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="result">
                <h2>{ft.offices_heading}</h2>
                <p>{ft.offices_intro}</p>
                <ol class="task-list">{items}</ol>
            </section>
        }
    }
}
