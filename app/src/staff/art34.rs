//! `/staff/art34`: the Article 34 list (soonest deadline first, overdue rows marked, a CSV
//! download) for the roles that read it, and the form recording an expulsion, dropout or
//! graduation for the roles that record them.

use leptos::prelude::*;

use api::staff::{Art34, Art34Event};

use super::client;
use super::logic::{grouped_code, jalali_text, split_errors};
use super::session::{can_list_art34, can_record_art34, use_staff};
use super::texts::{field_texts, StaffTexts};
use super::widgets::{Heading, Loading, Problems, Status, Summary};
use crate::shell::components::field_input::FieldInput;
use crate::shell::form::{to_json, validate_all, Answers, Field, Kind};
use crate::shell::i18n::use_lang;

const EVENTS: &[&str] = &["expulsion", "dropout", "graduation"];
const EVENT_FIELDS: [Field; 3] = [
    Field::new("national_id", Kind::Digits),
    Field::new("event", Kind::Choice(EVENTS)),
    Field::new("event_date", Kind::Date),
];

#[component]
pub fn Art34Page() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    provide_context(field_texts());
    let role = staff
        .user
        .get_untracked()
        .map(|u| u.role.id)
        .unwrap_or_default();
    let list = RwSignal::new(None::<Art34>);
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    let load = move || {
        leptos::task::spawn_local(async move {
            match client::get::<Art34>("/api/v1/staff/art34").await {
                Ok(a) => list.set(Some(a)),
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    };
    let listed = can_list_art34(&role);
    if listed {
        load();
    }
    let table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(a) = list.get() else {
            return view! { <Loading /> }.into_any();
        };
        let rows = a
            .rows
            .iter()
            .map(|r| {
                view! {
                    <tr class:overdue=r.overdue data-overdue=r.overdue.to_string() data-national-id=r.national_id.clone()>
                        <td dir="ltr">{l.digits(&r.national_id)}</td>
                        <td>{if l == crate::shell::i18n::Lang::Fa && !r.event_fa.is_empty() { r.event_fa.clone() } else { (t.event_name)(r.event.id()).to_owned() }}</td>
                        <td>{jalali_text(&r.event_date, l)}</td>
                        <td>{jalali_text(&r.present_by, l)} {r.overdue.then(|| view! { " " <strong class="overdue-mark">{t.overdue}</strong> })}</td>
                        <td>{r.tracking_code.clone().zip(r.handle.clone()).map(|(c, h)| view! {
                            <a href=format!("/staff/requests/{}", client::encode(&h)) dir="ltr">{l.digits(&grouped_code(&c))}</a>
                        })}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p>{(t.art34_intro)(&jalali_text(&a.today, l))}</p>
            <p><a class="button button--secondary" href="/api/v1/staff/art34?format=csv" download data-testid="art34-csv">{t.download_csv}</a></p>
            {if a.rows.is_empty() {
                view! { <p>{t.no_rows}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t.art34_title>
                        <table class="staff-table" data-testid="art34">
                            <thead><tr>
                                <th scope="col">{t.national_id}</th>
                                <th scope="col">{t.event}</th>
                                <th scope="col">{t.event_date}</th>
                                <th scope="col">{t.present_by}</th>
                                <th scope="col">{t.tracking_code}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
        .into_any()
    };
    let answers = RwSignal::new(Answers::default());
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let errors = answers.with_untracked(|a| validate_all(&EVENT_FIELDS, a));
        if !errors.is_empty() {
            problems.general.set(Vec::new());
            problems.fields.set(errors);
            return;
        }
        // The form's fields are the event's: national_id, event, event_date (as typed; the server
        // names what it refuses).
        let body: Art34Event =
            serde_json::from_value(answers.with_untracked(|a| to_json(&EVENT_FIELDS, a, &[])))
                .unwrap_or_default();
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match client::send::<serde_json::Value>("POST", "/api/v1/staff/art34/events", &body)
                .await
            {
                Ok(_) => {
                    problems.clear();
                    answers.set(Answers::default());
                    status.set(StaffTexts::of(l).recorded.to_owned());
                    if listed {
                        load();
                    }
                }
                Err(e) if e.status == 422 => {
                    let (named, general) = split_errors(&e.errors, &EVENT_FIELDS, l);
                    problems.fields.set(named);
                    problems.general.set(general);
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    let form = can_record_art34(&role).then(|| {
        view! {
            <form class="staff-form" data-testid="art34-event" novalidate on:submit=record>
                <h2>{move || StaffTexts::of(lang.get()).record_event}</h2>
                {EVENT_FIELDS
                    .into_iter()
                    .map(|f| view! { <FieldInput field=f answers=answers errors=problems.fields heading=false /> })
                    .collect_view()}
                <button type="submit" class="button">{move || StaffTexts::of(lang.get()).record}</button>
            </form>
        }
    });
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.art34_title />
        <Status text=status />
        {listed.then_some(table)}
        {form}
    }
}
