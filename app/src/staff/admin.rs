//! The administrators' pages — the national admin's and a university admin's (docs/app-contract.md,
//! "Staff area"): users (list, add — at a university, with one of its faculties for the faculty
//! roles —, enable/disable, new password, reset of the second factor), universities and their
//! faculties (the national admin lists and adds universities and picks the one the pages work
//! on; a university admin has their own, no picker), that university's clearance offices (the
//! ordered list edited and saved whole), and the national admin's SMS log and audit chain
//! verification.

use leptos::prelude::*;
use rules::workflow::Role;

use api::common::{
    Faculties, FacultyEntry, NewFaculty, NewUniversity, Universities, UniversityEntry,
};
use api::staff::{
    AdminUser, AuditCheck, NewUser, Notification, Notifications, Offices, StaffUser, UserChange,
    Users,
};
use rules::requests::ClearanceOffice;

use super::client;
use super::logic::{
    belongs_to_a_university, grouped_code, moment_text, role_name, serves_faculty, tehran_clock,
};
use super::session::{use_staff, Staff};
use super::texts::StaffTexts;
use super::widgets::{Heading, Loading, Problems, Status, Summary, TextInput};
use crate::shell::i18n::{use_lang, Lang};

/// A change to the list of offices being edited.
type OfficeEdit = Box<dyn FnOnce(&mut Vec<ClearanceOffice>)>;

/// Every role id an admin can give: the fixed roles, then one per clearance office.
pub fn role_ids(offices: &[ClearanceOffice]) -> Vec<String> {
    Role::staff_roles(offices).iter().map(Role::id).collect()
}

/// The code of the university every university has (the national admin's pages start there).
const DEFAULT_UNIVERSITY: &str = "default";

/// `/api/v1/admin/universities/<code>/<rest>`.
fn university_path(code: &str, rest: &str) -> String {
    format!("/api/v1/admin/universities/{}/{rest}", client::encode(code))
}

/// Whether the signed-in administrator is the national one (who picks any university).
fn is_national(staff: Staff) -> bool {
    staff
        .user
        .with(|u| u.as_ref().is_some_and(|u| u.role.id == Role::Admin.id()))
}

/// The university the admin pages work on (tracked): the chosen one, else the default one.
fn chosen(staff: Staff) -> String {
    or_default(staff.university.get())
}

/// [`chosen`], read once (in an event handler).
fn chosen_untracked(staff: Staff) -> String {
    or_default(staff.university.get_untracked())
}

/// A university's code, the default one's for none.
fn or_default(code: String) -> String {
    if code.is_empty() {
        DEFAULT_UNIVERSITY.to_owned()
    } else {
        code
    }
}

/// A university's name in `lang`, with its code.
fn university_name(u: &UniversityEntry, lang: Lang) -> String {
    let name = match lang {
        Lang::Fa => &u.name_fa,
        Lang::En => &u.name_en,
    };
    format!("{name} ({})", u.code)
}

/// A faculty's name in `lang`, with its code when they differ.
fn faculty_name(f: &FacultyEntry, lang: Lang) -> String {
    let name = match lang {
        Lang::Fa => &f.name_fa,
        Lang::En => &f.name_en,
    };
    if *name == f.code {
        name.clone()
    } else {
        format!("{name} ({})", f.code)
    }
}

/// Reads the universities (`GET /api/v1/universities`) into the signal it returns (`None` until
/// they come).
fn universities_list(problems: Problems) -> RwSignal<Option<Vec<UniversityEntry>>> {
    let list = RwSignal::new(None);
    reload_universities(list, problems, use_lang().get_untracked());
    list
}

fn reload_universities(
    list: RwSignal<Option<Vec<UniversityEntry>>>,
    problems: Problems,
    lang: Lang,
) {
    leptos::task::spawn_local(async move {
        match client::get::<Universities>("/api/v1/universities").await {
            Ok(u) => list.set(Some(u.universities)),
            Err(e) => problems.failed(&e, lang),
        }
    });
}

/// The inputs of a record's code and names (a university's, a faculty's).
#[derive(Clone, Copy)]
struct CodeAndNames {
    code: RwSignal<String>,
    name_fa: RwSignal<String>,
    name_en: RwSignal<String>,
}

impl CodeAndNames {
    fn new() -> CodeAndNames {
        CodeAndNames {
            code: RwSignal::new(String::new()),
            name_fa: RwSignal::new(String::new()),
            name_en: RwSignal::new(String::new()),
        }
    }

    /// What was typed, trimmed: code, Persian name, English name.
    fn typed(self) -> (Option<String>, Option<String>, Option<String>) {
        let value = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned());
        (value(self.code), value(self.name_fa), value(self.name_en))
    }

    fn inputs(self) -> Vec<RwSignal<String>> {
        vec![self.code, self.name_fa, self.name_en]
    }
}

/// A table of records by code and names (universities, faculties): `tr[data-code]`.
#[component]
fn CodeAndNamesTable(
    testid: &'static str,
    label: &'static str,
    rows: Vec<(String, String, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || StaffTexts::of(lang.get());
    let rows = rows
        .into_iter()
        .map(|(code, fa, en)| {
            let shown = code.clone();
            view! {
                <tr data-code=code>
                    <td><bdi>{shown}</bdi></td>
                    <td><bdi>{fa}</bdi></td>
                    <td><bdi>{en}</bdi></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table class="staff-table" data-testid=testid>
                <thead><tr>
                    <th scope="col">{move || t().code}</th>
                    <th scope="col">{move || t().name_fa}</th>
                    <th scope="col">{move || t().name_en}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What a form that adds a record reports to: its problems, its status line, the page's
/// language.
#[derive(Clone, Copy)]
struct Report {
    problems: Problems,
    status: RwSignal<String>,
    lang: RwSignal<Lang>,
}

/// `POST path body` (a new record): on success the `typed` inputs are emptied, "saved" is said
/// and `then` gets the answer; a refusal goes to the error summary.
fn post_new<A: serde::de::DeserializeOwned + 'static>(
    path: String,
    body: impl serde::Serialize + 'static,
    typed: Vec<RwSignal<String>>,
    report: Report,
    then: impl FnOnce(A, Lang) + 'static,
) {
    leptos::task::spawn_local(async move {
        let l = report.lang.get_untracked();
        match client::send::<A>("POST", &path, &body).await {
            Ok(added) => {
                report.problems.clear();
                for s in typed {
                    s.set(String::new());
                }
                report.status.set(StaffTexts::of(l).saved.to_owned());
                then(added, l);
            }
            Err(e) => report.problems.failed(&e, l),
        }
    });
}

/// Reads a university's faculties into `into` (`None` while they come).
fn load_faculties(
    code: String,
    into: RwSignal<Option<Vec<FacultyEntry>>>,
    problems: Problems,
    lang: Lang,
) {
    into.set(None);
    leptos::task::spawn_local(async move {
        match client::get::<Faculties>(&university_path(&code, "faculties")).await {
            Ok(f) => into.set(Some(f.faculties)),
            Err(e) => problems.failed(&e, lang),
        }
    });
}

/// A labelled `<select>` with its hint, bound to `value`: `first` (value, text) if any, then
/// `choices`; the one `value` holds is selected.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] first: Option<(String, String)>,
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let current = value.get_untracked();
    let options = first
        .into_iter()
        .chain(choices)
        .map(|(v, text)| {
            let selected = v == current;
            view! { <option value=v selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <select id=id name=id class="input" aria-describedby=hint_id
                on:change=move |ev| value.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// The universities as choices: code, name.
fn university_choices(list: Vec<UniversityEntry>, lang: Lang) -> Vec<(String, String)> {
    list.iter()
        .map(|u| (u.code.clone(), university_name(u, lang)))
        .collect()
}

/// Which university the page works on: the national admin picks one (a labelled `<select>`,
/// kept for the other admin pages); a university admin's own is shown, not chosen.
#[component]
fn UniversityPicker(universities: RwSignal<Option<Vec<UniversityEntry>>>) -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let list = universities.get().unwrap_or_default();
        let current = chosen(staff);
        if is_national(staff) {
            view! {
                <Choice id="university-choice" label=t.university_choice hint=t.university_choice_hint
                    value=staff.university choices=university_choices(list, l) />
            }
            .into_any()
        } else {
            let name = list
                .iter()
                .find(|u| u.code == current)
                .map_or(current.clone(), |u| university_name(u, l));
            view! {
                <p class="staff-university" data-testid="own-university" data-university=current>
                    {t.university_choice} ": " <bdi>{name}</bdi>
                </p>
            }
            .into_any()
        }
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let users = RwSignal::new(None::<Vec<AdminUser>>);
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    let universities = universities_list(problems);
    let report = Report {
        problems,
        status,
        lang,
    };
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
    let (username, display_name, role, scope, faculty, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(Role::UniversityUser.id()),
        RwSignal::new("*".to_owned()),
        RwSignal::new("*".to_owned()),
        RwSignal::new(String::new()),
    );
    // The new account's university: the national admin chooses (empty: national); a university
    // admin's is their own.
    let university = RwSignal::new(String::new());
    // Its offices (the office roles) and faculties (the faculty roles' scope).
    let offices = RwSignal::new(Vec::<ClearanceOffice>::new());
    let faculties = RwSignal::new(None::<Vec<FacultyEntry>>);
    Effect::new(move |_| {
        let code = if is_national(staff) {
            or_default(university.get())
        } else {
            chosen(staff)
        };
        let l = lang.get_untracked();
        let path = university_path(&code, "offices");
        leptos::task::spawn_local(async move {
            match client::get::<Offices>(&path).await {
                Ok(o) => offices.set(o.offices),
                Err(e) => problems.failed(&e, l),
            }
        });
        load_faculties(code, faculties, problems, l);
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let role_id = role.get_untracked();
        let chosen_university = university.get_untracked();
        let scope_text = if serves_faculty(&role_id) {
            faculty.get_untracked()
        } else {
            scope.get_untracked().trim().to_owned()
        };
        let body = NewUser {
            username: Some(username.get_untracked().trim().to_owned()),
            display_name: Some(display_name.get_untracked().trim().to_owned()),
            university: (is_national(staff)
                && !chosen_university.is_empty()
                && belongs_to_a_university(&role_id))
            .then_some(chosen_university),
            role: Some(role_id),
            scope: Some(scope_text),
            password: Some(password.get_untracked()),
        };
        let typed = vec![username, display_name, password];
        post_new(
            "/api/v1/admin/users".to_owned(),
            body,
            typed,
            report,
            move |_: StaffUser, _| load(),
        );
    };
    let table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(list) = users.get() else {
            return view! { <Loading /> }.into_any();
        };
        let rows = list
            .into_iter()
            .map(|AdminUser { user: u, active, locked_until, second_factor_enrolled }| {
                let new_password = RwSignal::new(String::new());
                let id = u.id;
                let input_id = format!("password-{}", u.id);
                // An office role is named by the server, from the account's university's list.
                view! {
                    <tr data-user=u.username.clone()>
                        <td dir="ltr">{u.username.clone()}</td>
                        <td><bdi>{u.display_name.clone()}</bdi></td>
                        <td>{role_name(&u.role.id, &u.role.fa, &u.role.en, &[], l)}</td>
                        <td><bdi>{u.scope.clone()}</bdi></td>
                        <td dir="ltr">{u.scope_university.clone()}</td>
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
                        <th scope="col">{t.university_choice}</th>
                        <th scope="col">{t.active}</th><th scope="col">{t.account_actions}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    // The national admin picks the new account's university (or none: national); a university
    // admin's accounts are of their own, shown.
    let university_select = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        if !is_national(staff) {
            return view! { <UniversityPicker universities=universities /> }.into_any();
        }
        let choices = university_choices(universities.get().unwrap_or_default(), l);
        view! {
            <Choice id="new-university" label=t.university_choice hint=t.new_university_hint
                value=university first=(String::new(), t.every_university.to_owned())
                choices=choices />
        }
        .into_any()
    };
    let role_select = move || {
        let l = lang.get();
        let offices = offices.get();
        view! {
            <div class="field">
                <label for="role">{StaffTexts::of(l).role}</label>
                <select id="role" name="role" class="input" prop:value=move || role.get()
                    on:change=move |ev| role.set(event_target_value(&ev))>
                    {role_ids(&offices)
                        .into_iter()
                        .map(|id| {
                            let name = role_name(&id, "", "", &offices, l);
                            let selected = id == role.get_untracked();
                            view! { <option value=id selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    // A faculty role serves one of the university's faculties (or all of them); any other
    // scoped role a name typed as before.
    let scope_field = move || {
        if !serves_faculty(&role.get()) {
            return view! {
                <TextInput id="scope" label=|t| t.scope value=scope hint=|t| t.scope_hint />
            }
            .into_any();
        }
        let l = lang.get();
        let t = StaffTexts::of(l);
        let choices = faculties
            .get()
            .unwrap_or_default()
            .iter()
            .map(|f| (f.code.clone(), faculty_name(f, l)))
            .collect();
        view! {
            <Choice id="faculty" label=t.faculty hint=t.faculty_hint value=faculty
                first=("*".to_owned(), t.all_faculties.to_owned()) choices=choices />
        }
        .into_any()
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
            {university_select}
            {role_select}
            {scope_field}
            <TextInput id="new-password" label=|t| t.password value=password kind="password" autocomplete="new-password" ltr=true />
            <button type="submit" class="button">{move || StaffTexts::of(lang.get()).create}</button>
        </form>
    }
}

/// `/staff/admin/universities`: the national admin's list of universities and the form that adds
/// one; the chosen university's (a university admin's: their own) faculties and the form that
/// adds one.
#[component]
pub fn UniversitiesPage() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let problems = Problems::new();
    let status = RwSignal::new(String::new());
    let universities = universities_list(problems);
    let report = Report {
        problems,
        status,
        lang,
    };
    let faculties = RwSignal::new(None::<Vec<FacultyEntry>>);
    Effect::new(move |_| {
        load_faculties(chosen(staff), faculties, problems, lang.get_untracked());
    });
    let university = CodeAndNames::new();
    let add_university = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (code, name_fa, name_en) = university.typed();
        let body = NewUniversity {
            code,
            name_fa,
            name_en,
        };
        let path = "/api/v1/admin/universities".to_owned();
        post_new(
            path,
            body,
            university.inputs(),
            report,
            move |added: UniversityEntry, l| {
                staff.university.set(added.code);
                reload_universities(universities, problems, l);
            },
        );
    };
    let faculty = CodeAndNames::new();
    let add_faculty = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (code, name_fa, name_en) = faculty.typed();
        let body = NewFaculty {
            code,
            name_fa,
            name_en,
        };
        let at = chosen_untracked(staff);
        let path = university_path(&at, "faculties");
        post_new(
            path,
            body,
            faculty.inputs(),
            report,
            move |_: FacultyEntry, l| {
                load_faculties(at, faculties, problems, l);
            },
        );
    };
    let national = move || {
        if !is_national(staff) {
            return None;
        }
        let l = lang.get();
        let t = StaffTexts::of(l);
        let rows = universities
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.code, u.name_fa, u.name_en))
            .collect();
        Some(view! {
            <CodeAndNamesTable testid="universities" label=t.universities_title rows=rows />
            <form class="staff-form" data-testid="add-university" on:submit=add_university>
                <h2>{t.add_university}</h2>
                <TextInput id="university-code" label=|t| t.university_code value=university.code hint=|t| t.university_code_hint ltr=true />
                <TextInput id="university-name-fa" label=|t| t.name_fa value=university.name_fa />
                <TextInput id="university-name-en" label=|t| t.name_en value=university.name_en ltr=true />
                <button type="submit" class="button">{t.add_university}</button>
            </form>
        })
    };
    let faculty_table = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let Some(list) = faculties.get() else {
            return view! { <Loading /> }.into_any();
        };
        if list.is_empty() {
            return view! { <p class="staff-empty" data-testid="no-faculties">{t.no_faculties}</p> }.into_any();
        }
        let rows = list
            .into_iter()
            .map(|f| (f.code, f.name_fa, f.name_en))
            .collect();
        view! { <CodeAndNamesTable testid="faculties" label=t.faculties_title rows=rows /> }
            .into_any()
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.universities_title />
        <Status text=status />
        {national}
        <section>
            <h2 id="faculties-heading">{move || StaffTexts::of(lang.get()).faculties_title}</h2>
            <UniversityPicker universities=universities />
            {faculty_table}
            <form class="staff-form" data-testid="add-faculty" on:submit=add_faculty>
                <h3>{move || StaffTexts::of(lang.get()).add_faculty}</h3>
                <TextInput id="faculty-code" label=|t| t.faculty_code value=faculty.code hint=|t| t.faculty_code_hint />
                <TextInput id="faculty-name-fa" label=|t| t.name_fa value=faculty.name_fa />
                <TextInput id="faculty-name-en" label=|t| t.name_en value=faculty.name_en ltr=true />
                <button type="submit" class="button">{move || StaffTexts::of(lang.get()).add_faculty}</button>
            </form>
        </section>
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
    let universities = universities_list(problems);
    // The chosen university's list (again when another is chosen).
    Effect::new(move |_| {
        let path = university_path(&chosen(staff), "offices");
        list.set(None);
        leptos::task::spawn_local(async move {
            match client::get::<Offices>(&path).await {
                Ok(o) => list.set(Some(o.offices)),
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
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
        let path = university_path(&chosen_untracked(staff), "offices");
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match client::send::<Offices>("PUT", &path, &body).await {
                Ok(_) => {
                    problems.clear();
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
        <UniversityPicker universities=universities />
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

/// An SMS's status in the log: given up, the time it is tried again, or the provider's delivery
/// status (docs/sms.md); empty when the gateway reports none.
fn sms_status(n: &Notification, t: &StaffTexts, l: Lang) -> String {
    if n.gave_up_at.is_some() {
        t.gave_up.to_owned()
    } else if let (None, Some(at)) = (&n.sent_at, &n.next_attempt_at) {
        format!("{} {}", t.retry_at, moment_text(at, l))
    } else {
        n.delivery
            .as_deref()
            .map(|d| (t.delivery)(d).to_owned())
            .unwrap_or_default()
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
                        <th scope="col">{t.sms_status}</th>
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
                                <td data-sms-status="">{sms_status(&n, t, l)}</td>
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
