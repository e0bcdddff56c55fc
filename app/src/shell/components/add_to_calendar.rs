//! "Add to calendar" beside a deadline: a button that saves the deadline's `.ics` file
//! (`shell::calendar`), made in the browser from the date shown, so it works offline; at a kiosk,
//! where a saved file would stay on the shared machine, a QR code of the event on the receipt;
//! and a deadline the server sent as a row of a summary list, with either beside it.

use leptos::prelude::*;
use rules::JalaliDate;

use crate::shell::calendar::{self, Deadline};
use crate::shell::i18n::{use_lang, Lang};
use crate::shell::qr::qr_svg;
use crate::shell::{clock, download, storage};

/// The deadline of `field` on `date`, when it is one and has not passed.
fn to_come(field: &str, date: JalaliDate) -> Option<Deadline> {
    Deadline::of_field(field).filter(|_| date >= clock::today())
}

/// The button for the date of `field`, when that date is a deadline that has not passed; nothing
/// otherwise, and nothing at a kiosk. `button[data-calendar=<field>][data-value=<YYYY-MM-DD>]`.
#[component]
pub fn AddToCalendar(field: &'static str, date: JalaliDate) -> impl IntoView {
    let deadline = to_come(field, date).filter(|_| !storage::kiosk())?;
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

/// At a kiosk, the deadline's event as a QR code a phone's camera reads (printed with the
/// receipt): `figure[data-calendar-qr=<field>]`; nothing when the deadline has passed.
#[component]
pub fn CalendarQr(field: &'static str, date: JalaliDate) -> impl IntoView {
    let deadline = to_come(field, date)?;
    let lang = use_lang();
    let svg = qr_svg(&calendar::qr_text(deadline, date, clock::now_ms() as i64));
    Some(view! {
        <figure class="calendar-qr" data-calendar-qr=field>
            <div class="qr" role="img" inner_html=svg
                aria-label=move || (lang.get().texts().calendar_event)(field)></div>
            <figcaption>{move || lang.get().texts().calendar_qr}</figcaption>
        </figure>
    })
}

/// For a date the server sent (`YYYY-MM-DD`, Jalali) on a receipt or a list of requests:
/// [`AddToCalendar`], or at a kiosk [`CalendarQr`]; nothing if it is no date.
pub fn calendar_button(field: &'static str, machine: &str) -> Option<impl IntoView> {
    let date = JalaliDate::parse(machine.get(..10).unwrap_or(machine)).ok()?;
    Some(if storage::kiosk() {
        view! { <CalendarQr field=field date=date /> }.into_any()
    } else {
        view! { <AddToCalendar field=field date=date /> }.into_any()
    })
}

/// A deadline the server sent (`YYYY-MM-DD`, Jalali) as a row of a summary list (`dl.summary`):
/// its label, the date in the language's digits (`time[data-date=<field>][data-value]`) and
/// [`calendar_button`].
pub fn deadline_row(field: &'static str, label: &str, machine: &str, lang: Lang) -> impl IntoView {
    let day = machine.get(..10).unwrap_or(machine);
    let shown = JalaliDate::parse(day).map_or_else(|_| machine.to_owned(), |d| lang.date(d));
    view! {
        <div class="summary-row"><dt>{label.to_owned()}</dt><dd><time data-date=field data-value=machine.to_owned()>{shown}</time>
            {calendar_button(field, machine)}</dd></div>
    }
}
