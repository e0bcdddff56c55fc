//! "Add to calendar" beside a deadline: a button that saves the deadline's `.ics` file
//! (`shell::calendar`), made in the browser from the date shown, so it works offline.

use leptos::prelude::*;
use rules::JalaliDate;

use crate::shell::calendar::{self, Deadline};
use crate::shell::i18n::use_lang;
use crate::shell::{clock, download};

/// The button for the date of `field`, when that date is a deadline that has not passed; nothing
/// otherwise. `button[data-calendar=<field>][data-value=<YYYY-MM-DD>]`.
#[component]
pub fn AddToCalendar(field: &'static str, date: JalaliDate) -> impl IntoView {
    let deadline = Deadline::of_field(field).filter(|_| date >= clock::today())?;
    let lang = use_lang();
    let save = move |_| {
        let file = calendar::ics(deadline, date, clock::now_ms() as i64);
        download::save_text(
            &calendar::file_name(deadline, date),
            "text/calendar;charset=utf-8",
            &file,
        );
    };
    Some(view! {
        <button type="button" class="button button--secondary calendar-button no-print"
            data-calendar=field data-value=date.to_machine() on:click=save>
            {move || {
                let t = lang.get().texts();
                view! {
                    {t.calendar_button}
                    <span class="visually-hidden">": " {(t.calendar_event)(field)}</span>
                }
            }}
        </button>
    })
}

/// [`AddToCalendar`] for a date the server sent (`YYYY-MM-DD`, Jalali); nothing if it is not one.
pub fn calendar_button(field: &'static str, machine: &str) -> Option<impl IntoView> {
    let date = JalaliDate::parse(machine.get(..10).unwrap_or(machine)).ok()?;
    Some(view! { <AddToCalendar field=field date=date /> })
}
