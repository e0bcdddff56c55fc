//! The admin pages: users (list, add, enable/disable, new password, reset of the second factor),
//! the clearance offices (the ordered list edited and saved whole), the SMS log, and the audit
//! chain's verification.

use leptos::prelude::*;
use rules::workflow::Role;

use api::staff::{
    AdminUser, AuditCheck, NewUser, Notification, Notifications, Offices, StaffUser, UserChange,
    Users,
};
use rules::requests::ClearanceOffice;

use super::client;
use super::logic::{grouped_code, moment_text, role_name, tehran_clock};
use super::session::use_staff;
use super::texts::StaffTexts;
use super::widgets::{Heading, Loading, Problems, Status, Summary, TextInput};
use crate::shell::i18n::use_lang;

/// A change to the list of offices being edited.
type OfficeEdit = Box<dyn FnOnce(&mut Vec<ClearanceOffice>)>;

/// Every role id an admin can give: the fixed roles, then one per clearance office.
pub fn role_ids(offices: &[ClearanceOffice]) -> Vec<String> {
    Role::staff_roles(offices).iter().map(Role::id).collect()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let users = RwSignal::new(None::<Vec<AdminUser>>);
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    let load = move || {
        leptos::task::spawn_local(async move {
            match client::get::<Users>("/api/v1/admin/users").await {
                Ok(u) => users.set(Some(u.users)),
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    };
    load();
    let patch = move |id: i64, body: UserChange| {
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let url = format!("/api/v1/admin/users/{id}");
            match client::send::<StaffUser>("PATCH", &url, &body).await {
                Ok(_) => {
                    problems.clear();
                    status.set(StaffTexts::of(l).saved.to_owned());
                    load();
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    let reset = move |id: i64| {
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let url = format!("/api/v1/admin/users/{id}/second-factor");
            match client::send::<AdminUser>("DELETE", &url, &serde_json::json!({})).await {
                Ok(_) => {
                    problems.clear();
                    status.set(StaffTexts::of(l).second_factor_reset.to_owned());
                    load();
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    let (username, display_name, role, scope, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(Role::UniversityUser.id()),
        RwSignal::new("*".to_owned()),
        RwSignal::new(String::new()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewUser {
            username: Some(username.get().trim().to_owned()),
            display_name: Some(display_name.get().trim().to_owned()),
            role: Some(role.get()),
            scope: Some(scope.get().trim().to_owned()),
            university: None,
            password: Some(password.get()),
        };
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match client::send::<StaffUser>("POST", "/api/v1/admin/users", &body).await {
                Ok(_) => {
                    problems.clear();
                    for s in [username, display_name, password] {
                        s.set(String::new());
                    }
                    status.set(StaffTexts::of(l).saved.to_owned());
                    load();
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    let table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let offices = staff.offices.get();
        let Some(list) = users.get() else {
            return view! { <Loading /> }.into_any();
        };
        let rows = list
            .into_iter()
            .map(|AdminUser { user: u, active, locked_until, second_factor_enrolled }| {
                let new_password = RwSignal::new(String::new());
                let id = u.id;
                let input_id = format!("password-{}", u.id);
                view! {
                    <tr data-user=u.username.clone()>
                        <td dir="ltr">{u.username.clone()}</td>
                        <td><bdi>{u.display_name.clone()}</bdi></td>
                        <td>{role_name(&u.role.id, &u.role.fa, &u.role.en, &offices, l)}</td>
                        <td><bdi>{u.scope.clone()}</bdi></td>
                        <td>{if active { t.active } else { t.disabled }}
                            {locked_until.map(|x| view! { <br />{t.locked_until} " " <bdi>{tehran_clock(x, l)}</bdi> })}</td>
                        <td>
                            <button type="button" class="button button--secondary" data-testid="toggle-active"
                                on:click=move |_| patch(id, UserChange { active: Some(!active), ..UserChange::default() })>
                                {if active { t.disable } else { t.enable }}
                            </button>
                            <label for=input_id.clone() class="visually-hidden">{t.new_password} " " {u.username.clone()}</label>
                            <input id=input_id class="input" type="password" autocomplete="new-password"
                                prop:value=move || new_password.get()
                                on:input=move |ev| new_password.set(event_target_value(&ev)) />
                            <button type="button" class="button button--secondary"
                                on:click=move |_| patch(id, UserChange { password: Some(new_password.get()), ..UserChange::default() })>
                                {t.set_password}
                            </button>
                            {second_factor_enrolled.then(|| view! {
                                <button type="button" class="button button--secondary" data-testid="reset-second-factor"
                                    on:click=move |_| reset(id)>
                                    {t.reset_second_factor}
                                </button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.users_title>
                <table class="staff-table" data-testid="users">
                    <thead><tr>
                        <th scope="col">{t.username}</th><th scope="col">{t.display_name}</th>
                        <th scope="col">{t.role}</th><th scope="col">{t.scope}</th>
                        <th scope="col">{t.active}</th><th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let role_select = move || {
        let l = lang.get();
        let offices = staff.offices.get();
        view! {
            <div class="field">
                <label for="role">{StaffTexts::of(l).role}</label>
                <select id="role" name="role" class="input" prop:value=move || role.get()
                    on:change=move |ev| role.set(event_target_value(&ev))>
                    {role_ids(&offices)
                        .into_iter()
                        .map(|id| {
                            let name = role_name(&id, "", "", &offices, l);
                            view! { <option value=id>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.users_title />
        <Status text=status />
        {table}
        <form class="staff-form" data-testid="add-user" on:submit=add>
            <h2>{move || StaffTexts::of(lang.get()).add_user}</h2>
            <TextInput id="new-username" label=|t| t.username value=username ltr=true />
            <TextInput id="display_name" label=|t| t.display_name value=display_name />
            {role_select}
            <TextInput id="scope" label=|t| t.scope value=scope hint=|t| t.scope_hint />
            <TextInput id="new-password" label=|t| t.password value=password kind="password" autocomplete="new-password" ltr=true />
            <button type="submit" class="button">{move || StaffTexts::of(lang.get()).create}</button>
        </form>
    }
}

const FLAGS: [&str; 4] = [
    "receives_student_card",
    "records_debt",
    "records_instalments",
    "evening_course_only",
];

fn flag<'a>(o: &'a mut ClearanceOffice, name: &str) -> &'a mut bool {
    match name {
        "receives_student_card" => &mut o.receives_student_card,
        "records_debt" => &mut o.records_debt,
        "records_instalments" => &mut o.records_instalments,
        _ => &mut o.evening_course_only,
    }
}

#[component]
pub fn OfficesPage() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let list = RwSignal::new(None::<Vec<ClearanceOffice>>);
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    leptos::task::spawn_local(async move {
        match client::get::<Offices>("/api/v1/admin/offices").await {
            Ok(o) => list.set(Some(o.offices)),
            Err(e) => problems.failed(&e, lang.get_untracked()),
        }
    });
    let edit = move |f: OfficeEdit| {
        list.update(|l| {
            if let Some(l) = l {
                f(l)
            }
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(offices) = list.get_untracked() else {
            return;
        };
        let body = Offices { offices };
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match client::send::<Offices>("PUT", "/api/v1/admin/offices", &body).await {
                Ok(_) => {
                    problems.clear();
                    staff.offices.set(body.offices);
                    status.set(StaffTexts::of(l).saved.to_owned());
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    let rows = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(offices) = list.get() else {
            return view! { <Loading /> }.into_any();
        };
        let n = offices.len();
        offices
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                let text = move |id: &'static str, label: &'static str, value: String, set: fn(&mut ClearanceOffice, String)| {
                    let dom = format!("office-{i}-{id}");
                    view! {
                        <div class="field">
                            <label for=dom.clone()>{label}</label>
                            <input id=dom name=id class="input" type="text" prop:value=value
                                on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |l| set(&mut l[i], v))) } />
                        </div>
                    }
                };
                view! {
                    <fieldset class="office" data-office=o.id.clone()>
                        <legend>{(t.office_n)(i + 1)}</legend>
                        {text("id", t.office_id, o.id.clone(), |o, v| o.id = v)}
                        {text("name_fa", t.name_fa, o.name_fa.clone(), |o, v| o.name_fa = v)}
                        {text("name_en", t.name_en, o.name_en.clone(), |o, v| o.name_en = v)}
                        {FLAGS.into_iter().map(|name| {
                            let mut copy = o.clone();
                            let checked = *flag(&mut copy, name);
                            let dom = format!("office-{i}-{name}");
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=dom.clone() name=name prop:checked=checked
                                        on:change=move |_| edit(Box::new(move |l| { let f = flag(&mut l[i], name); *f = !*f; })) />
                                    <label for=dom>{(t.flag)(name)}</label>
                                </div>
                            }
                        }).collect_view()}
                        <div class="button-row">
                            <button type="button" class="button button--secondary" disabled=i == 0
                                on:click=move |_| edit(Box::new(move |l| l.swap(i - 1, i)))>{t.move_up}</button>
                            <button type="button" class="button button--secondary" disabled=i + 1 == n
                                on:click=move |_| edit(Box::new(move |l| l.swap(i, i + 1)))>{t.move_down}</button>
                            <button type="button" class="button button--warning"
                                on:click=move |_| edit(Box::new(move |l| { l.remove(i); }))>{t.remove}</button>
                        </div>
                    </fieldset>
                }
            })
            .collect_view()
            .into_any()
    };
    let add = move |_| {
        edit(Box::new(|l| {
            l.push(ClearanceOffice {
                id: String::new(),
                name_fa: String::new(),
                name_en: String::new(),
                receives_student_card: false,
                records_debt: false,
                records_instalments: false,
                evening_course_only: false,
            })
        }))
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.offices_title />
        <p>{move || StaffTexts::of(lang.get()).offices_intro}</p>
        <Status text=status />
        <form class="staff-form" data-testid="offices" on:submit=save>
            {rows}
            <div class="button-row">
                <button type="button" class="button button--secondary" on:click=add>{move || StaffTexts::of(lang.get()).add_office}</button>
                <button type="submit" class="button">{move || StaffTexts::of(lang.get()).save}</button>
            </div>
        </form>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let log = RwSignal::new(None::<Vec<Notification>>);
    let problems = Problems::new();
    leptos::task::spawn_local(async move {
        match client::get::<Notifications>("/api/v1/admin/notifications").await {
            Ok(n) => log.set(Some(n.notifications)),
            Err(e) => problems.failed(&e, lang.get_untracked()),
        }
    });
    let table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(rows) = log.get() else {
            return view! { <Loading /> }.into_any();
        };
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.notifications_title>
                <table class="staff-table" data-testid="notifications">
                    <thead><tr>
                        <th scope="col">{t.tracking_code}</th><th scope="col">{t.mobile}</th>
                        <th scope="col">{t.message}</th><th scope="col">{t.created_at}</th>
                        <th scope="col">{t.sent_at}</th><th scope="col">{t.attempts}</th><th scope="col">{t.last_error}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|n| view! {
                            <tr data-notification=n.id.to_string()>
                                <td dir="ltr">{n.tracking_code.as_deref().map(|c| l.digits(&grouped_code(c)))}</td>
                                <td dir="ltr">{n.mobile.as_deref().map(|m| l.digits(m))}</td>
                                <td>{n.message_fa.clone()}</td>
                                <td dir="ltr">{moment_text(&n.created_at, l)}</td>
                                <td dir="ltr">{n.sent_at.as_ref().map_or_else(|| t.not_sent.to_owned(), |s| moment_text(s, l))}</td>
                                <td>{l.digits(&n.attempts.to_string())}</td>
                                <td><bdi>{n.last_error.clone()}</bdi></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.notifications_title />
        {table}
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let result = RwSignal::new(None::<AuditCheck>);
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let run = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let t = StaffTexts::of(l);
            match client::get::<AuditCheck>("/api/v1/admin/audit/verify").await {
                Ok(check) => {
                    problems.clear();
                    status.set(if check.ok {
                        (t.audit_ok)(check.requests, check.rows)
                    } else {
                        (t.audit_broken)(check.broken.len())
                    });
                    result.set(Some(check));
                }
                Err(e) => problems.failed(&e, l),
            }
            busy.set(false);
        });
    };
    let broken = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        result.get().filter(|c| !c.broken.is_empty()).map(|c| view! {
            <table class="staff-table" data-testid="audit-broken">
                <thead><tr><th scope="col">{t.tracking_code}</th><th scope="col">"#"</th><th scope="col">{t.reason}</th></tr></thead>
                <tbody>
                    {c.broken.into_iter().map(|b| view! {
                        <tr><td dir="ltr">{l.digits(&grouped_code(&b.tracking_code))}</td><td>{b.audit_id.map(|id| l.digits(&id.to_string()))}</td><td><bdi>{b.reason}</bdi></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.audit_title />
        <p>{move || StaffTexts::of(lang.get()).audit_intro}</p>
        <button type="button" class="button" data-testid="run-verify" disabled=move || busy.get() on:click=run>
            {move || StaffTexts::of(lang.get()).run_verify}
        </button>
        <Status text=status />
        {broken}
    }
}
