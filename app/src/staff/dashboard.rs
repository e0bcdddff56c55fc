//! `/staff/dashboard`: the offices' dashboard for the clerk's scope (`GET
//! /api/v1/staff/dashboard`): requests waiting per step and per office (and longer than the
//! threshold, a labelled input), how long each step takes (p50/p90), filings and decisions per
//! week (over a number of weeks, another labelled input) — each a hand-drawn SVG bar chart
//! (`role="img"` with its title and description, Persian digits on its labels) with the same
//! figures as a data table beside it and a CSV download of the table built here from the JSON
//! (UTF-8 with a BOM, so that Excel reads Persian).

use leptos::prelude::*;

use api::staff::Dashboard;

use super::client;
use super::logic::jalali_text;
use super::texts::DashboardTexts;
use super::widgets::{Heading, Loading, Problems, Summary};
use crate::shell::i18n::{use_lang, Lang};

/// One table of the dashboard: its column headings and rows of cells, the first cell of each
/// row its heading; numbers as numbers so that the chart can draw them.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<f64>)>,
}

/// A CSV file of a table as a `data:` URL: UTF-8 with a byte-order mark, every field quoted.
pub fn csv_href(table: &Table, lang: Lang) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut text = String::from("\u{feff}");
    text.push_str(
        &table
            .columns
            .iter()
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push_str("\r\n");
    for (head, values) in &table.rows {
        let mut cells = vec![quote(head)];
        cells.extend(values.iter().map(|v| quote(&number(*v, Lang::En))));
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    let _ = lang;
    format!("data:text/csv;charset=utf-8,{}", percent_encode(&text))
}

/// Percent-encodes every byte but ASCII letters, digits and `-_.~`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A figure as shown: whole numbers as they are, others to one decimal, in the language's
/// digits.
pub fn number(v: f64, lang: Lang) -> String {
    let text = if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    };
    match lang {
        Lang::Fa => rules::digits::to_persian_digits(&text).replace('.', "٫"),
        Lang::En => text,
    }
}

/// Days to one decimal.
fn days(seconds: i64) -> f64 {
    (seconds as f64 / 86_400.0 * 10.0).round() / 10.0
}

/// The dashboard's four tables in this language.
pub fn tables(d: &Dashboard, lang: Lang) -> [Table; 4] {
    let t = DashboardTexts::of(lang);
    let fa = lang == Lang::Fa;
    let pick = |f: &str, e: &str| if fa { f.to_owned() } else { e.to_owned() };
    let waiting = Table {
        columns: vec![
            t.state.to_owned(),
            t.waiting.to_owned(),
            (t.stale)(d.stale_days),
        ],
        rows: d
            .waiting
            .iter()
            .map(|w| {
                (
                    format!(
                        "{} — {}",
                        pick(&w.process_fa, &w.process_en),
                        pick(&w.state.fa, &w.state.en)
                    ),
                    vec![w.n as f64, w.stale as f64],
                )
            })
            .collect(),
    };
    let offices = Table {
        columns: vec![
            t.office.to_owned(),
            t.waiting.to_owned(),
            (t.stale)(d.stale_days),
        ],
        rows: d
            .offices
            .iter()
            .map(|o| {
                let mut name = pick(&o.university_fa, &o.university_en);
                for part in [&o.faculty, &o.county].into_iter().flatten() {
                    name.push_str(" — ");
                    name.push_str(part);
                }
                (name, vec![o.n as f64, o.stale as f64])
            })
            .collect(),
    };
    let steps = Table {
        columns: vec![
            t.state.to_owned(),
            t.p50_days.to_owned(),
            t.p90_days.to_owned(),
            t.departures.to_owned(),
        ],
        rows: d
            .steps
            .iter()
            .map(|s| {
                (
                    format!(
                        "{} — {}",
                        pick(&s.process_fa, &s.process_en),
                        pick(&s.state.fa, &s.state.en)
                    ),
                    vec![days(s.p50_seconds), days(s.p90_seconds), s.n as f64],
                )
            })
            .collect(),
    };
    let weekly = Table {
        columns: vec![t.week.to_owned(), t.filed.to_owned(), t.decided.to_owned()],
        rows: d
            .weekly
            .iter()
            .map(|w| {
                (
                    jalali_text(&w.week_start, lang),
                    vec![w.filed as f64, w.decided as f64],
                )
            })
            .collect(),
    };
    [waiting, offices, steps, weekly]
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 260.0;
const BAR: f64 = 14.0;
const ROW_GAP: f64 = 10.0;
const COLOURS: [&str; 2] = ["#1f5f99", "#b35900"];

/// A horizontal bar chart of a table's first `series` value columns: one group of bars per row,
/// labels on the reading side (the right in Persian), each bar's value beside it in the
/// language's digits, a legend below.
#[component]
fn BarChart(id: String, title: String, desc: String, table: Table, series: usize) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let rtl = lang == Lang::Fa;
    let max = table
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter().take(series).copied())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let group = BAR * series as f64 + ROW_GAP;
    let plot = WIDTH - LABEL_WIDTH - 60.0;
    let height = group * table.rows.len() as f64 + 40.0;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let bars = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, (label, values))| {
            let y = i as f64 * group + 4.0;
            // With `direction="rtl"`, the text's start is its right edge.
            let label_x = if rtl { WIDTH - 4.0 } else { 4.0 };
            let anchor = "start";
            let bars = values
                .iter()
                .take(series)
                .enumerate()
                .map(|(k, v)| {
                    let w = (v / max * plot).max(1.0);
                    let by = y + k as f64 * BAR;
                    let (x, vx, vanchor) = if rtl {
                        let right = WIDTH - LABEL_WIDTH - 8.0;
                        (right - w, right - w - 4.0, "end")
                    } else {
                        (LABEL_WIDTH + 8.0, LABEL_WIDTH + 12.0 + w, "start")
                    };
                    view! {
                        <rect x=x y=by width=w height=BAR - 2.0 fill=COLOURS[k % 2] />
                        <text x=vx y=by + BAR - 4.0 text-anchor=vanchor font-size="12">{number(*v, lang)}</text>
                    }
                })
                .collect_view();
            view! {
                <g>
                    <text x=label_x y=y + BAR text-anchor=anchor direction=if rtl { "rtl" } else { "ltr" } font-size="12">{label.clone()}</text>
                    {bars}
                </g>
            }
        })
        .collect_view();
    let legend = (0..series)
        .map(|k| {
            let x = if rtl {
                WIDTH - 20.0 - k as f64 * 180.0
            } else {
                4.0 + k as f64 * 180.0
            };
            let name = table.columns.get(k + 1).cloned().unwrap_or_default();
            let (tx, anchor) = if rtl { (x - 6.0, "start") } else { (x + 18.0, "start") };
            view! {
                <rect x=x y=height - 22.0 width="12" height="12" fill=COLOURS[k % 2] />
                <text x=tx y=height - 12.0 text-anchor=anchor direction=if rtl { "rtl" } else { "ltr" } font-size="12">{name}</text>
            }
        })
        .collect_view();
    view! {
        <svg
            class="dash-chart"
            role="img"
            aria-labelledby=labelled_by
            viewBox=format!("0 0 {WIDTH} {height}")
            width="100%"
            data-testid=format!("{id}-chart")
        >
            <title id=title_id>{title}</title>
            <desc id=desc_id>{desc}</desc>
            {bars}
            {legend}
        </svg>
    }
}

/// A table of the dashboard as HTML: a caption, column headings, each row's heading cell.
#[component]
fn DataTable(id: String, caption: String, table: Table) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let head = table
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.clone()}</th> })
        .collect_view();
    let rows = table
        .rows
        .iter()
        .map(|(h, values)| {
            view! {
                <tr>
                    <th scope="row">{h.clone()}</th>
                    {values.iter().map(|v| view! { <td>{number(*v, lang)}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let region = caption.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=region>
            <table class="staff-table" data-testid=format!("{id}-table")>
                <caption>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One section: heading, chart and table side by side, the CSV link.
fn section(
    id: &'static str,
    title: &'static str,
    desc: &'static str,
    table: Table,
    series: usize,
    lang: Lang,
) -> impl IntoView {
    let t = DashboardTexts::of(lang);
    // The section is no landmark of its own (the table's scrolling region carries the same name).
    let heading = format!("{id}-heading");
    let empty = table.rows.is_empty();
    let href = csv_href(&table, lang);
    view! {
        <section class="dash-section" data-testid=id>
            <h2 id=heading>{title}</h2>
            {if empty {
                view! { <p>{t.none}</p> }.into_any()
            } else {
                view! {
                    <div class="dash-pair">
                        <BarChart id=id.to_owned() title=title.to_owned() desc=desc.to_owned() table=table.clone() series=series />
                        <DataTable id=id.to_owned() caption=title.to_owned() table=table />
                    </div>
                    <p>
                        <a class="button button--secondary" href=href download=format!("{id}.csv") data-testid=format!("{id}-csv")>
                            {(t.csv)(title)}
                        </a>
                    </p>
                }.into_any()
            }}
        </section>
    }
}

/// One of the form's numbers: its label, its hint and the text input (any digit script; the
/// server reads and bounds it and names the field when it is wrong).
fn number_field(
    id: &'static str,
    texts: fn(&'static DashboardTexts) -> (&'static str, &'static str),
    value: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let hint = format!("{id}-hint");
    view! {
        <div class="dash-field">
            <label for=id>{move || texts(DashboardTexts::of(lang.get())).0}</label>
            <p id=hint.clone() class="hint">{move || texts(DashboardTexts::of(lang.get())).1}</p>
            <input
                id=id
                name=id
                type="text"
                inputmode="numeric"
                dir="ltr"
                aria-describedby=hint
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let data = RwSignal::new(None::<Dashboard>);
    let problems = Problems::new();
    let stale = RwSignal::new(lang.get_untracked().digits("14"));
    let weeks = RwSignal::new(lang.get_untracked().digits("12"));
    let load = move || {
        let days = stale.get_untracked();
        let count = weeks.get_untracked();
        leptos::task::spawn_local(async move {
            let url = format!(
                "/api/v1/staff/dashboard?stale_days={}&weeks={}",
                client::encode(days.trim()),
                client::encode(count.trim())
            );
            match client::get::<Dashboard>(&url).await {
                Ok(d) => {
                    problems.clear();
                    data.set(Some(d));
                }
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    };
    load();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    let body = move || {
        let l = lang.get();
        let t = DashboardTexts::of(l);
        let Some(d) = data.get() else {
            return view! { <Loading /> }.into_any();
        };
        let [waiting, offices, steps, weekly] = tables(&d, l);
        let scope = if d.scope == "*" {
            if l == Lang::Fa {
                "سراسر کشور"
            } else {
                "nationwide"
            }
            .to_owned()
        } else {
            d.scope.clone()
        };
        view! {
            <p data-testid="dashboard-intro">{(t.intro)(&scope, &jalali_text(&d.today, l))}</p>
            {section("waiting", t.waiting_title, t.waiting_desc, waiting, 2, l)}
            {section("offices", t.offices_title, t.offices_desc, offices, 2, l)}
            {section("steps", t.steps_title, t.steps_desc, steps, 2, l)}
            {section("weekly", t.weekly_title, t.weekly_desc, weekly, 2, l)}
        }
        .into_any()
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.dashboard_title />
        <form class="staff-form dash-form" novalidate on:submit=submit data-testid="dashboard-form">
            {number_field("stale_days", |t| (t.stale_days, t.stale_hint), stale)}
            {number_field("weeks", |t| (t.weeks, t.weeks_hint), weeks)}
            <button type="submit" class="button">{move || DashboardTexts::of(lang.get()).show}</button>
        </form>
        {body}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_is_utf8_with_a_bom_and_quoted_fields() {
        let table = Table {
            columns: vec!["مرحله".into(), "n".into()],
            rows: vec![("a \"b\"".into(), vec![3.0])],
        };
        let href = csv_href(&table, Lang::Fa);
        assert!(href.starts_with("data:text/csv;charset=utf-8,%EF%BB%BF%22"));
        assert!(href.contains("%22a%20%22%22b%22%22%22%2C%223%22%0D%0A"));
    }

    #[test]
    fn numbers_are_written_in_the_languages_digits() {
        assert_eq!(number(12.0, Lang::Fa), "۱۲");
        assert_eq!(number(2.5, Lang::Fa), "۲٫۵");
        assert_eq!(number(2.5, Lang::En), "2.5");
    }
}
