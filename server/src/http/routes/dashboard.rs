//! `GET /api/v1/staff/dashboard`: the offices' dashboard for the signed-in clerk's scope —
//! requests waiting per state and per office (and how many longer than the threshold), how long
//! each step takes (p50/p90), filings and decisions per week — for the processes their role
//! takes a step in, exactly as the cartable and the detail see requests. The arithmetic is
//! `domain::dashboard`'s, the SQL `store::dashboard`'s (migration 18).

use std::collections::BTreeMap;

use api::labelled::Labelled;
use api::staff::{
    Dashboard, DashboardQuery, StepDuration, WaitingAtOffice, WaitingInState, WeekCount,
};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rules::requests::ClearanceOffice;
use rules::workflow::{process_label, state_label, Process};
use rules::JalaliDate;

use crate::domain::accounts::Staff;
use crate::domain::clock::now_unix;
use crate::domain::dashboard::{
    bounds, bucket_lowers, is_decision, percentile, processes_of, waiting_states, week_of,
    week_start,
};
use crate::domain::universities::DEFAULT_UNIVERSITY;
use crate::http::answer::private_json;
use crate::http::error::ApiError;
use crate::http::state::AppState;

/// 403 `FORBIDDEN`: a role that takes no step of any process (the administrators) sees no
/// request, so it has no dashboard.
fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        "your role takes no step of any process, so it has no dashboard.",
        "نقش شما در هیچ فرایندی گامی ندارد و داشبورد ندارد.",
    )
}

fn process_of(id: &str) -> Option<Process> {
    Process::ALL.into_iter().find(|p| p.id() == id)
}

/// `GET /api/v1/staff/dashboard[?stale_days=14&weeks=12]`.
pub async fn dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, ApiError> {
    let (stale_days, weeks) =
        bounds(query.stale_days.as_deref(), query.weeks.as_deref()).map_err(ApiError::invalid)?;
    let store = &state.store;
    let universities = store.universities().await?;
    // The clearance offices the clerk's requests may wait at: their university's, or every
    // university's for a scope wider than one university.
    let mut offices: Vec<ClearanceOffice> = store
        .offices_of(staff.scope.university().unwrap_or(DEFAULT_UNIVERSITY))
        .await?;
    let processes = processes_of(&staff.role, &offices);
    if processes.is_empty() {
        return Err(forbidden());
    }
    if staff.scope.university().is_none() && processes.contains(&Process::Clearance) {
        for u in &universities {
            for office in store.offices_of(u.id).await? {
                if !offices.iter().any(|o| o.id == office.id) {
                    offices.push(office);
                }
            }
        }
    }
    let process_ids: Vec<&str> = processes.iter().map(|p| p.id()).collect();
    let states = waiting_states(&processes, &offices);
    let state_ids: Vec<String> = states.iter().map(|s| s.id()).collect();
    let now = now_unix();
    let this_week = week_of(now);
    let from_week = this_week - weeks + 1;

    let waiting_rows = store
        .waiting(
            &staff.scope,
            &process_ids,
            &state_ids,
            now - stale_days * 86_400,
        )
        .await?;
    // Per (process, state), in the machines' order.
    let mut waiting: Vec<WaitingInState> = Vec::new();
    for p in &processes {
        for s in &states {
            let id = s.id();
            let (n, stale) = waiting_rows
                .iter()
                .filter(|w| w.process == p.id() && w.state == id)
                .fold((0, 0), |(n, st), w| (n + w.n, st + w.stale));
            if n > 0 {
                let label = process_label(*p);
                waiting.push(WaitingInState {
                    process: p.id().to_owned(),
                    process_fa: label.fa,
                    process_en: label.en,
                    state: Labelled::from_label(id, state_label(s, &offices)),
                    n,
                    stale,
                });
            }
        }
    }
    // Per office: the university, and its faculty or county.
    // (university, faculty, county) → (waiting, stale).
    type Office = (i64, Option<String>, Option<String>);
    let mut by_office: BTreeMap<Office, (i64, i64)> = BTreeMap::new();
    for w in &waiting_rows {
        let e = by_office
            .entry((w.university_id, w.faculty.clone(), w.county.clone()))
            .or_default();
        e.0 += w.n;
        e.1 += w.stale;
    }
    let mut offices_out: Vec<WaitingAtOffice> = by_office
        .into_iter()
        .map(|((u, faculty, county), (n, stale))| {
            let university = universities.iter().find(|x| x.id.0 == u);
            WaitingAtOffice {
                university: university.map_or_else(|| format!("#{u}"), |x| x.code.clone()),
                university_fa: university.map_or_else(String::new, |x| x.name_fa.clone()),
                university_en: university.map_or_else(String::new, |x| x.name_en.clone()),
                faculty,
                county,
                n,
                stale,
            }
        })
        .collect();
    offices_out.sort_by_key(|o| std::cmp::Reverse(o.n));

    // Step durations from the summary's histograms.
    let lowers = bucket_lowers();
    let mut histograms: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for d in store
        .departures(&staff.scope, &process_ids, from_week)
        .await?
    {
        let counts = histograms
            .entry((d.process, d.state))
            .or_insert_with(|| vec![0; lowers.len()]);
        if let Some(slot) = usize::try_from(d.bucket)
            .ok()
            .and_then(|b| counts.get_mut(b))
        {
            *slot += d.n;
        }
    }
    let mut steps: Vec<StepDuration> = histograms
        .into_iter()
        .filter_map(|((p, s), counts)| {
            let process = process_of(&p)?;
            let parsed = rules::workflow::State::parse(&s)?;
            let label = process_label(process);
            Some(StepDuration {
                process: p,
                process_fa: label.fa,
                process_en: label.en,
                state: Labelled::from_label(s, state_label(&parsed, &offices)),
                n: counts.iter().sum(),
                p50_seconds: percentile(&counts, lowers, 0.5),
                p90_seconds: percentile(&counts, lowers, 0.9),
            })
        })
        .collect();
    steps.sort_by_key(|s| std::cmp::Reverse(s.p90_seconds));

    // Filings and decisions per week, every week of the range.
    let mut per_week: BTreeMap<i64, (i64, i64)> =
        (from_week..=this_week).map(|w| (w, (0, 0))).collect();
    for e in store.entries(&staff.scope, &process_ids, from_week).await? {
        let decided = match (
            process_of(&e.process),
            rules::workflow::State::parse(&e.state),
        ) {
            (Some(p), Some(s)) if is_decision(p, &s) => e.n,
            _ => 0,
        };
        if let Some(slot) = per_week.get_mut(&e.week) {
            slot.0 += e.filed;
            slot.1 += decided;
        }
    }
    let weekly = per_week
        .into_iter()
        .map(|(w, (filed, decided))| WeekCount {
            week_start: week_start(w).to_machine(),
            filed,
            decided,
        })
        .collect();
    Ok(private_json(
        StatusCode::OK,
        &Dashboard {
            scope: staff.scope.label(&universities),
            stale_days,
            weeks,
            today: JalaliDate::today_in_tehran(now).to_machine(),
            waiting,
            offices: offices_out,
            steps,
            weekly,
        },
    ))
}
